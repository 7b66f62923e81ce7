package org.agentnet.security;

import java.security.PrivateKey;
import java.security.Provider;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * The JCA provider for the node's signatures and their checks. BouncyCastle, as an instance that is
 * not registered with the JVM (Liberty and other applications keep the JDK's providers): on the
 * JDK 17 this project runs on, SunEC's ECDSA P-256 is 2-10 times slower than BouncyCastle's for
 * signing and verifying (measured, bench/README.md), and every certificate issued costs one
 * verification (the CSR) and one signature. The ACA's own ECDSA (a CSR's proof of possession, the
 * CA's signatures with an EC software key) uses the same arithmetic without the JCA: {@link EcdsaSignatures}.
 */
public final class CryptoProviders {

    /** BouncyCastle, for signatures and their verification. */
    public static final Provider SIGNATURES = new BouncyCastleProvider();

    private CryptoProviders() {
    }

    /**
     * Whether {@link #SIGNATURES} can sign with this key: a software key, whose encoding can be read.
     * A hardware key (PKCS#11) cannot leave its token and must be used through its own provider.
     */
    public static boolean canSignWith(PrivateKey key) {
        return key.getEncoded() != null;
    }
}
