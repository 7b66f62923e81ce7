package org.agentnet.security;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;

/** Facts about X.509 certificates that the node reports and compares: fingerprint, names. */
public final class Certificates {

    private static final int SAN_DNS = 2;
    private static final int SAN_URI = 6;

    private Certificates() {
    }

    /** SHA-256 of the DER, lower-case hex without separators (as {@code openssl x509 -fingerprint -sha256}, minus colons). */
    public static String sha256(X509Certificate certificate) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The URI subjectAltNames: for agentnet certificates, the agent or gateway identity (docs/aca.md). */
    public static List<String> uris(X509Certificate certificate) {
        return alternativeNames(certificate, SAN_URI);
    }

    public static List<String> dnsNames(X509Certificate certificate) {
        return alternativeNames(certificate, SAN_DNS);
    }

    private static List<String> alternativeNames(X509Certificate certificate, int type) {
        List<String> names = new ArrayList<>();
        try {
            Collection<List<?>> all = certificate.getSubjectAlternativeNames();
            if (all != null) {
                for (List<?> name : all) {
                    if ((Integer) name.get(0) == type) {
                        names.add((String) name.get(1));
                    }
                }
            }
        } catch (CertificateParsingException e) {
            // unreadable extension: no names
        }
        return names;
    }
}
