package org.agentnet.aca;

import java.io.IOException;
import java.math.BigInteger;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.Objects;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1GeneralizedTime;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers;
import org.bouncycastle.asn1.ocsp.OCSPRequest;
import org.bouncycastle.asn1.ocsp.Request;
import org.bouncycastle.asn1.ocsp.RevokedInfo;
import org.bouncycastle.asn1.ocsp.TBSRequest;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.BasicOCSPRespBuilder;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.CertificateStatus;
import org.bouncycastle.cert.ocsp.OCSPException;
import org.bouncycastle.cert.ocsp.OCSPRespBuilder;
import org.bouncycastle.cert.ocsp.Req;
import org.bouncycastle.cert.ocsp.RespID;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.bouncycastle.cert.ocsp.UnknownStatus;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.DigestCalculatorProvider;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;

/**
 * Answers RFC 6960 OCSP requests for the certificates of one CA, signing with the CA key itself
 * (no delegated responder, so no id-kp-OCSPSigning certificate; the responder ID is the hash of
 * the CA key). Each CertID whose issuer name and key hashes match the CA gets good, revoked (with
 * time and, unless unspecified, reason) or unknown (never issued); any other CertID gets unknown.
 * A nonce (RFC 8954: 1 to 32 octets) is echoed. Every input produces an OCSP response, never an
 * exception: requests that cannot be parsed or are not acceptable get malformedRequest, failures
 * of the responder itself internalError.
 */
public final class OcspAnswerer {

    private static final Logger LOG = Logger.getLogger(OcspAnswerer.class.getName());

    /** Most CertIDs answered in one request; more is refused as malformed (a response per CertID is signed work). */
    public static final int MAX_CERT_IDS = 50;

    /** RFC 8954 2.1: a nonce is 1 to 32 octets. */
    public static final int MAX_NONCE_OCTETS = 32;

    /** Request extensions understood here (a critical extension not in this set makes the request malformed). */
    private static final Set<ASN1ObjectIdentifier> UNDERSTOOD = Set.of(
            OCSPObjectIdentifiers.id_pkix_ocsp_nonce, OCSPObjectIdentifiers.id_pkix_ocsp_response);

    /** Where the status of a serial of this CA comes from (the database, in the server). */
    @FunctionalInterface
    public interface StatusSource {
        SerialStatus statusOf(BigInteger serial);
    }

    /** A fresh signer over the CA key for each response. */
    @FunctionalInterface
    public interface SignerSource {
        ContentSigner signer() throws OperatorCreationException;
    }

    /** Why a request is refused with malformedRequest. */
    static final class MalformedRequest extends Exception {
        MalformedRequest(String message) {
            super(message, null, false, false);
        }
    }

    private final X509CertificateHolder ca;
    private final RespID responderId;
    private final DigestCalculatorProvider digests;
    private final Duration validity;

    public OcspAnswerer(X509Certificate ca, Duration validity) {
        this.validity = Objects.requireNonNull(validity, "validity");
        if (validity.isNegative() || validity.isZero()) {
            throw new IllegalArgumentException("the validity of OCSP answers must be positive: " + validity);
        }
        try {
            this.ca = new JcaX509CertificateHolder(ca);
            this.digests = new JcaDigestCalculatorProviderBuilder().build();
            this.responderId = new RespID(this.ca.getSubjectPublicKeyInfo(), digests.get(RespID.HASH_SHA1));
        } catch (CertificateEncodingException | OperatorCreationException | OCSPException e) {
            throw new IllegalStateException("cannot set up the OCSP responder", e);
        }
    }

    /** The DER of the OCSP response to the DER {@code request}, answered as of {@code now}. */
    public byte[] answer(byte[] request, Instant now, StatusSource statuses, SignerSource signer) {
        OCSPRequest parsed;
        try {
            parsed = parse(request);
        } catch (MalformedRequest e) {
            LOG.fine(() -> "malformed OCSP request: " + e.getMessage());
            return status(OCSPRespBuilder.MALFORMED_REQUEST);
        }
        try {
            return answer(parsed, now.truncatedTo(ChronoUnit.SECONDS), statuses, signer);
        } catch (MalformedRequest e) {
            LOG.fine(() -> "malformed OCSP request: " + e.getMessage());
            return status(OCSPRespBuilder.MALFORMED_REQUEST);
        } catch (OCSPException | OperatorCreationException | IOException | RuntimeException e) {
            LOG.log(Level.WARNING, "OCSP responder failure", e);
            return status(OCSPRespBuilder.INTERNAL_ERROR);
        }
    }

