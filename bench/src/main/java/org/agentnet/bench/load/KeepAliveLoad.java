package org.agentnet.bench.load;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import org.HdrHistogram.Histogram;

/**
 * A closed-model HTTP/1.1 load over keep-alive connections that costs the client as little as the
 * JDK allows: one platform thread per connection, the request's bytes encoded once, the response
 * read with a minimal parser (status line, {@code Content-Length} or chunked body, skipped).
 *
 * <p>Why not Gatling for these rows: at the heartbeat's rates Gatling (Netty, its session and
 * check machinery, statistics) spends about as much CPU per request as the node's request path,
 * on the same two cores, so the node's throughput would be bounded by the load generator (the
 * Eureka figure the heartbeats are compared with was measured with a lean load generator). Every
 * row this class measures comes with the baseline rows measured the same way in the same run.
 *
 * <p>Each connection sends its request again as soon as the whole response is in. A response is
 * counted in the measured window when it completes inside it; its latency runs from the first
 * byte written to the last byte read. A response with another status than the connection
 * expects is an error (counted, and the first one kept for the report). A server that ends a
 * connection after a response ({@code Connection: close}, as Tomcat does after 100 requests by
 * default) gets a new one, as any HTTP client would; the next request's latency includes it, and
 * the reconnections are counted.
 */
public final class KeepAliveLoad {

    /** Highest latency the histograms hold (a longer one is clamped to it). */
    private static final long MAX_NANOS = TimeUnit.SECONDS.toNanos(60);

    /**
     * One connection of the load.
     *
     * @param tls            null for plain HTTP, otherwise the factory of its TLS socket (its client key material)
     * @param request        the whole request, head and body, sent again and again
     * @param expectedStatus the status every response must have
     */
    public record Connection(SSLSocketFactory tls, byte[] request, int expectedStatus) {

