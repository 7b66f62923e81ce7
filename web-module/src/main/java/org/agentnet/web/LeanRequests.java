package org.agentnet.web;

import jakarta.json.spi.JsonProvider;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * What the servlet-level lean paths (filters that answer a frequent, plain request without the
 * JAX-RS resource, with the same answers: {@code DiscoveryFilter}, {@code HeartbeatFilter},
 * {@code ApplicationFilter}) check before they take a request, and how they hand a request they
 * have read on to the resource unchanged.
 */
public final class LeanRequests {

    /**
     * The JSON provider the lean paths parse bodies with, looked up once: {@code Json.createReader}
     * and {@code Json.createParser} look it up (ServiceLoader) on every call.
     */
    public static final JsonProvider JSON = JsonProvider.provider();

    private LeanRequests() {
    }

    /** Whether a Content-Type is plainly JSON in UTF-8: {@code application/json}, with at most {@code charset=utf-8}. */
    public static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        String type = contentType.toLowerCase(Locale.ROOT).strip();
        int semicolon = type.indexOf(';');
        if (semicolon >= 0) {
            String parameters = type.substring(semicolon + 1).replace(" ", "");
            if (!parameters.isEmpty() && !parameters.equals("charset=utf-8")) {
                return false;
            }
            type = type.substring(0, semicolon).strip();
        }
        return type.equals("application/json");
    }

    /**
     * Whether an Accept header plainly admits {@code application/json}: blank (treated as absent), or
     * a list of media types without parameters (no weights), one of them JSON or a wildcard for it.
     */
    public static boolean acceptsJson(String header) {
        if (header.isBlank()) {
            return true;
        }
        boolean json = false;
        for (String element : header.split(",", -1)) {
            String type = element.strip();
            if (type.isEmpty()) {
                continue;
            }
            for (int i = 0; i < type.length(); i++) {
                char c = type.charAt(i);
                if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || "/*.+-_!#$&^".indexOf(c) >= 0)) {
                    return false; // parameters, weights or anything odd: the resource decides
                }
            }
            int slash = type.indexOf('/');
            if (slash <= 0 || slash != type.lastIndexOf('/') || slash == type.length() - 1) {
                return false;
            }
            json |= type.equals("*/*") || type.equalsIgnoreCase("application/*") || type.equalsIgnoreCase("application/json");
        }
        return json;
    }

    /** The request with its body, already read by a lean path that does not take it, to be read again by the resource. */
    public static HttpServletRequest withBody(HttpServletRequest request, byte[] body) {
        return new ReadBody(request, body);
    }

    private static final class ReadBody extends HttpServletRequestWrapper {
        private final byte[] body;

        ReadBody(HttpServletRequest request, byte[] body) {
            super(request);
            this.body = body;
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            InputStream rest = super.getInputStream();
            ByteArrayInputStream read = new ByteArrayInputStream(body);
            return new ServletInputStream() {
                private boolean inBody = true;

                @Override
                public int read() throws IOException {
                    if (inBody) {
                        int b = read.read();
                        if (b >= 0) {
                            return b;
                        }
                        inBody = false;
                    }
                    return rest.read();
                }

                @Override
                public int read(byte[] buffer, int offset, int length) throws IOException {
                    if (length == 0) {
                        return 0;
                    }
                    if (inBody) {
                        int n = read.read(buffer, offset, length);
                        if (n > 0) {
                            return n;
                        }
                        inBody = false;
                    }
                    return rest.read(buffer, offset, length);
                }

                @Override
                public boolean isFinished() {
                    return !inBody && ((ServletInputStream) rest).isFinished();
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    throw new IllegalStateException("not asynchronous");
                }
            };
        }

        @Override
        public BufferedReader getReader() throws IOException {
            return new BufferedReader(new InputStreamReader(getInputStream(), StandardCharsets.UTF_8));
        }
    }
}
