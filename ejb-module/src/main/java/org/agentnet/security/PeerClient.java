package org.agentnet.security;

import jakarta.ejb.EJB;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The node's outbound mutual-TLS client, for calls to peer nodes (ARS-ARS synchronization,
 * AGW-AGW peering). It presents the node identity ({@link NodeIdentity}) as client certificate and
 * accepts a peer only when its server certificate chains to the trust bundle (PKIX), names the
 * host called (host name verification), and passes {@link CertificateVerifier} (validity and
 * revocation, by this node's ACA or the peer CA's CRL) - all during the handshake, so nothing is
 * sent to a peer that fails. The HTTP client is rebuilt when the identity or the trust bundle
 * changes. Every call has a connect and a request timeout, and answers are bounded in size.
 */
@ApplicationScoped
public class PeerClient {

    /** A peer's answer, with the certificate it proved its identity with and the node's verdict on it. */
    public record PeerResponse(int status, String body, X509Certificate peerCertificate, Optional<String> peerIdentity,
                               CertificateVerifier.Result verification) {
    }

    /** Why a call to a peer failed. */
    public enum Failure { NO_IDENTITY, INVALID_URL, UNREACHABLE, TIMEOUT, PEER_REFUSED, PEER_NOT_TRUSTED, ANSWER_TOO_LARGE }

    public static final class PeerException extends RuntimeException {
        private final Failure failure;

        PeerException(Failure failure, String message, Throwable cause) {
            super(message, cause);
            this.failure = failure;
        }

        public Failure failure() {
            return failure;
        }
    }

    /**
     * A failed call to a peer as operators read it (a peer's lastError): the kind of failure and
     * what happened, never a Java class name (the log has the exception).
     */
    public static String describe(Throwable failure) {
        Throwable cause = failure;
        while (cause instanceof jakarta.ejb.EJBException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof org.agentnet.common.error.AgentnetException known) {
            return known.type().slug() + ": " + known.detail();
        }
        if (cause instanceof PeerException peer) {
            return peer.failure().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-') + ": " + peer.getMessage();
        }
        return cause.getMessage() == null || cause.getMessage().isBlank() ? "unexpected failure (see the node's log)" : cause.getMessage();
    }

    @EJB
    NodeIdentity identity;

    @EJB
    NodeTrustStore trustStore;

    @Inject
    CertificateVerifier verifier;

    @Inject
    @ConfigProperty(name = "agentnet.peer.connect-timeout")
    Duration connectTimeout;

    @Inject
    @ConfigProperty(name = "agentnet.peer.request-timeout")
    Duration requestTimeout;

    @Inject
    @ConfigProperty(name = "agentnet.peer.max-response-bytes")
    long maxResponseBytes;

    private HttpClient client;
    private long clientIdentityVersion = -1;
    private Map<String, X509Certificate> clientTrust;

    public PeerResponse getJson(URI uri) {
        return send(request(uri).GET().build());
    }

