package org.agentnet.aca;

import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;

/** A CSR whose proof of possession and key passed the checks: the key to certify. */
public record VerifiedCsr(String pem, SubjectPublicKeyInfo publicKeyInfo, String keyFingerprint, String keyDescription) {

    /** Whether the key is an RSA key. */
    public boolean rsa() {
        return PKCSObjectIdentifiers.rsaEncryption.equals(publicKeyInfo.getAlgorithm().getAlgorithm());
    }

    /** Whether the key is an EC key. */
    public boolean ec() {
        return X9ObjectIdentifiers.id_ecPublicKey.equals(publicKeyInfo.getAlgorithm().getAlgorithm());
    }
}
