package org.agentnet.web.problem;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.agentnet.common.error.AgentnetException;
import org.agentnet.common.error.ProblemType;
import org.agentnet.web.problem.RequestBodyLimitFilter.BoundedInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class RequestBodyLimitFilterTest {

    private static final int LIMIT = 10;

    private static BoundedInputStream bounded(int bodyLength) {
        byte[] body = new byte[bodyLength];
        for (int i = 0; i < bodyLength; i++) {
            body[i] = (byte) ('a' + i % 26);
        }
        return new BoundedInputStream(new ByteArrayInputStream(body), LIMIT);
    }

    private static void assertTooLarge(Executable read) {
        AgentnetException refused = assertThrows(AgentnetException.class, read);
        assertEquals(ProblemType.PAYLOAD_TOO_LARGE, refused.type());
        assertEquals(413, refused.type().status());
        assertEquals("The request body is larger than the limit of " + LIMIT + " bytes", refused.detail());
    }

    @Test
    void tooLargeNamesTheLimit() {
        AgentnetException refused = RequestBodyLimitFilter.tooLarge(1_048_576);
        assertEquals(ProblemType.PAYLOAD_TOO_LARGE, refused.type());
        assertEquals("The request body is larger than the limit of 1048576 bytes", refused.getMessage());
    }

    // -- read()

    @Test
    void singleBytesUpToTheLimitPass() throws IOException {
        try (InputStream in = bounded(LIMIT)) {
            for (int i = 0; i < LIMIT; i++) {
                assertEquals('a' + i, in.read());
            }
            assertEquals(-1, in.read(), "end of a body of exactly the limit");
            assertEquals(-1, in.read());
        }
    }

    @Test
    void theSingleByteOverTheLimitIsRefused() throws IOException {
        try (InputStream in = bounded(LIMIT + 1)) {
            for (int i = 0; i < LIMIT; i++) {
                in.read();
            }
            assertTooLarge(in::read);
        }
    }

    // -- read(byte[], int, int)

    @Test
    void blocksUpToTheLimitPass() throws IOException {
        try (InputStream in = bounded(LIMIT)) {
            byte[] buffer = new byte[64];
            assertEquals(4, in.read(buffer, 0, 4));
            assertEquals(6, in.read(buffer, 4, 60));
            assertEquals(-1, in.read(buffer, 0, 64));
            assertEquals("abcdefghij", new String(buffer, 0, LIMIT, StandardCharsets.US_ASCII));
        }
    }

    @Test
    void aBlockThatPassesTheLimitIsRefused() throws IOException {
        try (InputStream in = bounded(LIMIT + 1)) {
            byte[] buffer = new byte[64];
            assertEquals(LIMIT, in.read(buffer, 0, LIMIT));
            assertTooLarge(() -> in.read(buffer, 0, 1));
        }
    }

    @Test
    void oneBlockOfLimitPlusOneIsRefused() throws IOException {
        try (InputStream in = bounded(LIMIT + 1)) {
            assertTooLarge(() -> in.read(new byte[LIMIT + 1], 0, LIMIT + 1));
        }
    }

    @Test
    void readOfAWholeArrayIsCountedToo() throws IOException {
        try (InputStream in = bounded(LIMIT + 1)) {
            assertEquals(LIMIT, in.read(new byte[LIMIT]));
            assertTooLarge(() -> in.read(new byte[1]));
        }
    }

    @Test
    void readAllBytesAndTransferToAreCounted() throws IOException {
        try (InputStream in = bounded(LIMIT)) {
            assertEquals(LIMIT, in.readAllBytes().length);
        }
        try (InputStream in = bounded(LIMIT)) {
            assertEquals(LIMIT, in.transferTo(new ByteArrayOutputStream()));
        }
        try (InputStream in = bounded(LIMIT + 1)) {
            assertTooLarge(in::readAllBytes);
        }
        try (InputStream in = bounded(1000)) {
            assertTooLarge(() -> in.transferTo(new ByteArrayOutputStream()));
        }
    }

    @Test
    void mixedReadsCountTogether() throws IOException {
        try (InputStream in = bounded(LIMIT + 1)) {
            in.read();
            assertEquals(4, in.read(new byte[4], 0, 4));
            assertEquals(5, in.skip(5));
            assertTooLarge(in::read);
        }
    }

    // -- skip

    @Test
    void skippingUpToTheLimitPasses() throws IOException {
        try (InputStream in = bounded(LIMIT)) {
            assertEquals(LIMIT, in.skip(LIMIT));
            assertEquals(-1, in.read());
        }
    }

    @Test
    void skippingPastTheLimitIsRefused() throws IOException {
        try (InputStream in = bounded(LIMIT + 1)) {
            assertEquals(LIMIT, in.skip(LIMIT));
            assertTooLarge(() -> in.skip(1));
        }
        try (InputStream in = bounded(LIMIT + 1)) {
            assertTooLarge(() -> in.skip(LIMIT + 1));
        }
    }

    @Test
    void skipCountsWhatWasSkippedNotWhatWasAsked() throws IOException {
        try (InputStream in = bounded(3)) {
            assertEquals(3, in.skip(1_000));
            assertEquals(0, in.skip(1_000));
            assertEquals(-1, in.read());
        }
    }

    // -- other limits

    @Test
    void aZeroLimitAcceptsOnlyAnEmptyBody() throws IOException {
        try (InputStream empty = new BoundedInputStream(new ByteArrayInputStream(new byte[0]), 0)) {
            assertArrayEquals(new byte[0], empty.readAllBytes());
        }
        try (InputStream one = new BoundedInputStream(new ByteArrayInputStream(new byte[1]), 0)) {
            AgentnetException refused = assertThrows(AgentnetException.class, one::read);
            assertEquals(ProblemType.PAYLOAD_TOO_LARGE, refused.type());
        }
    }

    @Test
    void aBodyUnderTheLimitIsPassedUnchanged() throws IOException {
        byte[] body = "{\"failDeliveries\":3}".getBytes(StandardCharsets.UTF_8);
        try (InputStream in = new BoundedInputStream(new ByteArrayInputStream(body), 1_048_576)) {
            assertArrayEquals(body, in.readAllBytes());
        }
    }
}
