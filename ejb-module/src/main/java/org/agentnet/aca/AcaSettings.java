package org.agentnet.aca;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** The ACA's settings (MicroProfile Config, defaults in microprofile-config.properties; README "ACA"). */
@ApplicationScoped
public class AcaSettings {

    @Inject
    @ConfigProperty(name = "agentnet.aca.keystore.path")
    Optional<String> keystorePath;

    @Inject
    @ConfigProperty(name = "agentnet.server.output.dir")
    Optional<String> serverOutputDir;

    @Inject
    @ConfigProperty(name = "agentnet.aca.keystore.type")
    String keystoreType;

    @Inject
    @ConfigProperty(name = "agentnet.aca.keystore.alias")
    String keystoreAlias;

    @Inject
    @ConfigProperty(name = "agentnet.aca.keystore.password")
    Optional<String> keystorePassword;

    @Inject
    @ConfigProperty(name = "agentnet.aca.ca.subject")
    Optional<String> caSubject;

    @Inject
    @ConfigProperty(name = "agentnet.aca.ca.validity")
    Duration caValidity;

    @Inject
    @ConfigProperty(name = "agentnet.aca.certificate.validity")
    Duration certificateValidity;

    @Inject
    @ConfigProperty(name = "agentnet.aca.public-url")
    URI publicUrl;

    @Inject
    @ConfigProperty(name = "agentnet.aca.enrollment-token.max-validity")
    Duration maxTokenValidity;

    @Inject
    @ConfigProperty(name = "agentnet.aca.renewal.same-key-allowed")
    boolean renewalWithSameKey;

    @Inject
    @ConfigProperty(name = "agentnet.aca.issuance.batch-size")
    int issuanceBatchSize;

    @Inject
    @ConfigProperty(name = "agentnet.aca.issuance.writers")
    int issuanceWriters;

    @Inject
    @ConfigProperty(name = "agentnet.aca.issuance.queue-capacity")
    int issuanceQueueCapacity;

    @Inject
    @ConfigProperty(name = "agentnet.aca.issuance.timeout")
    Duration issuanceTimeout;

    public Path keystorePath() {
        return keystorePath.filter(p -> !p.isBlank()).map(Path::of)
                .orElseGet(() -> Path.of(serverOutputDir.orElseThrow(() -> new IllegalStateException(
                        "set agentnet.aca.keystore.path")), "resources", "security", "aca-ca.p12"));
    }

    public String keystoreType() {
        return keystoreType;
    }

    public String keystoreAlias() {
        return keystoreAlias;
    }

    /** The keystore password: configured, or Liberty's generated keystore_password. */
    public char[] keystorePassword() {
        String password = keystorePassword.filter(p -> !p.isBlank())
                .orElseGet(() -> System.getenv("keystore_password"));
        if (password == null || password.isBlank()) {
            throw new IllegalStateException("no CA keystore password: set agentnet.aca.keystore.password");
        }
        return password.toCharArray();
    }

    public String caSubject(String domain) {
        return caSubject.filter(s -> !s.isBlank()).orElse("CN=" + domain + " Agent CA,O=" + domain);
    }

    public Duration caValidity() {
        return caValidity;
    }

    public Duration certificateValidity() {
        return certificateValidity;
    }

    /** Where clients reach this ACA: the base of the CRL and OCSP locations put in certificates. */
    public URI publicUrl() {
        return publicUrl;
    }

    public URI crlUrl() {
        return publicUrl.resolve("/api/v1/aca/crl");
    }

    public URI ocspUrl() {
        return publicUrl.resolve("/api/v1/aca/ocsp");
    }

    public URI caIssuersUrl() {
        return publicUrl.resolve("/api/v1/aca/ca-certificates");
    }

    public Duration maxTokenValidity() {
        return maxTokenValidity;
    }

    public boolean renewalWithSameKey() {
        return renewalWithSameKey;
    }

    /** The most issuances one transaction writes (group commit). */
    public int issuanceBatchSize() {
        return Math.max(1, issuanceBatchSize);
    }

    /** Threads writing issuance batches, each one transaction at a time. */
    public int issuanceWriters() {
        return Math.max(1, issuanceWriters);
    }

    /** Issuances that may wait for a writer; beyond, applications are refused with 503 at once. */
    public int issuanceQueueCapacity() {
        return Math.max(1, issuanceQueueCapacity);
    }

    /** How long an issuance may wait for a writer before it is withdrawn (503, nothing written). */
    public Duration issuanceTimeout() {
        return issuanceTimeout;
    }
}
