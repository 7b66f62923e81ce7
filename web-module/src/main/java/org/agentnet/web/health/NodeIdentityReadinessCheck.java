package org.agentnet.web.health;

import jakarta.ejb.EJB;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.Optional;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.agentnet.security.NodeIdentity;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready only once Liberty serves the node's own certificate on the HTTPS port: peers and agents
 * verify the node by it, and until Liberty has read the key store the application wrote, the
 * port still serves the generated one. The check makes a TLS handshake with its own port and
 * compares the served certificate with the node's. When the node's own ACA issued that
 * certificate, the handshake also presents it as a client certificate and sends one request:
 * until Liberty has read the trust store the application wrote (the ACA's CA), a client
 * certificate of this domain is refused, or worse, its handshake is left hanging (seen on a fresh
 * server: "trustAnchors parameter must be non-empty"), so the node is not ready for agents yet.
 * Once both hold, the result is cached for that certificate, so the check is repeated only after a
 * renewal.
 */
@Readiness
@ApplicationScoped
public class NodeIdentityReadinessCheck implements HealthCheck {

    private static final int TIMEOUT_MILLIS = 2000;

    @EJB
    NodeIdentity identity;

    @Inject
    @ConfigProperty(name = "agentnet.server.https.port")
    Optional<Integer> httpsPort;

    private volatile X509Certificate confirmed;

    @Override
    public HealthCheckResponse call() {
        var response = HealthCheckResponse.named("node-identity").withData("source", identity.source().name());
        Optional<X509Certificate> expected = identity.certificate();
        if (expected.isEmpty()) {
            return response.up().withData("served", "Liberty's generated certificate (no node identity)").build();
        }
        X509Certificate certificate = expected.get();
        response.withData("uri", identity.uri().orElse(""))
                .withData("serial", certificate.getSerialNumber().toString(16));
        if (certificate.equals(confirmed)) {
            return response.up().build();
        }
        if (httpsPort.isEmpty()) {
            return response.down().withData("error", "agentnet.server.https.port is not set").build();
        }
        try {
            KeyManager[] clientKeys = identity.source() == NodeIdentity.Source.ACA ? identity.keyManagers() : null;
            X509Certificate served = servedCertificate(httpsPort.get(), certificate, clientKeys);
            if (served.equals(certificate)) {
                confirmed = certificate;
                return response.up().build();
            }
            return response.down().withData("served", served.getSubjectX500Principal().getName()).build();
        } catch (IOException | GeneralSecurityException e) {
            return response.down().withData("error", "HTTPS does not serve the node certificate yet: " + e.getMessage()).build();
        }
    }

    /**
     * The certificate the local HTTPS port presents; the handshake is accepted for the node's own
     * certificate only. With {@code clientKeys}, they are presented as the client certificate and an
     * HTTP request must be answered over the connection (TLS 1.3 refuses a client certificate only
     * after the client's side of the handshake is done).
     */
    static X509Certificate servedCertificate(int port, X509Certificate expected, KeyManager[] clientKeys)
            throws IOException, GeneralSecurityException {
        X509Certificate[] served = new X509Certificate[1];
        X509TrustManager pinned = new X509TrustManager() {
            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
                served[0] = chain[0];
                if (!chain[0].equals(expected)) {
                    throw new CertificateException("the port serves " + chain[0].getSubjectX500Principal().getName()
                            + " (serial " + chain[0].getSerialNumber().toString(16) + "), not the node certificate");
                }
            }

            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
                throw new CertificateException("client side only");
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(clientKeys, new TrustManager[] {pinned}, null);
        try (SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket()) {
            socket.connect(new InetSocketAddress("localhost", port), TIMEOUT_MILLIS);
            socket.setSoTimeout(TIMEOUT_MILLIS);
            socket.startHandshake();
            X509Certificate presented = (X509Certificate) socket.getSession().getPeerCertificates()[0];
            if (clientKeys != null && presented.equals(expected)) {
                socket.getOutputStream().write("GET /health/live HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
                        .getBytes(StandardCharsets.US_ASCII));
                socket.getOutputStream().flush();
                String status = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
                        .readLine();
                if (status == null || !status.startsWith("HTTP/1.1 ")) {
                    throw new IOException("the port does not yet accept a client certificate of this node's CA");
                }
            }
            return presented;
        } catch (IOException e) {
            if (served[0] != null && !served[0].equals(expected)) {
                throw new IOException("the port serves " + served[0].getSubjectX500Principal().getName(), e);
            }
            throw e;
        }
    }
}
