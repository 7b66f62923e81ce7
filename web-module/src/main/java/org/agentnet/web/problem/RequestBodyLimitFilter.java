package org.agentnet.web.problem;

import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.ext.Provider;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import org.agentnet.common.error.AgentnetException;
import org.agentnet.common.error.ProblemType;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Refuses request bodies over {@code agentnet.http.max-body-bytes} (413): at once when the
 * declared Content-Length is too large, and while reading when a chunked body grows past it.
 */
@Provider
@PreMatching
@Priority(Priorities.AUTHENTICATION - 100)
public class RequestBodyLimitFilter implements ContainerRequestFilter {

    @Inject
    @ConfigProperty(name = "agentnet.http.max-body-bytes")
    long maxBodyBytes;

    @Override
    public void filter(ContainerRequestContext request) {
        // the declared Content-Length (absent when chunked), read here: the runtime's getLength() fails beyond an int
        declaredLength(request.getHeaderString(HttpHeaders.CONTENT_LENGTH), maxBodyBytes);
        if (request.hasEntity()) {
            request.setEntityStream(new BoundedInputStream(request.getEntityStream(), maxBodyBytes));
        }
    }

    /**
     * The declared length of a body: -1 without a Content-Length; a 400 problem when it is not a
     * length (digits only), a 413 problem when it is over {@code limit} (however many digits).
     */
    static long declaredLength(String header, long limit) {
        if (header == null) {
            return -1;
        }
        String digits = header.strip();
        if (digits.isEmpty() || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new AgentnetException(ProblemType.BAD_REQUEST, "Content-Length is not a length in bytes");
        }
        String significant = digits.replaceFirst("^0+(?=.)", "");
        if (significant.length() > 18 || Long.parseLong(significant) > limit) {
            throw tooLarge(limit);
        }
        return Long.parseLong(significant);
    }

    static AgentnetException tooLarge(long limit) {
        return new AgentnetException(ProblemType.PAYLOAD_TOO_LARGE,
                "The request body is larger than the limit of " + limit + " bytes");
    }

    /** Counts what is read and fails once the limit is passed. */
    static final class BoundedInputStream extends FilterInputStream {
        private final long limit;
        private long count;

        BoundedInputStream(InputStream in, long limit) {
            super(in);
            this.limit = limit;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0) {
                count(n);
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = super.skip(n);
            count(skipped);
            return skipped;
        }

        private void count(long n) {
            count += n;
            if (count > limit) {
                throw tooLarge(limit);
            }
        }
    }
}