        /** A request with a body (sent with its Content-Length) or without one (body null). */
        public static byte[] request(String method, String path, String host, String body, String... headers) {
            StringBuilder head = new StringBuilder(256).append(method).append(' ').append(path).append(" HTTP/1.1\r\n")
                    .append("Host: ").append(host).append("\r\n");
            for (String header : headers) {
                head.append(header).append("\r\n");
            }
            byte[] bodyBytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
            if (body != null) {
                head.append("Content-Length: ").append(bodyBytes.length).append("\r\n");
            }
            byte[] headBytes = head.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII);
            byte[] all = new byte[headBytes.length + bodyBytes.length];
            System.arraycopy(headBytes, 0, all, 0, headBytes.length);
            System.arraycopy(bodyBytes, 0, all, headBytes.length, bodyBytes.length);
            return all;
        }
    }

    /**
     * What one run measured: the responses completed in the measured window and their latencies,
     * and the server's CPU time in the window ({@code serverCpuNanos}, -1 when not measured).
     */
    public record Result(long requests, long errors, double seconds, Histogram latencies, String firstError,
                         long serverCpuNanos, long reconnections) {

        public double perSecond() {
            return seconds > 0 ? requests / seconds : 0;
        }

        /** The server's CPU time per response in microseconds, or -1. */
        public double serverCpuMicrosPerRequest() {
            return serverCpuNanos < 0 || requests == 0 ? -1 : serverCpuNanos / 1e3 / requests;
        }

        /** Several runs of the same row (rounds) as one. */
        public Result plus(Result other) {
            Histogram both = latencies.copy();
            both.add(other.latencies);
            long cpu = serverCpuNanos < 0 || other.serverCpuNanos < 0 ? -1 : serverCpuNanos + other.serverCpuNanos;
            return new Result(requests + other.requests, errors + other.errors, seconds + other.seconds, both,
                    firstError != null ? firstError : other.firstError, cpu, reconnections + other.reconnections);
        }

        public double percentileMillis(double percentile) {
            return latencies.getTotalCount() == 0 ? -1 : latencies.getValueAtPercentile(percentile) / 1e6;
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%d responses in %.1f s (%.1f/s), p50 %.2f ms, p99 %.2f ms, %d errors%s%s%s",
                    requests, seconds, perSecond(), percentileMillis(50), percentileMillis(99), errors,
                    reconnections == 0 ? "" : ", " + reconnections + " new connections after the server closed one",
                    serverCpuNanos < 0 ? "" : String.format(Locale.ROOT, ", server CPU %.0f us a response", serverCpuMicrosPerRequest()),
                    firstError == null ? "" : " (first: " + firstError + ")");
        }
    }

    private KeepAliveLoad() {
    }

    /**
     * Opens every connection (TLS handshakes included) before the clock starts, then runs the load
     * for {@code warmup} (not counted) and {@code measure}, and closes the connections.
     *
     * @param server null, or the server's process, whose CPU time in the measured window is taken
     * @throws IOException when a connection cannot be opened, or fails (not an error status: a
     *                     broken connection) during the load
     */
    public static Result run(String host, int port, List<Connection> connections, Duration warmup, Duration measure,
                             ProcessCpu server) throws IOException, InterruptedException {
        List<Socket> sockets = new ArrayList<>();
        try {
            for (Connection connection : connections) {
                sockets.add(open(host, port, connection.tls()));
            }
            Endpoint endpoint = new Endpoint(host, port);
            long start = System.nanoTime();
            long measureFrom = start + warmup.toNanos();
            long measureUntil = measureFrom + measure.toNanos();
            List<Worker> workers = new ArrayList<>();
            CountDownLatch done = new CountDownLatch(connections.size());
            AtomicReference<Throwable> failure = new AtomicReference<>();
            for (int i = 0; i < connections.size(); i++) {
                Worker worker = new Worker(endpoint, sockets.get(i), connections.get(i), measureFrom, measureUntil, sockets, i);
                workers.add(worker);
                Thread thread = new Thread(() -> {
                    try {
                        worker.run();
                    } catch (Throwable t) {
                        failure.compareAndSet(null, t);
                    } finally {
                        done.countDown();
                    }
                }, "keep-alive-load-" + i);
                thread.setDaemon(true);
                thread.start();
            }
            long serverCpu = -1;
            if (server != null) {
                sleepUntil(measureFrom);
                long from = server.nanos().orElse(-1);
                sleepUntil(measureUntil);
                long until = server.nanos().orElse(-1);
                serverCpu = from < 0 || until < 0 ? -1 : until - from;
            }
            if (!done.await(warmup.plus(measure).plusSeconds(120).toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IOException("the load did not end within 120 s of its measured window (a response never came)");
            }
            if (failure.get() != null) {
                throw new IOException("a connection of the load failed: " + failure.get(), failure.get());
            }
            Histogram all = new Histogram(MAX_NANOS, 3);
            long requests = 0;
            long errors = 0;
            long reconnections = 0;
            String firstError = null;
            for (Worker worker : workers) {
                all.add(worker.latencies);
                requests += worker.requests;
                errors += worker.errors;
                reconnections += worker.reconnections;
                if (firstError == null) {
                    firstError = worker.firstError;
                }
            }
            return new Result(requests, errors, measure.toNanos() / 1e9, all, firstError, serverCpu, reconnections);
        } finally {
            for (Socket socket : sockets) {
                try {
                    if (socket == null) {
                        continue;
                    }
                    socket.close();
                } catch (IOException ignored) {
                    // the load is over; a close that fails changes nothing measured
                }
            }
        }
    }

    private static void sleepUntil(long nanoTime) throws InterruptedException {
        long left = nanoTime - System.nanoTime();
        if (left > 0) {
            TimeUnit.NANOSECONDS.sleep(left);
        }
    }

    private static Socket open(String host, int port, SSLSocketFactory tls) throws IOException {
        Socket plain = new Socket();
        plain.setTcpNoDelay(true);
        plain.connect(new InetSocketAddress(host, port), 10_000);
        plain.setSoTimeout(60_000);
        if (tls == null) {
            return plain;
        }
        SSLSocket socket = (SSLSocket) tls.createSocket(plain, host, port, true);
        socket.startHandshake();
        return socket;
    }

    private record Endpoint(String host, int port) {
    }

    /** One connection's loop; its counters are read after its thread ended. */
    private static final class Worker {

        private final Endpoint endpoint;
        private final Connection connection;
        private final List<Socket> sockets;
        private final int slot;
        private OutputStream out;
        private ResponseReader in;
        private final long measureFrom;
        private final long measureUntil;
        final Histogram latencies = new Histogram(MAX_NANOS, 3);
        long requests;
        long errors;
        long reconnections;
        String firstError;

        Worker(Endpoint endpoint, Socket socket, Connection connection, long measureFrom, long measureUntil,
               List<Socket> sockets, int slot) throws IOException {
            this.endpoint = endpoint;
            this.connection = connection;
            this.sockets = sockets;
            this.slot = slot;
            use(socket);
            this.measureFrom = measureFrom;
            this.measureUntil = measureUntil;
        }

        private void use(Socket socket) throws IOException {
            this.out = socket.getOutputStream();
            this.in = new ResponseReader(new BufferedInputStream(socket.getInputStream(), 16 * 1024));
        }

        void run() throws IOException {
            byte[] request = connection.request();
            boolean closed = false;
            while (true) {
                long sent = System.nanoTime();
                if (sent >= measureUntil) {
                    return;
                }
                if (closed) {
                    Socket old = sockets.get(slot);
                    old.close();
                    Socket fresh = open(endpoint.host(), endpoint.port(), connection.tls());
                    synchronized (sockets) {
                        sockets.set(slot, fresh); // closed by run() at the end
                    }
                    use(fresh);
                    reconnections++;
                }
                out.write(request);
                out.flush();
                int status = in.readResponse();
                closed = in.closes();
                long received = System.nanoTime();
                if (received < measureFrom || received >= measureUntil) {
                    continue;
                }
                requests++;
                latencies.recordValue(Math.min(received - sent, MAX_NANOS));
                if (status != connection.expectedStatus()) {
                    errors++;
                    if (firstError == null) {
                        firstError = "status " + status + " (expected " + connection.expectedStatus() + ")";
                    }
                }
            }
        }
    }

    /** Reads one HTTP/1.1 response at a time from a keep-alive connection, skipping its body. */
    static final class ResponseReader {

        private final InputStream in;
        private final StringBuilder line = new StringBuilder(128);
        private boolean closes;

        ResponseReader(InputStream in) {
            this.in = in;
        }

        /** Whether the server ends the connection after the last response read. */
        boolean closes() {
            return closes;
        }

        /** The response's status; its head and body are consumed. */
        int readResponse() throws IOException {
            closes = false;
            String statusLine = readLine();
            if (!statusLine.startsWith("HTTP/1.") || statusLine.length() < 12) {
                throw new IOException("not an HTTP/1.x status line: " + statusLine);
            }
            int status = Integer.parseInt(statusLine.substring(9, 12));
            long length = -1;
            boolean chunked = false;
            for (String header = readLine(); !header.isEmpty(); header = readLine()) {
                int colon = header.indexOf(':');
                if (colon <= 0) {
                    continue;
                }
                String name = header.substring(0, colon).trim();
                String value = header.substring(colon + 1).trim();
                if (name.equalsIgnoreCase("Content-Length")) {
                    length = Long.parseLong(value);
                } else if (name.equalsIgnoreCase("Transfer-Encoding") && value.toLowerCase(Locale.ROOT).contains("chunked")) {
                    chunked = true;
                } else if (name.equalsIgnoreCase("Connection") && value.equalsIgnoreCase("close")) {
                    closes = true;
                }
            }
            if (chunked) {
                skipChunks();
            } else if (length > 0) {
                skip(length);
            } else if (length < 0 && status != 204 && status != 304 && (status < 100 || status >= 200)) {
                throw new IOException("a response of status " + status + " without Content-Length or chunks: its end is unknown");
            }
            return status;
        }

        private void skipChunks() throws IOException {
            while (true) {
                String size = readLine();
                int extension = size.indexOf(';');
                long chunk = Long.parseLong((extension < 0 ? size : size.substring(0, extension)).trim(), 16);
                if (chunk == 0) {
                    while (!readLine().isEmpty()) {
                        // trailer fields, if any
                    }
                    return;
                }
                skip(chunk);
                readLine();
            }
        }

        private void skip(long bytes) throws IOException {
            long left = bytes;
            while (left > 0) {
                long skipped = in.skip(left);
                if (skipped <= 0) {
                    if (in.read() < 0) {
                        throw new IOException("the connection closed inside a response body");
                    }
                    skipped = 1;
                }
                left -= skipped;
            }
        }

        private String readLine() throws IOException {
            line.setLength(0);
            while (true) {
                int b = in.read();
                if (b < 0) {
                    throw new IOException("the connection closed inside a response");
                }
                if (b == '\n') {
                    int end = line.length();
                    if (end > 0 && line.charAt(end - 1) == '\r') {
                        line.setLength(end - 1);
                    }
                    return line.toString();
                }
                line.append((char) b);
            }
        }
    }
}
