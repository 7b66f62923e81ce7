package org.agentnet.bench;

import jakarta.json.Json;
import java.io.ByteArrayInputStream;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.UUID;
import javax.net.ssl.KeyManagerFactory;

/**
 * One agent certificate issued by the bench server's ACA the way an agent gets one (an operator's
 * enrollment token, then {@code POST /api/v1/aca/applications} with its CSR, answered 201), held
 * as TLS key material: the benchmark presents it over mutual TLS, as agents call the ARS.
 */
final class AgentCredential {

    private static final char[] PASSWORD = "bench".toCharArray();

    private final KeyStore keyStore;
    final String agentName;
    final KeyPair keys;
    final X509Certificate certificate;

    private AgentCredential(KeyStore keyStore, String agentName, KeyPair keys, X509Certificate certificate) {
        this.keyStore = keyStore;
        this.agentName = agentName;
        this.keys = keys;
        this.certificate = certificate;
    }

    static AgentCredential issue(BenchConfig config, String adminPassword) {
        return issue(config, adminPassword, "bench-discovery-" + UUID.randomUUID().toString().substring(0, 8));
    }

    /** An agent certificate for the agent name (unique in the run; organization {@link EnrollmentSupply#ORGANIZATION}). */
    static AgentCredential issue(BenchConfig config, String adminPassword, String agentName) {
        try {
            HttpClient client = HttpClient.newBuilder().sslContext(EnrollmentSupply.trustAny(null))
                    .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(20)).build();
            String authorization = "Basic " + Base64.getEncoder()
                    .encodeToString(("admin:" + adminPassword).getBytes(StandardCharsets.UTF_8));
            String token = EnrollmentSupply.token(client, URI.create(config.httpsBaseUrl() + "/api/v1/admin/aca/enrollment-tokens"),
                    authorization);
            KeyPair keys = EnrollmentSupply.ecGenerator().generateKeyPair();
            String body = EnrollmentSupply.application(EnrollmentSupply.csr(keys, agentName), agentName, token);
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(config.httpsBaseUrl()
                            + "/api/v1/aca/applications")).timeout(Duration.ofSeconds(60))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 201) {
                throw new IllegalStateException("the ACA answered " + response.statusCode() + ": " + response.body());
            }
            String pem = Json.createReader(new StringReader(response.body())).readObject()
                    .getJsonObject("certificate").getString("pem");
            Certificate certificate = CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("agent", keys.getPrivate(), PASSWORD, new Certificate[] {certificate});
            return new AgentCredential(store, agentName, keys, (X509Certificate) certificate);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (Exception e) {
            throw new IllegalStateException("could not issue the benchmark's agent certificate: " + e.getMessage(), e);
        }
    }

    /** The key material for Gatling ({@code perUserKeyManagerFactory}); a new factory each call. */
    KeyManagerFactory keyManagerFactory() {
        try {
            KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            factory.init(keyStore, PASSWORD);
            return factory;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
