package org.agentnet.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.junit.jupiter.api.Test;

/**
 * TLS client certificates are supported, not required: a client certificate that chains to a CA
 * in the node's truststore (resources/security/trust.p12, where the node's ACA certificate goes)
 * is accepted and visible to the application; a CA added to the truststore while the server runs
 * is trusted without a restart.
 */
class MutualTlsIT {

    private static final char[] CLIENT_PASSWORD = TestPki.CLIENT_PASSWORD;

    @Test
    void aClientCertificateFromATrustedCaIsSeenByTheApplication() throws Exception {
        KeyPair caKeys = ecKeys();
        X509Certificate ca = certificate("CN=IT Test CA " + System.nanoTime() + ",O=agentnet-it", caKeys, null, caKeys, true);
        addToServerTrustStore("it-ca-" + System.nanoTime(), ca);

        KeyPair agentKeys = ecKeys();
        X509Certificate agent = certificate("CN=it-agent,O=agentnet-it", agentKeys, ca, caKeys, false);
        KeyStore agentStore = keyStore(agentKeys, agent, ca);

        // a new client (new TLS session) per attempt: a session made before the truststore
        // reload would be resumed without the client certificate
        JsonObject caller = awaitClientCertificateSeen(() -> NodeServer.client(agentStore, CLIENT_PASSWORD));
        JsonObject certificate = caller.getJsonObject("clientCertificate");
        assertEquals(agent.getSubjectX500Principal().getName(), certificate.getString("subject"));
        assertEquals(agent.getSerialNumber().toString(16), certificate.getString("serialNumber"));
        assertTrue(caller.getBoolean("secure"));
    }

    @Test
    void theTrustStoreIsTheOneTheNodeManages() throws Exception {
        Path dropin = NodeServer.serverDir().resolve("configDropins/overrides/truststore.xml");
        assertTrue(Files.readString(dropin).contains("trustStoreRef=\"agentnetTrustStore\""));
        KeyStore trust = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(trustStorePath())) {
            trust.load(in, NodeServer.keystorePassword());
        }
        for (String alias : java.util.Collections.list(trust.aliases())) {
            assertFalse(trust.isKeyEntry(alias), "the truststore holds certificates only, no keys: " + alias);
        }
    }

    @Test
    void aClientCertificateFromAnUnknownCaIsNotAccepted() throws Exception {
        KeyPair rogueKeys = ecKeys();
        X509Certificate rogue = certificate("CN=rogue,O=nobody", rogueKeys, null, rogueKeys, false);
        HttpClient client = NodeServer.client(keyStore(rogueKeys, rogue), CLIENT_PASSWORD);
        // Either the handshake is refused, or the certificate is not passed on as an identity.
        try {
            HttpResponse<String> response = NodeServer.send(client,
                    NodeServer.request(NodeServer.https("/api/v1/caller")).GET().build());
            assertFalse(NodeServer.json(response).asJsonObject().containsKey("clientCertificate"), response.body());
        } catch (UncheckedIOException refused) {
            assertThrows(UncheckedIOException.class, () -> { throw refused; });
        }
    }

    private static JsonObject awaitClientCertificateSeen(Supplier<HttpClient> clients) throws InterruptedException {
        // Liberty polls the truststore file every 5 s
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        String last = "";
        while (Instant.now().isBefore(deadline)) {
            try {
                HttpResponse<String> response = NodeServer.send(clients.get(),
                        NodeServer.request(NodeServer.https("/api/v1/caller")).GET().build());
                last = response.body();
                JsonObject caller = NodeServer.json(response).asJsonObject();
                if (caller.containsKey("clientCertificate")) {
                    return caller;
                }
            } catch (UncheckedIOException handshakeRefused) {
                last = handshakeRefused.toString();
            }
            Thread.sleep(500);
        }
        throw new AssertionError("the client certificate was never accepted; last answer: " + last);
    }

    private static Path trustStorePath() {
        return NodeServer.serverDir().resolve("resources/security/trust.p12");
    }

    /** Adds a CA the way the node's ACA does: load, add a certificate entry, replace the file atomically. */
    private static synchronized void addToServerTrustStore(String alias, X509Certificate ca) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(trustStorePath())) {
            trust.load(in, NodeServer.keystorePassword());
        }
        trust.setCertificateEntry(alias, ca);
        Path temp = Files.createTempFile(trustStorePath().getParent(), "it-trust", ".tmp");
        try (OutputStream out = Files.newOutputStream(temp)) {
            trust.store(out, NodeServer.keystorePassword());
        }
        Files.move(temp, trustStorePath(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static KeyPair ecKeys() {
        return TestPki.ecKeys();
    }

    /** A certificate for {@code subject}, signed by {@code issuer} (self-signed when null), valid for a day. */
    private static X509Certificate certificate(String subject, KeyPair subjectKeys, X509Certificate issuer,
                                               KeyPair issuerKeys, boolean ca) {
        return TestPki.certificate(subject, subjectKeys, issuer, issuerKeys, ca,
                ca ? KeyUsage.keyCertSign | KeyUsage.cRLSign : KeyUsage.digitalSignature,
                Instant.now().minus(Duration.ofMinutes(1)), Instant.now().plus(Duration.ofDays(1)), null);
    }

    private static KeyStore keyStore(KeyPair keys, X509Certificate... chain) {
        return TestPki.keyStore(keys, chain);
    }
}
