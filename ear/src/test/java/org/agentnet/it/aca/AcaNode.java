package org.agentnet.it.aca;

import static org.junit.jupiter.api.Assertions.assertEquals;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.agentnet.it.NodeServer;

/**
 * What the ACA integration tests need from the node the build started (ports and directory from
 * failsafe's system properties, as for the other integration tests): HTTP(S) clients verified
 * against the server's own certificate, the operator's credentials, certificates issued through
 * the API from CSRs made by the real openssl, and a way to run openssl.
 */
public final class AcaNode {

    static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final Duration OPENSSL_TIMEOUT = Duration.ofSeconds(60);
    private static final AtomicLong NAMES = new AtomicLong(System.nanoTime() % 1_000_000_000L);

    /** A certificate the node issued: its serial as the API writes it, and where its PEM and key are. */
    record Issued(String serial, Path certificate, Path key, String pem) {
    }

    /** What an openssl run printed, and how it ended. */
    record Result(int exitCode, String out, String err) {
        String all() {
            return out + err;
        }
    }

    private AcaNode() {
    }

    static Path serverDir() {
        return NodeServer.serverDir();
    }

    static String httpPort() {
        return System.getProperty("it.http.port", "9080");
    }

    static URI http(String path) {
        return NodeServer.http(path);
    }

    static URI https(String path) {
        return NodeServer.https(path);
    }

    /** Where openssl is told to send OCSP requests (plain HTTP, as relying parties do). */
    static String ocspUrl() {
        return http("/api/v1/aca/ocsp").toString();
    }

    static HttpClient client() {
        return NodeServer.client();
    }

    static String adminAuthorization() {
        return NodeServer.adminAuthorization();
    }

    static HttpRequest.Builder request(URI uri) {
        return NodeServer.request(uri);
    }

    static <T> HttpResponse<T> send(HttpClient client, HttpRequest request, HttpResponse.BodyHandler<T> body) {
        return NodeServer.send(client, request, body);
    }

    static HttpResponse<String> send(HttpClient client, HttpRequest request) {
        return NodeServer.send(client, request);
    }

    static JsonObject json(String body) {
        return Json.createReader(new StringReader(body)).readObject();
    }

    /** The CA chain (signing CA first) as PEM, written to {@code dir/ca.pem}. */
    static Path caCertificates(HttpClient client, Path dir) throws IOException {
        HttpResponse<String> chain = send(client, request(http("/api/v1/aca/ca-certificates")).GET().build());
        assertEquals(200, chain.statusCode(), chain.body());
        Path ca = dir.resolve("ca.pem");
        Files.writeString(ca, chain.body());
        return ca;
    }

    /**
     * A new agent certificate: a key and CSR made by openssl, an enrollment token from the
     * operator (HTTPS, basic auth), and the application that uses it (201 with the certificate).
     */
    static Issued issue(HttpClient client, Path dir, String prefix) throws IOException {
        String name = prefix + "-" + NAMES.incrementAndGet();
        String organization = "Revocation Tests";
        Path key = dir.resolve(name + ".key");
        Path csr = dir.resolve(name + ".csr");
        Result made = openssl(dir, "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-keyout", key.toString(), "-out", csr.toString(), "-subj", "/O=" + organization + "/CN=" + name);
        assertEquals(0, made.exitCode(), made.all());

        HttpResponse<String> token = send(client, request(https("/api/v1/admin/aca/enrollment-tokens"))
                .header("Authorization", adminAuthorization())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Json.createObjectBuilder()
                        .add("organization", organization)
                        .add("functionTypes", Json.createArrayBuilder().add("planner"))
                        .add("permissionScope", Json.createArrayBuilder().add("discovery"))
                        .build().toString()))
                .build());
        assertEquals(201, token.statusCode(), token.body());

        HttpResponse<String> application = send(client, request(https("/api/v1/aca/applications"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Json.createObjectBuilder()
                        .add("csr", Files.readString(csr))
                        .add("agentName", name)
                        .add("organization", organization)
                        .add("developer", "it@agentnet.test")
                        .add("functionType", "planner")
                        .add("permissionScope", Json.createArrayBuilder().add("discovery"))
                        .add("skills", Json.createArrayBuilder().add("route-planning"))
                        .add("enrollmentToken", json(token.body()).getString("token"))
                        .build().toString()))
                .build());
        assertEquals(201, application.statusCode(), application.body());
        JsonObject certificate = json(application.body()).getJsonObject("certificate");
        Path pem = dir.resolve(name + ".pem");
        Files.writeString(pem, certificate.getString("pem"));
        return new Issued(certificate.getString("serial"), pem, key, certificate.getString("pem"));
    }

    /** Revokes as the operator: POST /api/v1/aca/certificates/{serial}/revocation over HTTPS. */
    public static HttpResponse<String> revoke(HttpClient client, String serial, String reason) {
        return send(client, request(https("/api/v1/aca/certificates/" + serial + "/revocation"))
                .header("Authorization", adminAuthorization())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Json.createObjectBuilder().add("reason", reason).build().toString()))
                .build());
    }

    /** Runs the real openssl in {@code dir}; fails the test (not skips) when it is missing or hangs. */
    static Result openssl(Path dir, String... arguments) {
        List<String> command = new ArrayList<>();
        command.add("openssl");
        command.addAll(List.of(arguments));
        try {
            Path out = Files.createTempFile(dir, "openssl", ".out");
            Path err = Files.createTempFile(dir, "openssl", ".err");
            Process process = new ProcessBuilder(command).directory(dir.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(nullDevice()))
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!process.waitFor(OPENSSL_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("openssl did not finish within " + OPENSSL_TIMEOUT + ": " + command);
            }
            return new Result(process.exitValue(), Files.readString(out), Files.readString(err));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command + " (is openssl installed?)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static java.io.File nullDevice() {
        return new java.io.File(System.getProperty("os.name").startsWith("Windows") ? "NUL" : "/dev/null");
    }

    /** A serial as openssl prints it (upper-case hex bytes) turned into the API's form (lower-case, no leading zeros). */
    static String apiSerial(String opensslHex) {
        String lower = opensslHex.strip().toLowerCase(java.util.Locale.ROOT).replace(":", "");
        return lower.replaceFirst("^0+(?=.)", "");
    }
}
