package org.agentnet.security;

import java.io.IOException;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers;
import org.bouncycastle.asn1.x509.AccessDescription;
import org.bouncycastle.asn1.x509.AuthorityInformationAccess;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.CertificateStatus;
import org.bouncycastle.cert.ocsp.OCSPException;
import org.bouncycastle.cert.ocsp.OCSPReqBuilder;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.cert.ocsp.RespID;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.bouncycastle.cert.ocsp.SingleResp;
import org.bouncycastle.cert.ocsp.UnknownStatus;
import org.bouncycastle.operator.DigestCalculatorProvider;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;

/**
 * Revocation status of certificates issued by other domains' CAs, asked of the OCSP responder
 * their certificate names (authorityInfoAccess, id-ad-ocsp, http/https; RFC 6960). An answer counts
 * only when:
 * <ul>
 * <li>the response is successful and basic, and signed by the issuing CA itself or by a responder
 * certificate the CA issued for that purpose (extendedKeyUsage id-kp-OCSPSigning, valid now; its
 * own revocation is not checked - such certificates are short-lived or carry id-pkix-ocsp-nocheck),
 * and its responder ID names that signer;</li>
 * <li>it answers for exactly the CertID asked (hash algorithm, issuer name and key hashes, serial);</li>
 * <li>it is fresh: thisUpdate not later than now + {@link #CLOCK_SKEW}; nextUpdate, when given, after
 * now; without nextUpdate, thisUpdate within {@code maxAge};</li>
 * <li>when a nonce was sent and the response carries one, it is the same (a responder that sends
 * none is accepted: most answer from precomputed responses; freshness is checked by the times).</li>
 * </ul>
 * An answer (good, revoked, or the responder's "unknown") is cached per certificate and responder
 * until its nextUpdate, but at most {@code maxAge} after it was fetched, and refreshed ahead in the
 * background ({@link RefreshingCache}, with the bounds and timeouts of the CRL cache). When no
 * valid answer can be had, or the responder does not know the certificate, the answer is UNKNOWN
 * (RFC 6960 2.2: the client may then try another source; {@link ForeignRevocation} asks the CRL).
 */
public final class OcspCache {

    /** How far a responder's clock may be ahead of the node's (thisUpdate in the future); OpenSSL's default too. */
    static final Duration CLOCK_SKEW = Duration.ofMinutes(5);

    /** Asks an OCSP responder: the DER response to a DER request, with its own timeouts and size limit. */
    @FunctionalInterface
    public interface Responder {
        CompletableFuture<byte[]> ask(URI responder, byte[] ocspRequest);
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Responder responder;
    private final Clock clock;
    private final Duration maxAge;
    private final boolean sendNonce;
    private final RefreshingCache<RevocationAnswer> answers;
    private final DigestCalculatorProvider digests;

