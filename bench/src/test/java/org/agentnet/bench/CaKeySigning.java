package org.agentnet.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.agentnet.bench.report.LocalMeasurement;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * The raw signing rate of the bench server's own CA key: loads {@code resources/security/aca-ca.p12}
 * from the server directory (password: the configured {@code bench.aca.keystore.password}, else
 * Liberty's generated {@code keystore_password} in {@code server.env}, as the node does), and signs
 * certificate-sized messages with SHA256withECDSA and BouncyCastle's provider (the node's algorithm
 * and provider for an EC CA key in a keystore, CryptoProviders), with the key converted once to
 * BouncyCastle's key object as the node holds it, on one thread per CPU in a tight loop. No HTTP, no database: the ceiling for issuance on this machine.
 */
final class CaKeySigning {

    static final String ALIAS = "agentnet-ca";
    private static final Provider PROVIDER = new BouncyCastleProvider();
    /** About the size of an agent certificate's to-be-signed part. */
    private static final int MESSAGE_BYTES = 700;

    private CaKeySigning() {
    }

    static LocalMeasurement measure(Path serverDir, Duration warmup, Duration measure, int threads) {
        PrivateKey key = caKey(serverDir);
        run(key, warmup, threads);
        long signatures = run(key, measure, threads);
        return new LocalMeasurement(BenchConfig.CA_SIGNING_ROW, signatures, measure.toNanos() / 1e9);
    }

    /** Signs for {@code duration} on {@code threads} threads; the number of signatures made. */
    private static long run(PrivateKey key, Duration duration, int threads) {
        LongAdder count = new LongAdder();
        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch done = new CountDownLatch(threads);
        String algorithm = "SHA256withECDSA";
        for (int t = 0; t < threads; t++) {
            Thread thread = new Thread(() -> {
                try {
                    Signature signature = Signature.getInstance(algorithm, PROVIDER);
                    byte[] message = new byte[MESSAGE_BYTES];
                    new SecureRandom().nextBytes(message);
                    while (!stop.get()) {
                        message[0]++; // a different message every time, as every certificate is
                        signature.initSign(key);
                        signature.update(message);
                        signature.sign();
                        count.increment();
                    }
                } catch (GeneralSecurityException e) {
                    throw new IllegalStateException(e);
                } finally {
                    done.countDown();
                }
            }, "ca-signing-" + t);
            thread.start();
        }
        try {
            Thread.sleep(duration.toMillis());
            stop.set(true);
            done.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return count.sum();
    }

    private static PrivateKey caKey(Path serverDir) {
        Path file = serverDir.resolve("resources/security/aca-ca.p12");
        char[] password = password(serverDir);
        try (InputStream in = Files.newInputStream(file)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, password);
            PrivateKey key = (PrivateKey) store.getKey(ALIAS, password);
            if (key == null || !"EC".equals(key.getAlgorithm())) {
                throw new IllegalStateException(file + " has no EC key entry '" + ALIAS + "'");
            }
            // as the node holds it (CertificateAuthority.forSigning): converted once to BouncyCastle's own
            // key object, which BouncyCastle would otherwise convert on every initSign
            return KeyFactory.getInstance("EC", PROVIDER).generatePrivate(new PKCS8EncodedKeySpec(key.getEncoded()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the CA keystore " + file, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot open the CA keystore " + file, e);
        }
    }

    private static char[] password(Path serverDir) {
        String configured = System.getProperty("bench.aca.keystore.password", "");
        if (!configured.isBlank()) {
            return configured.toCharArray();
        }
        Properties env = new Properties();
        try (InputStream in = Files.newInputStream(serverDir.resolve("server.env"))) {
            env.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + serverDir.resolve("server.env"), e);
        }
        String generated = env.getProperty("keystore_password");
        if (generated == null) {
            throw new IllegalStateException("no keystore_password in " + serverDir.resolve("server.env"));
        }
        return generated.toCharArray();
    }
}