    /** An OCSP response without a body: malformedRequest, internalError, tryLater, unauthorized... */
    public static byte[] status(int responseStatus) {
        try {
            return new OCSPRespBuilder().build(responseStatus, null).getEncoded();
        } catch (OCSPException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Strict DER reading: one OCSPRequest, nothing after it, version 1, 1 to MAX_CERT_IDS CertIDs. */
    static OCSPRequest parse(byte[] request) throws MalformedRequest {
        if (request == null || request.length == 0) {
            throw new MalformedRequest("empty request");
        }
        OCSPRequest parsed;
        try {
            parsed = OCSPRequest.getInstance(ASN1Primitive.fromByteArray(request)); // refuses trailing bytes
            TBSRequest tbs = parsed.getTbsRequest();
            if (tbs.getVersion().intValueExact() != 0) {
                throw new MalformedRequest("unsupported OCSP request version " + tbs.getVersion());
            }
            ASN1Sequence list = tbs.getRequestList();
            if (list.size() == 0) {
                throw new MalformedRequest("no CertID in the request");
            }
            if (list.size() > MAX_CERT_IDS) {
                throw new MalformedRequest(list.size() + " CertIDs in one request, at most " + MAX_CERT_IDS + " are answered");
            }
            for (ASN1Encodable element : list) {
                Request single = Request.getInstance(element);
                single.getReqCert().getSerialNumber();
                checkCritical(single.getSingleRequestExtensions());
            }
            checkCritical(tbs.getRequestExtensions());
            nonce(tbs.getRequestExtensions());
        } catch (IOException | RuntimeException e) {
            throw new MalformedRequest("not a DER OCSPRequest: " + e.getMessage());
        }
        return parsed;
    }

    private byte[] answer(OCSPRequest request, Instant now, StatusSource statuses, SignerSource signer)
            throws MalformedRequest, OCSPException, OperatorCreationException, IOException {
        TBSRequest tbs = request.getTbsRequest();
        Date thisUpdate = Date.from(now);
        Date nextUpdate = Date.from(now.plus(validity));
        BasicOCSPRespBuilder builder = new BasicOCSPRespBuilder(responderId);
        for (ASN1Encodable element : tbs.getRequestList()) {
            CertificateID id = new Req(Request.getInstance(element)).getCertID();
            SerialStatus status = issuedHere(id) ? statuses.statusOf(id.getSerialNumber()) : SerialStatus.UNKNOWN;
            builder.addResponse(id, toOcsp(status), thisUpdate, nextUpdate, null);
        }
        Extension nonce = nonce(tbs.getRequestExtensions());
        if (nonce != null) {
            builder.setResponseExtensions(new Extensions(new Extension(nonce.getExtnId(), false, nonce.getExtnValue())));
        }
        BasicOCSPResp basic = builder.build(signer.signer(), null, thisUpdate);
        return new OCSPRespBuilder().build(OCSPRespBuilder.SUCCESSFUL, basic).getEncoded();
    }

    /** Whether the CertID names this CA: issuer name hash and issuer key hash, with the hash algorithm it names. */
    boolean issuedHere(CertificateID id) {
        try {
            return id.matchesIssuer(ca, digests);
        } catch (OCSPException | RuntimeException e) { // a hash algorithm not supported here cannot name us
            return false;
        }
    }

    static CertificateStatus toOcsp(SerialStatus status) {
        return switch (status.state()) {
            case GOOD -> CertificateStatus.GOOD;
            case UNKNOWN -> new UnknownStatus();
            case REVOKED -> {
                RevokedEntry revocation = status.revocation();
                ASN1GeneralizedTime at = new ASN1GeneralizedTime(Date.from(revocation.revokedAt().truncatedTo(ChronoUnit.SECONDS)));
                yield new RevokedStatus(revocation.reason() == RevocationReason.UNSPECIFIED
                        ? new RevokedInfo(at)
                        : new RevokedInfo(at, CRLReason.lookup(revocation.reason().code())));
            }
        };
    }

    /** The request's nonce extension, or null; a nonce of 0 or more than 32 octets is malformed (RFC 8954). */
    static Extension nonce(Extensions extensions) throws MalformedRequest {
        Extension nonce = extensions == null ? null : extensions.getExtension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce);
        if (nonce == null) {
            return null;
        }
        byte[] value = nonce.getExtnValue().getOctets();
        int length;
        try {
            length = ASN1OctetString.getInstance(ASN1Primitive.fromByteArray(value)).getOctets().length; // Nonce ::= OCTET STRING
        } catch (IOException | RuntimeException e) {
            length = value.length; // older clients put the bare octets
        }
        if (length < 1 || length > MAX_NONCE_OCTETS) {
            throw new MalformedRequest("a nonce of " + length + " octets (RFC 8954: 1 to " + MAX_NONCE_OCTETS + ")");
        }
        return nonce;
    }

    private static void checkCritical(Extensions extensions) throws MalformedRequest {
        if (extensions == null) {
            return;
        }
        for (ASN1ObjectIdentifier oid : extensions.getCriticalExtensionOIDs()) {
            if (!UNDERSTOOD.contains(oid)) {
                throw new MalformedRequest("critical extension " + oid + " is not understood");
            }
        }
    }
}
