package org.agentnet.it.campaign;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.agentnet.it.NodeServer;

/**
 * An HTTP/1.1 client that writes the request bytes as given: the campaign sends what
 * {@code java.net.http} refuses to (declared lengths that lie, raw bytes in the request target,
 * oversized and repeated headers, several Content-Lengths). One connection per request
 * ({@code Connection: close}), TLS verified against the node's CA with host name verification,
 * optionally presenting a client certificate.
 */
final class RawHttp {

    static final int READ_TIMEOUT_MILLIS = 30_000;
    private static final int MAX_RESPONSE_BYTES = 8 * 1024 * 1024;

    /** Who connects: a client certificate (or none) and an Authorization header (or none). */
    record Caller(String name, KeyStore keys, char[] password, String authorization) {

        static final Caller NONE = new Caller("none", null, null, null);

        boolean isAnonymous() {
            return keys == null && authorization == null;
        }

        Caller withoutCredentials() {
            return NONE;
        }
    }

    /** A request as bytes on the wire. {@code target} is written as is (it may hold any byte). */
    record Request(boolean tls, Caller caller, String method, byte[] target, List<String[]> headers, byte[] body,
                   boolean chunked, boolean addContentLength) {

        String describe() {
            String path = new String(target, StandardCharsets.ISO_8859_1);
            if (path.length() > 160) {
                path = path.substring(0, 160) + "...(" + target.length + " bytes)";
            }
            return (tls ? "https " : "http ") + method + " " + path.replaceAll("[\\x00-\\x1f\\x7f-\\xff]", "?") + " as " + caller.name();
        }
    }

    /** What came back: status 0 when nothing did ({@code failure} says why). */
    record Response(int status, Map<String, List<String>> headers, byte[] body, String failure) {

        String header(String name) {
            List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
            return values == null || values.isEmpty() ? null : values.get(0);
        }

        String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private final Map<String, SSLContext> contexts = new ConcurrentHashMap<>();
    private final int httpPort;
    private final int httpsPort;
    private final List<X509Certificate> anchors;

    RawHttp(int httpPort, int httpsPort, List<X509Certificate> anchors) {
        this.httpPort = httpPort;
        this.httpsPort = httpsPort;
        this.anchors = anchors;
    }

    static RawHttp forNode() {
        return new RawHttp(Integer.parseInt(System.getProperty("it.http.port", "9080")),
                Integer.parseInt(System.getProperty("it.https.port", "9443")), NodeServer.caCertificates());
    }

    Response send(Request request) {
        try (Socket socket = open(request)) {
            socket.setSoTimeout(READ_TIMEOUT_MILLIS);
            OutputStream out = socket.getOutputStream();
            String writeFailure = null;
            try {
                out.write(head(request));
                if (request.chunked()) {
                    writeChunked(out, request.body());
                } else if (request.body() != null) {
                    out.write(request.body());
                }
                out.flush();
            } catch (IOException e) {
                // the server may answer (413) and close before it read all of a large body: read its answer
                writeFailure = e.toString();
            }
            return read(socket.getInputStream(), request.method(), writeFailure);
        } catch (IOException e) {
            return new Response(0, Map.of(), new byte[0], e.toString());
        }
    }

    private Socket open(Request request) throws IOException {
        if (!request.tls()) {
            Socket socket = new Socket();
            socket.connect(new InetSocketAddress("localhost", httpPort), 10_000);
            return socket;
        }
        SSLSocket socket = (SSLSocket) context(request.caller()).getSocketFactory().createSocket();
        socket.connect(new InetSocketAddress("localhost", httpsPort), 10_000);
        SSLParameters parameters = socket.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        parameters.setServerNames(List.of(new SNIHostName("localhost")));
        socket.setSSLParameters(parameters);
        socket.setSoTimeout(READ_TIMEOUT_MILLIS);
        socket.startHandshake();
        return socket;
    }

