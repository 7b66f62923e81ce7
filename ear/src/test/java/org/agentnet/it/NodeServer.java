package org.agentnet.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
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

    public static <T> HttpResponse<T> send(HttpClient client, HttpRequest request, HttpResponse.BodyHandler<T> body) {
        try {
            return client.send(request, body);
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