    public OcspCache(Responder responder, Clock clock, int maxEntries, Duration maxAge, Duration refreshAhead, Duration retryAfter,
                     Duration fetchTimeout, boolean sendNonce) {
        this.responder = responder;
        this.clock = clock;
        this.maxAge = maxAge;
        this.sendNonce = sendNonce;
        this.answers = new RefreshingCache<>(clock, maxEntries, refreshAhead, retryAfter, fetchTimeout);
        try {
            this.digests = new JcaDigestCalculatorProviderBuilder().setProvider(CryptoProviders.SIGNATURES).build();
        } catch (OperatorCreationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The revocation status of {@code certificate}, issued by {@code issuer} (a CA the node trusts), by OCSP. */
    public RevocationAnswer check(X509Certificate certificate, X509Certificate issuer) {
        List<URI> locations = responders(certificate);
        if (locations.isEmpty()) {
            return new RevocationAnswer(RevocationAnswer.Status.UNKNOWN, "the certificate names no http(s) OCSP responder");
        }
        String failure = "no OCSP answer";
        for (URI location : locations) {
            String key = Certificates.sha256(issuer) + " " + certificate.getSerialNumber().toString(16) + " " + location;
            try {
                RevocationAnswer answer = answers.get(key, "the OCSP responder at " + location, () -> load(location, certificate, issuer));
                if (answer.status() != RevocationAnswer.Status.UNKNOWN) {
                    return answer;
                }
                failure = answer.detail();
            } catch (RevocationUnavailable e) {
                failure = e.getMessage();
            }
        }
        return new RevocationAnswer(RevocationAnswer.Status.UNKNOWN, failure);
    }

    /** How many answers are cached now. */
    public int size() {
        return answers.size();
    }

    private CompletableFuture<RefreshingCache.Fresh<RevocationAnswer>> load(URI location, X509Certificate certificate,
                                                                            X509Certificate issuer) {
        CertificateID id;
        byte[] nonce = null;
        byte[] request;
        try {
            id = new CertificateID(digests.get(CertificateID.HASH_SHA1), new JcaX509CertificateHolder(issuer),
                    certificate.getSerialNumber()); // SHA-1 CertIDs: what every responder understands (RFC 5019)
            OCSPReqBuilder builder = new OCSPReqBuilder().addRequest(id);
            if (sendNonce) {
                nonce = new byte[16];
                RANDOM.nextBytes(nonce);
                builder.setRequestExtensions(new Extensions(new Extension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce, false,
                        new DEROctetString(nonce).getEncoded())));
            }
            request = builder.build().getEncoded();
        } catch (OCSPException | OperatorCreationException | CertificateEncodingException | IOException e) {
            return CompletableFuture.failedFuture(new RevocationUnavailable("cannot make an OCSP request: " + e.getMessage()));
        }
        byte[] sent = nonce;
        return responder.ask(location, request).thenApply(bytes -> {
            try {
                return accept(bytes, id, sent, issuer, location);
            } catch (RevocationUnavailable e) {
                throw new CompletionException(e);
            }
        });
    }

    private RefreshingCache.Fresh<RevocationAnswer> accept(byte[] bytes, CertificateID id, byte[] nonce, X509Certificate issuer,
                                                           URI location) throws RevocationUnavailable {
        String from = "the OCSP responder at " + location;
        BasicOCSPResp basic;
        try {
            OCSPResp response = new OCSPResp(bytes);
            if (response.getStatus() != OCSPResp.SUCCESSFUL) {
                throw new RevocationUnavailable(from + " answered " + statusName(response.getStatus()));
            }
            if (!(response.getResponseObject() instanceof BasicOCSPResp answer)) {
                throw new RevocationUnavailable(from + " answered with a response type other than basic");
            }
            basic = answer;
        } catch (IOException | OCSPException | RuntimeException e) {
            throw new RevocationUnavailable(from + " sent no readable OCSP response");
        }
        X509Certificate signer = verifiedSigner(basic, issuer, from);
        checkNonce(basic, nonce, from);
        SingleResp single = Arrays.stream(basic.getResponses()).filter(r -> r.getCertID().equals(id)).findFirst()
                .orElseThrow(() -> new RevocationUnavailable(from + " did not answer for the certificate asked about"));

        Instant now = clock.instant();
        Instant thisUpdate = single.getThisUpdate().toInstant();
        Instant nextUpdate = single.getNextUpdate() == null ? null : single.getNextUpdate().toInstant();
        if (thisUpdate.isAfter(now.plus(CLOCK_SKEW))
                || (nextUpdate != null && !now.isBefore(nextUpdate))
                || (nextUpdate == null && thisUpdate.isBefore(now.minus(maxAge)))) {
            throw new RevocationUnavailable("the answer of " + from + " is not fresh (thisUpdate " + thisUpdate + ", nextUpdate "
                    + (nextUpdate == null ? "none" : nextUpdate) + ")");
        }
        Instant end = nextUpdate != null ? nextUpdate : thisUpdate.plus(maxAge);
        Instant until = end.isBefore(now.plus(maxAge)) ? end : now.plus(maxAge);
        String signedBy = signer.equals(issuer) ? "" : ", signed by its delegated responder " + signer.getSubjectX500Principal().getName();
        CertificateStatus status = single.getCertStatus();
        RevocationAnswer answer;
        if (status == CertificateStatus.GOOD) {
            answer = new RevocationAnswer(RevocationAnswer.Status.GOOD, "good according to " + from + " (this update " + thisUpdate
                    + signedBy + ")");
        } else if (status instanceof RevokedStatus revoked) {
            String reason = revoked.hasRevocationReason()
                    ? " (" + reasonName(revoked.getRevocationReason()) + ")" : "";
            answer = new RevocationAnswer(RevocationAnswer.Status.REVOKED, "revoked at " + revoked.getRevocationTime().toInstant()
                    + reason + " according to " + from + signedBy);
        } else if (status instanceof UnknownStatus) {
            answer = new RevocationAnswer(RevocationAnswer.Status.UNKNOWN, from + " does not know the certificate (status unknown)");
        } else {
            throw new RevocationUnavailable(from + " answered a status the node does not know");
        }
        return new RefreshingCache.Fresh<>(answer, until);
    }

    /**
     * The certificate whose key signed the response: the issuing CA, or a delegated responder
     * certificate included in the response, issued by the CA, with id-kp-OCSPSigning and valid now.
     * Its responder ID (by name or by key hash) must name it.
     */
    private X509Certificate verifiedSigner(BasicOCSPResp basic, X509Certificate issuer, String from) throws RevocationUnavailable {
        List<X509Certificate> candidates = new ArrayList<>();
        candidates.add(issuer);
        JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
        for (X509CertificateHolder included : basic.getCerts()) {
            try {
                candidates.add(converter.getCertificate(included));
            } catch (java.security.cert.CertificateException e) {
                // unreadable: cannot be the signer
            }
        }
        String refusal = from + " sent an answer not signed by the CA or a responder it authorized";
        for (X509Certificate candidate : candidates) {
            if (!namedBy(basic.getResponderId(), candidate)) {
                continue;
            }
            if (!candidate.equals(issuer)) {
                String problem = delegationProblem(candidate, issuer);
                if (problem != null) {
                    refusal = from + " sent an answer signed by " + candidate.getSubjectX500Principal().getName() + ", " + problem;
                    continue;
                }
            }
            try {
                if (basic.isSignatureValid(new JcaContentVerifierProviderBuilder().setProvider(CryptoProviders.SIGNATURES)
                        .build(candidate.getPublicKey()))) {
                    return candidate;
                }
            } catch (OCSPException | OperatorCreationException | RuntimeException e) {
                // not verifiable with this key
            }
        }
        throw new RevocationUnavailable(refusal);
    }

    /** Why a responder certificate may not answer for the CA's certificates, or null when it may. */
    private String delegationProblem(X509Certificate responderCertificate, X509Certificate issuer) {
        if (!responderCertificate.getIssuerX500Principal().equals(issuer.getSubjectX500Principal())) {
            return "which the CA did not issue";
        }
        try {
            responderCertificate.verify(issuer.getPublicKey(), CryptoProviders.SIGNATURES);
        } catch (GeneralSecurityException e) {
            return "which the CA did not issue (its signature does not verify with the CA key)";
        }
        try {
            List<String> purposes = responderCertificate.getExtendedKeyUsage();
            if (purposes == null || !purposes.contains(KeyPurposeId.id_kp_OCSPSigning.getId())) {
                return "which is not an OCSP responder certificate (no id-kp-OCSPSigning)";
            }
        } catch (CertificateParsingException e) {
            return "whose extendedKeyUsage cannot be read";
        }
        Instant now = clock.instant();
        if (now.isBefore(responderCertificate.getNotBefore().toInstant()) || now.isAfter(responderCertificate.getNotAfter().toInstant())) {
            return "whose certificate is not valid now";
        }
        return null;
    }

    private boolean namedBy(RespID responderId, X509Certificate candidate) {
        try {
            X509CertificateHolder holder = new JcaX509CertificateHolder(candidate);
            return responderId.equals(new RespID(holder.getSubject()))
                    || responderId.equals(new RespID(holder.getSubjectPublicKeyInfo(), digests.get(RespID.HASH_SHA1)));
        } catch (CertificateEncodingException | OCSPException | OperatorCreationException e) {
            return false;
        }
    }

    private static void checkNonce(BasicOCSPResp basic, byte[] nonce, String from) throws RevocationUnavailable {
        Extension echoed = basic.getExtension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce);
        if (nonce == null || echoed == null) {
            return;
        }
        byte[] value = echoed.getExtnValue().getOctets();
        byte[] inner;
        try {
            inner = ASN1OctetString.getInstance(ASN1Primitive.fromByteArray(value)).getOctets();
        } catch (IOException | RuntimeException e) {
            inner = value; // responders that put the bare octets
        }
        if (!Arrays.equals(inner, nonce) && !Arrays.equals(value, nonce)) {
            throw new RevocationUnavailable(from + " echoed another nonce than the one sent (a replayed answer?)");
        }
    }

