package org.agentnet.security;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.agentnet.aca.CertificateProfile;

/**
 * Who a certificate names: the URI subjectAltName the ACA writes (docs/aca.md),
 * {@code agent://<domain>/<organization, percent-encoded>/<name>} or {@code agw://...} for a
 * gateway. Read from a certificate that {@link CertificateVerifier} has accepted.
 */
public record CertifiedIdentity(CertificateProfile profile, String domain, String organization, String name, String uri,
                                String serial) {

    private static final int URI_NAME = 6;

    /** The identity a certificate names, if it carries an agent:// or agw:// URI of that form. */
    public static Optional<CertifiedIdentity> of(X509Certificate certificate) {
        Collection<List<?>> names;
        try {
            names = certificate.getSubjectAlternativeNames();
        } catch (CertificateParsingException e) {
            return Optional.empty();
        }
        if (names == null) {
            return Optional.empty();
        }
        for (List<?> name : names) {
            if (name.size() >= 2 && Integer.valueOf(URI_NAME).equals(name.get(0)) && name.get(1) instanceof String text) {
                Optional<CertifiedIdentity> identity = parse(text, certificate.getSerialNumber().toString(16));
                if (identity.isPresent()) {
                    return identity;
                }
            }
        }
        return Optional.empty();
    }

    static Optional<CertifiedIdentity> parse(String text, String serial) {
        try {
            URI uri = new URI(text);
            CertificateProfile profile = null;
            for (CertificateProfile candidate : CertificateProfile.values()) {
                if (candidate.uriScheme().equals(uri.getScheme())) {
                    profile = candidate;
                }
            }
            String[] path = uri.getRawPath() == null ? new String[0] : uri.getRawPath().split("/", -1);
            if (profile == null || uri.getHost() == null || path.length != 3 || !path[0].isEmpty()
                    || path[1].isEmpty() || path[2].isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(new CertifiedIdentity(profile, uri.getHost(),
                    URLDecoder.decode(path[1], StandardCharsets.UTF_8), URLDecoder.decode(path[2], StandardCharsets.UTF_8),
                    text, serial));
        } catch (URISyntaxException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
