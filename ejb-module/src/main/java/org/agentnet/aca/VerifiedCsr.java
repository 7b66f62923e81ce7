package org.agentnet.aca;

import java.security.PublicKey;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;

/** A CSR whose proof of possession and key passed the checks: the key to certify. */
public record VerifiedCsr(String pem, SubjectPublicKeyInfo publicKeyInfo, PublicKey publicKey, String keyFingerprint,
                          String keyDescription) {
}
