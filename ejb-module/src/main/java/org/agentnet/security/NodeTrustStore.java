package org.agentnet.security;

import jakarta.annotation.PostConstruct;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The TLS truststore of the node ({@code resources/security/trust.p12}): the CA certificates that
 * client certificates of agents and peer gateways must chain to. The node's own ACA certificate
 * and the CA certificates of federated domains go here.
 * <p>
 * Liberty cannot start TLS with a truststore file that does not exist yet, so server.xml starts
 * with its default trust; on first start this bean creates the empty store and then switches the
 * TLS configuration to it with {@code configDropins/overrides/truststore.xml}. Liberty polls the
 * file, so certificates added later are trusted within seconds, without a restart.
 */
@Singleton
@Startup
@ConcurrencyManagement(ConcurrencyManagementType.CONTAINER)
public class NodeTrustStore {

    private static final Logger LOG = Logger.getLogger(NodeTrustStore.class.getName());

    static final String PASSWORD_ENV = "keystore_password";
    /** The alias of this node's own ACA certificate. */
    public static final String LOCAL_ACA_ALIAS = "agentnet-aca";
    static final String FILE_NAME = "truststore.xml";
    static final String DROPIN = """
            <?xml version="1.0" encoding="UTF-8"?>
            <!-- Written by agentnet once resources/security/trust.p12 exists (NodeTrustStore). -->
            <server>
                <keyStore id="agentnetTrustStore" type="PKCS12" password="${keystore_password}"
                          location="${server.output.dir}/resources/security/trust.p12"
                          readOnly="true" pollingRate="5s" updateTrigger="polled"/>
                <ssl id="defaultSSLConfig" trustStoreRef="agentnetTrustStore"/>
            </server>
            """;

    @Inject
    @ConfigProperty(name = "agentnet.server.config.dir")
    Optional<String> serverConfigDir;

    @Inject
    @ConfigProperty(name = "agentnet.server.output.dir")
    Optional<String> serverOutputDir;

    private Path file;
    private char[] password;
    private final Trusted trusted = new Trusted();

    /**
     * The trusted certificates as a plain object: {@link #current()} is what {@link #trusted()}
     * answers, and what the certificate check of every request asks without an EJB call (the
     * container's call and lock cost more than the check). Read again when the file changed; a
     * change made here ({@link #trust}, {@link #untrust}) counts from the next call.
     */
    public final class Trusted {

        private volatile Map<String, X509Certificate> certificates = Map.of();
        private volatile java.nio.file.attribute.FileTime version;

        private Trusted() {
        }

        /** The trusted certificates by alias, as the file holds them now. */
        public Map<String, X509Certificate> current() {
            Path file = NodeTrustStore.this.file;
            if (file == null) {
                return Map.of();
            }
            try {
                if (!Files.getLastModifiedTime(file).equals(version)) {
                    synchronized (this) {
                        // again under the lock: a change made here (stored) or by another reader may have come first
                        java.nio.file.attribute.FileTime modified = Files.getLastModifiedTime(file);
                        if (!modified.equals(version)) {
                            certificates = read(load());
                            version = modified;
                        }
                    }
                }
            } catch (IOException | GeneralSecurityException e) {
                LOG.warning(() -> "cannot read the TLS truststore " + file + ": " + e);
            }
            return certificates;
        }

        /** Writes the store and takes it as the current certificates, with no reader reading the file meanwhile. */
        private synchronized void store(KeyStore store) throws IOException, GeneralSecurityException {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            store.store(bytes, password);
            ServerFiles.writeOwnerOnly(file, bytes.toByteArray());
            certificates = read(store);
            version = Files.getLastModifiedTime(file);
        }
    }

    @PostConstruct
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    void prepare() {
        String secret = System.getenv(PASSWORD_ENV);
        if (serverConfigDir.isEmpty() || serverOutputDir.isEmpty() || secret == null || secret.isBlank()) {
            LOG.warning("no server directories or keystore_password: the TLS truststore is left as server.xml defines it");
            return;
        }
        file = Path.of(serverOutputDir.get(), "resources", "security", "trust.p12");
        password = secret.toCharArray();
        try {
            if (!Files.exists(file)) {
                KeyStore empty = KeyStore.getInstance("PKCS12");
                empty.load(null, null);
                store(empty);
                LOG.info(() -> "created the TLS truststore " + file);
            }
            ServerFiles.write(ServerFiles.overrides(serverConfigDir.get(), FILE_NAME), DROPIN);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the TLS truststore " + file, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot prepare the TLS truststore " + file, e);
        }
    }

    /** Trusts {@code certificate} for client authentication under {@code alias} (replacing that alias). */
    @jakarta.ejb.Lock(jakarta.ejb.LockType.WRITE)
    public void trust(String alias, X509Certificate certificate) {
        requireAvailable();
        try {
            KeyStore store = load();
            store.setCertificateEntry(alias, certificate);
            store(store);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot add " + alias + " to the TLS truststore", e);
        }
    }

    /** Stops trusting the certificate under {@code alias}; false when there was none. */
    @jakarta.ejb.Lock(jakarta.ejb.LockType.WRITE)
    public boolean untrust(String alias) {
        requireAvailable();
        try {
            KeyStore store = load();
            if (!store.containsAlias(alias)) {
                return false;
            }
            store.deleteEntry(alias);
            store(store);
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot remove " + alias + " from the TLS truststore", e);
        }
    }

    /**
     * The trusted certificates by alias. Kept in memory, as they are checked on every request,
     * and read again when the file changed (an operator may edit it with keytool, as Liberty
     * allows).
     */
    @jakarta.ejb.Lock(jakarta.ejb.LockType.READ)
    public Map<String, X509Certificate> trusted() {
        return trusted.current();
    }

    /** The trusted certificates as a plain object, for the certificate check of every request (no EJB call each time). */
    @jakarta.ejb.Lock(jakarta.ejb.LockType.READ)
    public Trusted trustedView() {
        return trusted;
    }

    private static Map<String, X509Certificate> read(KeyStore store) throws GeneralSecurityException {
        Map<String, X509Certificate> byAlias = new TreeMap<>();
        for (String alias : Collections.list(store.aliases())) {
            Certificate certificate = store.getCertificate(alias);
            if (certificate instanceof X509Certificate x509) {
                byAlias.put(alias, x509);
            }
        }
        return Collections.unmodifiableMap(byAlias);
    }

    public boolean isAvailable() {
        return file != null;
    }

    private void requireAvailable() {
        if (file == null) {
            throw new IllegalStateException("the node's TLS truststore is not managed by agentnet on this server");
        }
    }

    private KeyStore load() throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            store.load(in, password);
        }
        return store;
    }

    private void store(KeyStore store) throws IOException, GeneralSecurityException {
        // the in-memory view changes with the file, so that the next certificate check sees it
        trusted.store(store);
    }
}