    public PeerResponse postJson(URI uri, String json) {
        return send(request(uri).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8)).build());
    }

    public PeerResponse putJson(URI uri, String json) {
        return send(request(uri).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8)).build());
    }

    public PeerResponse delete(URI uri) {
        return send(request(uri).DELETE().build());
    }

    private HttpRequest.Builder request(URI uri) {
        if (uri == null || !uri.isAbsolute() || !"https".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null
                || uri.getUserInfo() != null) {
            throw new PeerException(Failure.INVALID_URL, "a peer is called at an absolute https URL with a host name, without user info", null);
        }
        return HttpRequest.newBuilder(uri).timeout(requestTimeout).header("Accept", "application/json");
    }

    private PeerResponse send(HttpRequest request) {
        HttpResponse<byte[]> response;
        try {
            response = client().send(request, BoundedBody.handler(maxResponseBytes));
        } catch (HttpConnectTimeoutException e) {
            throw new PeerException(Failure.TIMEOUT, "no connection to " + request.uri() + " within " + connectTimeout, e);
        } catch (HttpTimeoutException e) {
            throw new PeerException(Failure.TIMEOUT, "no answer from " + request.uri() + " within " + requestTimeout, e);
        } catch (SSLException e) {
            throw handshakeFailure(request.uri(), e);
        } catch (ConnectException e) {
            throw new PeerException(Failure.UNREACHABLE, "cannot connect to " + request.uri()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()), e);
        } catch (IOException e) {
            if (e.getMessage() != null && e.getMessage().contains("larger than")) {
                throw new PeerException(Failure.ANSWER_TOO_LARGE, e.getMessage(), e);
            }
            throw new PeerException(Failure.UNREACHABLE, "calling " + request.uri() + " failed"
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PeerException(Failure.UNREACHABLE, "interrupted while calling " + request.uri(), e);
        }
        X509Certificate peer = peerCertificate(response);
        CertificateVerifier.Result verification = verifier.check(peer);
        if (verification.verdict() != CertificateVerifier.Verdict.VALID) {
            // a connection kept alive from before the peer's certificate was revoked or expired: its
            // answer is not used, and no further request goes over it (the next one handshakes anew)
            dropClient();
            throw new PeerException(Failure.PEER_NOT_TRUSTED, "the peer at " + request.uri() + " is not trusted any more: "
                    + verification.verdict() + ": " + verification.detail(), null);
        }
        return new PeerResponse(response.statusCode(), new String(response.body(), StandardCharsets.UTF_8), peer,
                Certificates.uris(peer).stream().findFirst(), verification);
    }

    private synchronized void dropClient() {
        client = null;
    }

    private static PeerException handshakeFailure(URI uri, SSLException e) {
        String reasons = causes(e);
        boolean ours = reasons.contains("PKIX") || reasons.contains("No subject alternative") || reasons.contains("peer certificate")
                || reasons.contains("No name matching");
        return ours ? new PeerException(Failure.PEER_NOT_TRUSTED, "the peer at " + uri + " is not trusted: " + reasons, e)
                : new PeerException(Failure.PEER_REFUSED, "the TLS handshake with " + uri + " failed: " + reasons, e);
    }

    private static String causes(Throwable error) {
        StringBuilder text = new StringBuilder();
        for (Throwable cause = error; cause != null && text.length() < 1000; cause = cause.getCause()) {
            if (cause.getMessage() != null && text.indexOf(cause.getMessage()) < 0) {
                text.append(text.length() == 0 ? "" : "; ").append(cause.getMessage());
            }
        }
        return text.toString();
    }

    private static X509Certificate peerCertificate(HttpResponse<?> response) {
        try {
            return (X509Certificate) response.sslSession().orElseThrow().getPeerCertificates()[0];
        } catch (SSLPeerUnverifiedException | RuntimeException e) {
            throw new PeerException(Failure.PEER_NOT_TRUSTED, "the peer presented no certificate", e);
        }
    }

    /** The HTTP client for the current identity and trust bundle, rebuilt when either changed. */
    private synchronized HttpClient client() {
        long version = identity.version();
        Map<String, X509Certificate> trusted = trustStore.trusted();
        if (client != null && version == clientIdentityVersion && trusted == clientTrust) {
            return client;
        }
        if (identity.certificate().isEmpty()) {
            throw new PeerException(Failure.NO_IDENTITY, "the node has no identity to present to peers (docs/security.md)", null);
        }
        if (trusted.isEmpty()) {
            throw new PeerException(Failure.PEER_NOT_TRUSTED, "the trust bundle is empty: no peer can be trusted", null);
        }
        try {
            KeyStore anchors = KeyStore.getInstance("PKCS12");
            anchors.load(null, null);
            for (Map.Entry<String, X509Certificate> ca : trusted.entrySet()) {
                anchors.setCertificateEntry(ca.getKey(), ca.getValue());
            }
            TrustManagerFactory pkix = TrustManagerFactory.getInstance("PKIX");
            pkix.init(anchors);
            X509ExtendedTrustManager standard = (X509ExtendedTrustManager) pkix.getTrustManagers()[0];
            SSLContext tls = SSLContext.getInstance("TLS");
            tls.init(identity.keyManagers(), new TrustManager[] {new VerifiedPeers(standard, verifier)}, null);
            client = HttpClient.newBuilder().sslContext(tls).sslParameters(TlsPolicy.parameters()).connectTimeout(connectTimeout)
                    .version(HttpClient.Version.HTTP_1_1).followRedirects(HttpClient.Redirect.NEVER).build();
            clientIdentityVersion = version;
            clientTrust = trusted;
            return client;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot build the peer TLS client", e);
        }
    }

    /** PKIX with host name verification (the standard trust manager), then the node's own check of the leaf. */
    static final class VerifiedPeers extends X509ExtendedTrustManager {
        private final X509ExtendedTrustManager standard;
        private final CertificateVerifier verifier;

        VerifiedPeers(X509ExtendedTrustManager standard, CertificateVerifier verifier) {
            this.standard = standard;
            this.verifier = verifier;
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            standard.checkServerTrusted(chain, authType, engine);
            verify(chain[0]);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, java.net.Socket socket) throws CertificateException {
            standard.checkServerTrusted(chain, authType, socket);
            verify(chain[0]);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("peer connections are verified with their host name only");
        }

        private void verify(X509Certificate leaf) throws CertificateException {
            CertificateVerifier.Result result = verifier.check(leaf);
            if (result.verdict() != CertificateVerifier.Verdict.VALID) {
                throw new CertificateException("peer certificate " + result.verdict() + ": " + result.detail());
            }
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            throw new CertificateException("client side only");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, java.net.Socket socket) throws CertificateException {
            throw new CertificateException("client side only");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("client side only");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return standard.getAcceptedIssuers();
        }
    }
}