    private SSLContext context(Caller caller) {
        return contexts.computeIfAbsent(caller.name(), name -> {
            try {
                KeyStore trusted = KeyStore.getInstance("PKCS12");
                trusted.load(null, null);
                for (int i = 0; i < anchors.size(); i++) {
                    trusted.setCertificateEntry("ca-" + i, anchors.get(i));
                }
                TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                trust.init(trusted);
                KeyManagerFactory keys = null;
                if (caller.keys() != null) {
                    keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                    keys.init(caller.keys(), caller.password());
                }
                SSLContext tls = SSLContext.getInstance("TLS");
                tls.init(keys == null ? null : keys.getKeyManagers(), trust.getTrustManagers(), null);
                return tls;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private static byte[] head(Request request) {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        head.writeBytes(request.method().getBytes(StandardCharsets.ISO_8859_1));
        head.write(' ');
        head.writeBytes(request.target());
        head.writeBytes(" HTTP/1.1\r\n".getBytes(StandardCharsets.ISO_8859_1));
        List<String[]> headers = new ArrayList<>();
        headers.add(new String[] {"Host", "localhost"});
        if (request.caller().authorization() != null) {
            headers.add(new String[] {"Authorization", request.caller().authorization()});
        }
        headers.addAll(request.headers());
        if (request.chunked()) {
            headers.add(new String[] {"Transfer-Encoding", "chunked"});
        } else if (request.addContentLength() && request.body() != null) {
            headers.add(new String[] {"Content-Length", Integer.toString(request.body().length)});
        }
        headers.add(new String[] {"Connection", "close"});
        for (String[] header : headers) {
            // header values are written as bytes 0-255: a campaign value may carry any of them
            head.writeBytes(header[0].getBytes(StandardCharsets.ISO_8859_1));
            head.writeBytes(": ".getBytes(StandardCharsets.ISO_8859_1));
            head.writeBytes(header[1].getBytes(StandardCharsets.ISO_8859_1));
            head.writeBytes("\r\n".getBytes(StandardCharsets.ISO_8859_1));
        }
        head.writeBytes("\r\n".getBytes(StandardCharsets.ISO_8859_1));
        return head.toByteArray();
    }

    private static void writeChunked(OutputStream out, byte[] body) throws IOException {
        int chunk = 16 * 1024;
        for (int offset = 0; body != null && offset < body.length; offset += chunk) {
            int length = Math.min(chunk, body.length - offset);
            out.write((Integer.toHexString(length) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.write(body, offset, length);
            out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
        }
        out.write("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
    }

    private static Response read(InputStream in, String method, String writeFailure) {
        while (true) {
            Response response = readOne(in, method, writeFailure);
            if (response.status() < 100 || response.status() >= 200) {
                return response;
            }
            // 100 Continue and other interim answers: the final one follows
        }
    }

    private static Response readOne(InputStream in, String method, String writeFailure) {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        try {
            // the head: up to the empty line
            int last4 = 0;
            while (last4 != 0x0d0a0d0a) {
                int b = in.read();
                if (b < 0) {
                    return new Response(0, Map.of(), new byte[0], "connection closed before an answer"
                            + (writeFailure == null ? "" : " (writing: " + writeFailure + ")"));
                }
                head.write(b);
                last4 = last4 << 8 | b;
                if (head.size() > 256 * 1024) {
                    return new Response(0, Map.of(), new byte[0], "answer head larger than 256 KB");
                }
            }
            String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
            String[] statusLine = lines[0].split(" ", 3);
            int status = Integer.parseInt(statusLine[1]);
            Map<String, List<String>> headers = new LinkedHashMap<>();
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                if (colon > 0) {
                    headers.computeIfAbsent(lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                            .add(lines[i].substring(colon + 1).strip());
                }
            }
            byte[] body;
            String encoding = first(headers, "transfer-encoding");
            String length = first(headers, "content-length");
            if (method.equals("HEAD") || status == 204 || status == 304 || status / 100 == 1) {
                body = new byte[0];
            } else if (encoding != null && encoding.toLowerCase(Locale.ROOT).contains("chunked")) {
                body = readChunked(in);
            } else if (length != null) {
                body = in.readNBytes(Math.min(Integer.parseInt(length), MAX_RESPONSE_BYTES));
            } else {
                body = in.readNBytes(MAX_RESPONSE_BYTES);
            }
            return new Response(status, headers, body, null);
        } catch (SocketTimeoutException e) {
            return new Response(0, Map.of(), new byte[0], "no answer within " + READ_TIMEOUT_MILLIS + " ms; got "
                    + head.size() + " bytes of the head");
        } catch (IOException | RuntimeException e) {
            return new Response(0, Map.of(), new byte[0], "unreadable answer: " + e
                    + " after " + head.toString(StandardCharsets.ISO_8859_1).lines().findFirst().orElse(""));
        }
    }

    private static byte[] readChunked(InputStream in) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String size = line(in);
            int semicolon = size.indexOf(';');
            int length = Integer.parseInt((semicolon < 0 ? size : size.substring(0, semicolon)).strip(), 16);
            if (length == 0) {
                while (!line(in).isEmpty()) {
                    // trailers
                }
                return body.toByteArray();
            }
            if (body.size() + length > MAX_RESPONSE_BYTES) {
                throw new IOException("answer larger than " + MAX_RESPONSE_BYTES + " bytes");
            }
            body.writeBytes(in.readNBytes(length));
            line(in);
        }
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0 && b != '\n') {
            if (b != '\r') {
                line.write(b);
            }
        }
        if (b < 0 && line.size() == 0) {
            throw new IOException("connection closed inside a chunked answer");
        }
        return line.toString(StandardCharsets.ISO_8859_1);
    }

    private static String first(Map<String, List<String>> headers, String name) {
        List<String> values = headers.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }
}