    /** The http and https URIs of the certificate's OCSP responders (authorityInfoAccess, id-ad-ocsp). */
    static List<URI> responders(X509Certificate certificate) {
        List<URI> uris = new ArrayList<>();
        byte[] extension = certificate.getExtensionValue(Extension.authorityInfoAccess.getId());
        if (extension == null) {
            return uris;
        }
        try {
            AuthorityInformationAccess access = AuthorityInformationAccess.getInstance(
                    ASN1OctetString.getInstance(extension).getOctets());
            for (AccessDescription description : access.getAccessDescriptions()) {
                GeneralName name = description.getAccessLocation();
                if (description.getAccessMethod().equals(AccessDescription.id_ad_ocsp)
                        && name.getTagNo() == GeneralName.uniformResourceIdentifier) {
                    URI uri = URI.create(name.getName().toString());
                    if ("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme())) {
                        uris.add(uri);
                    }
                }
            }
        } catch (RuntimeException e) {
            // an unreadable extension names no usable responder
        }
        return uris;
    }

    private static String statusName(int status) {
        return switch (status) {
            case OCSPResp.MALFORMED_REQUEST -> "malformedRequest";
            case OCSPResp.INTERNAL_ERROR -> "internalError";
            case OCSPResp.TRY_LATER -> "tryLater";
            case OCSPResp.SIG_REQUIRED -> "sigRequired";
            case OCSPResp.UNAUTHORIZED -> "unauthorized";
            default -> "status " + status;
        };
    }

    /** The reason as the CRL path names it (java.security.cert.CRLReason: KEY_COMPROMISE...). */
    private static String reasonName(int reason) {
        java.security.cert.CRLReason[] reasons = java.security.cert.CRLReason.values();
        return reason >= 0 && reason < reasons.length ? reasons[reason].name() : "reason " + reason;
    }
}
