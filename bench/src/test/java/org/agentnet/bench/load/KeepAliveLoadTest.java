package org.agentnet.bench.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The keep-alive load against the JDK's HTTP server on loopback: counts, statuses, bodies of every framing. */
class KeepAliveLoadTest {

    private HttpServer server;
    private final AtomicLong served = new AtomicLong();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.createContext("/empty", exchange -> {
            served.incrementAndGet();
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        server.createContext("/fixed", exchange -> reply(exchange, 200, "x".repeat(3000), false));
        server.createContext("/chunked", exchange -> reply(exchange, 200, "y".repeat(20_000), true));
        server.createContext("/refused", exchange -> reply(exchange, 403, "{\"title\":\"no\"}", false));
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private void reply(com.sun.net.httpserver.HttpExchange exchange, int status, String body, boolean chunked) throws IOException {
        served.incrementAndGet();
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, chunked ? 0 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private KeepAliveLoad.Result load(String method, String path, String body, int expected, int connections) throws Exception {
        byte[] request = KeepAliveLoad.Connection.request(method, path, "127.0.0.1", body, "Accept: */*");
        return KeepAliveLoad.run("127.0.0.1", server.getAddress().getPort(),
                Collections.nCopies(connections, new KeepAliveLoad.Connection(null, request, expected)),
                Duration.ofMillis(200), Duration.ofMillis(600), null);
    }

    @Test
    void countsEveryResponseOfTheMeasuredWindowAndNoMore() throws Exception {
        KeepAliveLoad.Result result = load("PUT", "/empty", "{\"status\":\"RUNNING\"}", 204, 4);
        assertTrue(result.requests() > 20, result.toString());
        assertEquals(0, result.errors(), result.toString());
        assertEquals(result.requests(), result.latencies().getTotalCount());
        // the warm-up's responses were served but not counted
        assertTrue(served.get() > result.requests(), served.get() + " served, " + result.requests() + " counted");
        assertTrue(result.percentileMillis(99) >= result.percentileMillis(50) && result.percentileMillis(50) > 0, result.toString());
        assertEquals(-1, result.serverCpuNanos());
    }

    @Test
    void readsBodiesByLengthAndByChunksOnOneConnection() throws Exception {
        assertEquals(0, load("GET", "/fixed", null, 200, 2).errors());
        KeepAliveLoad.Result chunked = load("GET", "/chunked", null, 200, 2);
        assertTrue(chunked.requests() > 5, chunked.toString());
        assertEquals(0, chunked.errors(), chunked.toString());
    }

    @Test
    void anotherStatusThanExpectedIsAnError() throws Exception {
        KeepAliveLoad.Result result = load("GET", "/refused", null, 200, 2);
        assertTrue(result.requests() > 0);
        assertEquals(result.requests(), result.errors());
        assertEquals("status 403 (expected 200)", result.firstError());
    }

    @Test
    void aServerThatClosesTheConnectionGetsANewOne() throws Exception {
        server.createContext("/close", exchange -> {
            exchange.getResponseHeaders().add("Connection", "close");
            reply(exchange, 200, "bye", false);
        });
        KeepAliveLoad.Result result = load("GET", "/close", null, 200, 2);
        assertTrue(result.requests() > 5, result.toString());
        assertEquals(0, result.errors(), result.toString());
        // every response closed its connection: about one new connection a response
        assertTrue(result.reconnections() >= result.requests() - 2, result.toString());
    }

    @Test
    void parsesChunkExtensionsAndTrailers() throws IOException {
        String responses = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3;ext=1\r\nabc\r\n0\r\nTrailer: t\r\n\r\n"
                + "HTTP/1.1 204 No Content\r\nServer: x\r\n\r\n"
                + "HTTP/1.1 500 Internal\r\nContent-Length: 2\r\n\r\nok";
        KeepAliveLoad.ResponseReader reader = new KeepAliveLoad.ResponseReader(
                new ByteArrayInputStream(responses.getBytes(StandardCharsets.US_ASCII)));
        assertEquals(List.of(200, 204, 500), List.of(reader.readResponse(), reader.readResponse(), reader.readResponse()));
        assertThrows(IOException.class, reader::readResponse);
    }

    @Test
    void roundsAddUp() throws Exception {
        KeepAliveLoad.Result a = load("PUT", "/empty", "{}", 204, 1);
        KeepAliveLoad.Result b = load("PUT", "/empty", "{}", 204, 1);
        KeepAliveLoad.Result both = a.plus(b);
        assertEquals(a.requests() + b.requests(), both.requests());
        assertEquals(both.requests(), both.latencies().getTotalCount());
        assertEquals(a.seconds() + b.seconds(), both.seconds(), 1e-9);
    }

    @Test
    void readsAServerProcessCpuTimeFromItsPidFile(@org.junit.jupiter.api.io.TempDir java.nio.file.Path userDir) throws IOException {
        java.nio.file.Path serverDir = userDir.resolve("servers").resolve("agentnet");
        java.nio.file.Files.createDirectories(userDir.resolve("servers").resolve(".pid"));
        assertTrue(ProcessCpu.ofLibertyServer(serverDir).isEmpty(), "no PID file: no process");
        java.nio.file.Files.writeString(userDir.resolve("servers/.pid/agentnet.pid"), ProcessHandle.current().pid() + "\n");
        ProcessCpu self = ProcessCpu.ofLibertyServer(serverDir).orElseThrow();
        long before = self.nanos().orElseThrow();
        // spin until this thread itself has used 300 ms of CPU (however long a busy machine makes that take)
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        long spinUntil = threads.getCurrentThreadCpuTime() + 300_000_000L;
        long sum = 0;
        while (threads.getCurrentThreadCpuTime() < spinUntil) {
            sum += Long.numberOfTrailingZeros(sum + System.nanoTime());
        }
        long used = self.nanos().orElseThrow() - before;
        // the process used at least this thread's 300 ms (less the 10 ms ticks /proc counts in, at each end)
        assertTrue(used >= 280_000_000L, "300 ms of this thread's CPU, the process's counted " + used + " ns (" + sum + ")");
    }
}
