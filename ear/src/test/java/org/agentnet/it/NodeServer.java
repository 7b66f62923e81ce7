package org.agentnet.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import jakarta.json.Json;
import jakarta.json.JsonStructure;

/**
 * The node the integration tests talk to: the server the build started (ports and directory come
 * from failsafe system properties). HTTPS is verified against the node's CA with host name
 * verification, as peers verify it, never switched off.
 */
public final class NodeServer {

    public static final Duration TIMEOUT = Duration.ofSeconds(20);

    private NodeServer() {
    }

    public static Path serverDir() {
        String dir = System.getProperty("it.server.dir");
        if (dir == null) {
            throw new IllegalStateException("it.server.dir is not set: run the integration tests with Maven (mvn verify)");
        }
        return Path.of(dir);
    }

    public static URI http(String path) {
        return URI.create("http://localhost:" + System.getProperty("it.http.port", "9080") + path);
    }

    public static URI https(String path) {
        return URI.create("https://localhost:" + System.getProperty("it.https.port", "9443") + path);
    }

    /** The keystore password Liberty generated into server.env when the server was created. */
    public static char[] keystorePassword() {
        return keystorePassword(serverDir());
    }

    /** The keystore password of the server in the given directory (this node or a {@link PeerNode}). */
    static char[] keystorePassword(Path serverDir) {
        Properties env = new Properties();
        try (InputStream in = Files.newInputStream(serverDir.resolve("server.env"))) {
            env.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return env.getProperty("keystore_password").toCharArray();
    }

    /** The operator password: AGENTNET_ADMIN_PASSWORD, or the one the node generated at first start. */
    public static String adminPassword() {
        return adminPassword(serverDir());
    }

    static String adminPassword(Path serverDir) {
        String fromEnvironment = System.getenv("AGENTNET_ADMIN_PASSWORD");
        if (fromEnvironment != null && !fromEnvironment.isBlank()) {
            return fromEnvironment;
        }
        try {
            String xml = Files.readString(serverDir.resolve("configDropins/overrides/admin-user.xml"));
            Matcher password = Pattern.compile("<user name=\"admin\" password=\"([^\"]+)\"").matcher(xml);
            if (!password.find()) {
                throw new IllegalStateException("no generated admin password in admin-user.xml");
            }
            return password.group(1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String adminAuthorization() {
        return basic("admin", adminPassword());
    }

    /** The user of {@link #operatorWithoutRoleAuthorization()}: in the registry, not in the group operators. */
    public static final String USER_WITHOUT_ROLE = "observer";

    private static String passwordWithoutRole;

    /**
     * Basic credentials of a user that the node's registry knows but that does not hold the role
     * {@code admin}, for tests of role checks. The first call adds the user (random password) to
     * the test server's basic registry with a config dropin ({@code it-users.xml}, merged with the
     * registry of {@code admin-user.xml}) and waits until Liberty applied it.
     */
    public static synchronized String operatorWithoutRoleAuthorization() {
        if (passwordWithoutRole == null) {
            String password = java.util.UUID.randomUUID().toString();
            Path dropin = serverDir().resolve("configDropins/overrides/it-users.xml");
            try {
                Files.writeString(dropin, """
                        <?xml version="1.0" encoding="UTF-8"?>
                        <!-- Written by the integration tests (NodeServer): a user without the role admin. -->
                        <server>
                            <basicRegistry id="basic" realm="agentnet">
                                <user name="%s" password="%s"/>
                            </basicRegistry>
                        </server>
                        """.formatted(USER_WITHOUT_ROLE, password));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            String authorization = basic(USER_WITHOUT_ROLE, password);
            java.time.Instant deadline = java.time.Instant.now().plusSeconds(30);
            int status = 0;
            while (java.time.Instant.now().isBefore(deadline)) {
                status = send(client(), request(https("/api/v1/admin/jobs")).header("Authorization", authorization).GET().build())
                        .statusCode();
                if (status == 403) { // known, and not an operator
                    passwordWithoutRole = password;
                    return authorization;
                }
                try {
                    Thread.sleep(250);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
            throw new AssertionError("the user " + USER_WITHOUT_ROLE + " was not applied by the server within 30 s (last status "
                    + status + ")");
        }
        return basic(USER_WITHOUT_ROLE, passwordWithoutRole);
    }

    public static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * A client that verifies the server as any peer would: PKIX against the node's CA (the ACA
     * certificate in {@code resources/security/aca-ca.p12}), with host name verification, never
     * trust-all; optionally presenting a client certificate.
     */
    public static HttpClient client(KeyStore clientKeys, char[] clientKeyPassword) {
        return client(serverDir(), clientKeys, clientKeyPassword);
    }

    /** A client of the server in the given directory (this node or a {@link PeerNode}). */
    static HttpClient client(Path serverDir, KeyStore clientKeys, char[] clientKeyPassword) {
        try {
            KeyStore anchors = KeyStore.getInstance("PKCS12");
            anchors.load(null, null);
            int n = 0;
            for (X509Certificate ca : caCertificates(serverDir)) {
                anchors.setCertificateEntry("ca-" + n++, ca);
            }
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(anchors);
            KeyManagerFactory keys = null;
            if (clientKeys != null) {
                keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                keys.init(clientKeys, clientKeyPassword);
            }
            SSLContext tls = SSLContext.getInstance("TLS");
            tls.init(keys == null ? null : keys.getKeyManagers(), trust.getTrustManagers(), null);
            // java.net.http verifies the host name against the certificate unless told not to
            return HttpClient.newBuilder()
                    .sslContext(tls)
                    .version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(TIMEOUT)
                    .followRedirects(HttpClient.Redirect.NEVER)
                    .build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The node's CA chain (the ACA's certificate first), read from the CA keystore the node created
     * at first start: what the node's HTTPS certificate chains to.
     */
    public static List<X509Certificate> caCertificates() {
        return caCertificates(serverDir());
    }

    static List<X509Certificate> caCertificates(Path serverDir) {
        try {
            KeyStore caStore = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(serverDir.resolve("resources/security/aca-ca.p12"))) {
                caStore.load(in, keystorePassword(serverDir));
            }
            Certificate[] chain = caStore.getCertificateChain("agentnet-ca");
            if (chain == null) {
                throw new IllegalStateException("aca-ca.p12 has no entry agentnet-ca");
            }
            return Arrays.stream(chain).map(X509Certificate.class::cast).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public static HttpClient client() {
        return client(null, null);
    }

    public static HttpResponse<String> send(HttpClient client, HttpRequest request) {
        return send(client, request, HttpResponse.BodyHandlers.ofString());
    }

    /**
     * Sends the request. A connection that could not be set up within {@link #TIMEOUT} (TCP and TLS
     * handshake: java.net.http counts both) is tried once more, as HTTP clients do, and said on
     * stderr: the request was never sent, so even a POST is safe to send again. Seen once in four full
     * runs (CI, 2026-11-27, ApplicationLeanPathIT); the cause was not found (the suspect: Liberty
     * reloading the truststore, which the tests before it change).
     */
    public static <T> HttpResponse<T> send(HttpClient client, HttpRequest request, HttpResponse.BodyHandler<T> body) {
        try {
            try {
                return client.send(request, body);
            } catch (HttpConnectTimeoutException e) {
                System.err.println("[it] " + request.method() + " " + request.uri() + ": " + e.getMessage()
                        + " after " + TIMEOUT.toSeconds() + " s; connecting once more");
                return client.send(request, body);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static HttpRequest.Builder request(URI uri) {
        return HttpRequest.newBuilder(uri).timeout(TIMEOUT);
    }

    public static JsonStructure json(HttpResponse<String> response) {
        return Json.createReader(new StringReader(response.body())).read();
    }
}
