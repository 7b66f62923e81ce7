package org.agentnet.security;

import jakarta.annotation.PostConstruct;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.DependsOn;
import jakarta.ejb.EJB;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;
import org.agentnet.common.error.AgentnetException;
import org.agentnet.common.error.ProblemType;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The node's trust bundle: the CA certificates that agents' and peers' certificates must chain
 * to, for incoming mutual TLS (Liberty's polled truststore) and for {@link CertificateVerifier}
 * at once. Operators add and remove CAs of federated domains; an optional PEM file
 * ({@code agentnet.trust.bundle}) is added at every start. The node's own ACA certificate is
 * always there and cannot be removed.
 * <p>
 * A CA is accepted only when it is one (basicConstraints CA, keyCertSign) and currently valid.
 * Adding a CA already trusted changes nothing and answers the existing entry (idempotent).
 */
@Singleton
@Startup
@DependsOn("NodeTrustStore")
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
public class TrustBundle {

    private static final Logger LOG = Logger.getLogger(TrustBundle.class.getName());

    /** The bundle stays small enough to check every certificate against it in memory. */
    public static final int MAX_CERTIFICATES = 256;
    public static final int MAX_PEM_LENGTH = 16_000;
    private static final int KEY_CERT_SIGN = 5;

    public enum Origin { LOCAL, CONFIGURED }

    public record Entry(String alias, Origin origin, X509Certificate certificate, String sha256) {
    }

    /** An added CA, and whether it was new. */
    public record Added(Entry entry, boolean created) {
    }

    @EJB
    NodeTrustStore trustStore;

    @Inject
    @ConfigProperty(name = "agentnet.trust.bundle")
    Optional<String> bundleFile;

    @Inject
    Clock clock;

    @PostConstruct
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    void loadConfiguredBundle() {
        Optional<Path> path = bundleFile.filter(p -> !p.isBlank()).map(Path::of);
        if (path.isEmpty() || !trustStore.isAvailable()) {
            return;
        }
        try {
            String text = Files.readString(path.get(), StandardCharsets.US_ASCII);
            int added = 0;
            for (byte[] der : Pem.decodeAll(text, "CERTIFICATE", ProblemType.INVALID_CERTIFICATE)) {
                try {
                    if (add(parse(der)).created()) {
                        added++;
                    }
                } catch (AgentnetException e) {
                    LOG.warning(() -> "agentnet.trust.bundle " + path.get() + ": a certificate is left out: " + e.getMessage());
                }
            }
            int count = added;
            LOG.info(() -> "trust bundle " + path.get() + ": " + count + " CA certificates added");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read agentnet.trust.bundle " + path.get(), e);
        } catch (AgentnetException e) {
            throw new IllegalStateException("agentnet.trust.bundle " + path.get() + " is not a PEM file of certificates: "
                    + e.getMessage(), e);
        }
    }

    public List<Entry> list() {
        return trustStore.trusted().entrySet().stream().map(TrustBundle::entry).toList();
    }

    public Optional<Entry> find(String aliasOrFingerprint) {
        String fingerprint = normalizedFingerprint(aliasOrFingerprint);
        return list().stream()
                .filter(entry -> entry.alias().equals(aliasOrFingerprint) || entry.sha256().equals(fingerprint))
                .findFirst();
    }

    /** Adds one PEM CA certificate; bad input is a 400 problem and changes nothing. */
    public Added add(String pem) {
        if (pem != null && pem.length() > MAX_PEM_LENGTH) {
            throw new AgentnetException(ProblemType.INVALID_CERTIFICATE, "a PEM certificate is at most " + MAX_PEM_LENGTH + " characters");
        }
        return add(parse(Pem.decodeSingle(pem, "CERTIFICATE", ProblemType.INVALID_CERTIFICATE)));
    }

    private synchronized Added add(X509Certificate certificate) {
        requireAvailable();
        requireUsableCa(certificate);
        String sha256 = Certificates.sha256(certificate);
        Optional<Entry> existing = list().stream().filter(entry -> entry.sha256().equals(sha256)).findFirst();
        if (existing.isPresent()) {
            return new Added(existing.get(), false);
        }
        if (trustStore.trusted().size() >= MAX_CERTIFICATES) {
            throw new AgentnetException(ProblemType.INVALID_STATE,
                    "the trust bundle holds " + MAX_CERTIFICATES + " CA certificates already: remove one first");
        }
        String alias = "ca-" + sha256.substring(0, 16);
        trustStore.trust(alias, certificate);
        LOG.info(() -> "trusting CA " + certificate.getSubjectX500Principal().getName() + " (" + alias + ")");
        return new Added(new Entry(alias, Origin.CONFIGURED, certificate, sha256), true);
    }

    /** Removes a CA by alias or SHA-256 fingerprint; the node's own ACA stays. */
    public synchronized Entry remove(String aliasOrFingerprint) {
        requireAvailable();
        Entry entry = find(aliasOrFingerprint).orElseThrow(() -> AgentnetException.notFound("trusted CA certificate", aliasOrFingerprint));
        if (entry.origin() == Origin.LOCAL) {
            throw new AgentnetException(ProblemType.INVALID_STATE, "the node's own ACA certificate cannot be removed from the trust bundle");
        }
        trustStore.untrust(entry.alias());
        LOG.info(() -> "no longer trusting CA " + entry.certificate().getSubjectX500Principal().getName() + " (" + entry.alias() + ")");
        return entry;
    }

    void requireUsableCa(X509Certificate certificate) {
        if (certificate.getBasicConstraints() < 0) {
            throw new AgentnetException(ProblemType.INVALID_CERTIFICATE, "not a CA certificate (basicConstraints CA is not set)");
        }
        boolean[] usage = certificate.getKeyUsage();
        if (usage == null || !usage[KEY_CERT_SIGN]) {
            throw new AgentnetException(ProblemType.INVALID_CERTIFICATE, "the CA certificate's keyUsage does not allow keyCertSign");
        }
        Instant now = clock.instant();
        if (now.isBefore(certificate.getNotBefore().toInstant()) || now.isAfter(certificate.getNotAfter().toInstant())) {
            throw new AgentnetException(ProblemType.INVALID_CERTIFICATE, "the CA certificate is not valid now (valid "
                    + certificate.getNotBefore().toInstant() + " to " + certificate.getNotAfter().toInstant() + ")");
        }
    }

    static X509Certificate parse(byte[] der) {
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
        } catch (CertificateException | RuntimeException e) {
            throw new AgentnetException(ProblemType.INVALID_CERTIFICATE, "not a readable X.509 certificate");
        }
    }

    /** A SHA-256 fingerprint as written here (64 lower-case hex digits), from any usual spelling (colons, upper case). */
    static String normalizedFingerprint(String text) {
        return text == null ? "" : text.replace(":", "").toLowerCase(Locale.ROOT);
    }

    private static Entry entry(Map.Entry<String, X509Certificate> trusted) {
        return new Entry(trusted.getKey(), NodeTrustStore.LOCAL_ACA_ALIAS.equals(trusted.getKey()) ? Origin.LOCAL : Origin.CONFIGURED,
                trusted.getValue(), Certificates.sha256(trusted.getValue()));
    }

    private void requireAvailable() {
        if (!trustStore.isAvailable()) {
            throw new AgentnetException(ProblemType.SERVICE_UNAVAILABLE, "the node's trust bundle is not managed by agentnet on this server");
        }
    }
}
