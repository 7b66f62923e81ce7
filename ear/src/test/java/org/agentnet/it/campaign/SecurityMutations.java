package org.agentnet.it.campaign;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.util.Base64;
import com.nimbusds.jose.util.Base64URL;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.agentnet.it.TestPki;
import org.agentnet.it.aca.AcaTestSupport;
import org.agentnet.it.campaign.Mutations.Value;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.OCSPReqBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;

/**
 * Bad certificates, CSRs and signatures: PEM that is garbage, truncated or of the wrong type,
 * certificates of an untrusted CA, revoked, expired or of the wrong role, forged identities,
 * chains that are too long; compact JWS with bad signatures, alg none, key confusion, another
 * agent's key, truncated or with hostile headers; DER that is truncated or nested too deep.
 */
final class SecurityMutations {

    static final String CERTIFICATES = "invalid-certificate";
    static final String SIGNATURES = "invalid-signature";
    static final String DER = "invalid-der";

    private SecurityMutations() {
    }

    /** What the bad values are made of: the node's certificates of the campaign's callers, and a foreign PKI. */
    record Material(AcaTestSupport.IssuedAgent alice, AcaTestSupport.IssuedAgent bob, AcaTestSupport.IssuedAgent revoked,
                    AcaTestSupport.IssuedAgent gateway, TestPki untrusted, List<X509Certificate> nodeCa) {
    }

    /** PEM values for a field that holds certificates (or a CSR, {@code csr} true); {@code withCaCertificates}: also CA certificates of other domains. */
    static List<Value> pemValues(Material m, boolean csr, boolean withCaCertificates) {
        List<Value> values = new ArrayList<>();
        String good = csr ? AcaTestSupport.csr(m.bob().keys()) : m.alice().pem();
        values.add(text("garbage", "not a PEM at all"));
        values.add(text("garbage PEM", "-----BEGIN CERTIFICATE-----\nnot base64 at all!\n-----END CERTIFICATE-----\n"));
        values.add(text("random DER", pem("CERTIFICATE", random(600))));
        values.add(text("random CSR DER", pem("CERTIFICATE REQUEST", random(300))));
        values.add(text("empty PEM", "-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n"));
        values.add(text("no END line", good.substring(0, good.lastIndexOf("-----END"))));
        values.add(text("label mismatch", good.replaceFirst("-----END [A-Z ]+-----", "-----END PRIVATE KEY-----")));
        for (int cut : new int[] {10, good.length() / 3, good.length() / 2, good.length() - 40}) {
            values.add(text("truncated at " + cut, good.substring(0, cut)));
        }
        values.add(text("one byte flipped", flipped(good)));
        values.add(text("CRLF and tabs", good.replace("\n", "\r\n\t")));
        values.add(text("huge PEM (200 KB)", pem("CERTIFICATE", random(150_000))));
        values.add(text("nested DER bomb", pem(csr ? "CERTIFICATE REQUEST" : "CERTIFICATE", derBomb(5_000))));
        values.add(text("private key instead", pem("PRIVATE KEY", AcaTestSupport.ecKeys("secp256r1").getPrivate().getEncoded())));
        values.add(text("certificate of an untrusted CA", TestPki.pem(m.untrusted().client("CN=stranger,O=rogue.example", TestPki.ecKeys()))));
        values.add(text("expired certificate", TestPki.pem(TestPki.certificate("CN=expired,O=rogue.example", TestPki.ecKeys(),
                m.untrusted().ca, m.untrusted().caKeys, false, KeyUsage.digitalSignature,
                Instant.now().minus(Duration.ofDays(10)), Instant.now().minus(Duration.ofDays(1)), null))));
        KeyPair forger = TestPki.ecKeys();
        values.add(text("forged copy of alice (self-signed, her subject)", TestPki.pem(TestPki.certificate(
                m.alice().certificate().getSubjectX500Principal().getName(), forger, null, forger,
                false, KeyUsage.digitalSignature, Instant.now().minus(Duration.ofMinutes(1)), Instant.now().plus(Duration.ofDays(1)), null))));
        values.add(text("revoked certificate", m.revoked().pem()));
        values.add(text("gateway certificate", m.gateway().pem()));
        values.add(text("seven certificates", (m.alice().pem() + "\n").repeat(7)));
        values.add(text("certificate then garbage block", m.alice().pem() + "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"));
        if (csr) {
            values.add(text("certificate instead of a CSR", m.alice().pem()));
            values.add(text("CSR of a 1024-bit RSA key", rsaCsr(1024)));
            values.add(text("CSR with a broken signature", brokenCsrSignature(m)));
        } else {
            values.add(text("CSR instead of a certificate", AcaTestSupport.csr(m.bob().keys())));
        }
        if (withCaCertificates) {
            values.add(text("CA certificate of an untrusted domain", TestPki.pem(m.untrusted().ca)));
        }
        return values;
    }

    /** DER bodies (OCSP requests): truncated, garbage, nested too deep, a valid request with a byte changed. */
    static List<Value> derValues(byte[] good) {
        List<Value> values = new ArrayList<>();
        values.add(new Value(DER, "empty", new byte[0]));
        values.add(new Value(DER, "random 100 bytes", random(100)));
        values.add(new Value(DER, "random 64 KB", random(64 * 1024)));
        values.add(new Value(DER, "indefinite-length bomb", derBomb(20_000)));
        values.add(new Value(DER, "length overflow", new byte[] {0x30, (byte) 0x84, 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x02, 0x01, 0x00}));
        values.add(new Value(DER, "text instead of DER", Mutations.ascii("' OR '1'='1")));
        for (int cut : new int[] {1, 2, good.length / 4, good.length / 2, good.length - 1}) {
            values.add(new Value(DER, "truncated at " + cut, Arrays.copyOf(good, cut)));
        }
        for (int at : new int[] {1, good.length / 2, good.length - 2}) {
            byte[] changed = good.clone();
            changed[at] ^= 0x5a;
            values.add(new Value(DER, "byte " + at + " changed", changed));
        }
        return values;
    }

    /** A valid OCSP request for the certificate (issued by the node's CA). */
    static byte[] ocspRequest(X509Certificate certificate, X509Certificate issuer) {
        try {
            CertificateID id = new CertificateID(new JcaDigestCalculatorProviderBuilder().build().get(CertificateID.HASH_SHA1),
                    new JcaX509CertificateHolder(issuer), certificate.getSerialNumber());
            return new OCSPReqBuilder().addRequest(id).build().getEncoded();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- JWS ----------------------------------------------------------------------------------

    /** Signs {@code payload} (any bytes) with ES256 and the key: a valid compact JWS of that payload. */
    static String sign(PrivateKey key, byte[] payload) {
        try {
            JWSObject jws = new JWSObject(new JWSHeader(JWSAlgorithm.ES256), new Payload(payload));
            jws.sign(new ECDSASigner((ECPrivateKey) key));
            return jws.serialize();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Compact JWS that must not pass: {@code payload} is a valid claims set, {@code key} the caller's own key. */
    static List<Value> jwsValues(byte[] payload, KeyPair own, KeyPair other) {
        List<Value> values = new ArrayList<>();
        String good = sign(own.getPrivate(), payload);
        String[] parts = good.split("\\.");
        values.add(jws("signature byte flipped", parts[0] + "." + parts[1] + "." + flip(parts[2])));
        values.add(jws("signature of another payload", parts[0] + "." + Base64URL.encode("{\"jti\":\"x\"}") + "." + parts[2]));
        values.add(jws("random signature", parts[0] + "." + parts[1] + "." + Base64URL.encode(random(64))));
        values.add(jws("empty signature", parts[0] + "." + parts[1] + "."));
        values.add(jws("alg none", Base64URL.encode("{\"alg\":\"none\"}") + "." + parts[1] + "."));
        values.add(jws("alg None", Base64URL.encode("{\"alg\":\"None\"}") + "." + parts[1] + "."));
        values.add(jws("HS256 keyed with the public key", hmacWithPublicKey(own, payload)));
        values.add(jws("RS256 header on an ES256 signature", Base64URL.encode("{\"alg\":\"RS256\"}") + "." + parts[1] + "." + parts[2]));
        values.add(jws("signed by another agent's key", sign(other.getPrivate(), payload)));
        values.add(jws("signed by a fresh key", sign(AcaTestSupport.ecKeys("secp256r1").getPrivate(), payload)));
        values.add(jws("embedded attacker jwk", withHeader(payload, embeddedJwk())));
        values.add(jws("crit header", withHeader(payload, header("{\"alg\":\"ES256\",\"crit\":[\"exp\"],\"exp\":1}"))));
        values.add(jws("b64 false", withHeader(payload, header("{\"alg\":\"ES256\",\"b64\":false,\"crit\":[\"b64\"]}"))));
        values.add(jws("kid path traversal", withHeader(payload, header("{\"alg\":\"ES256\",\"kid\":\"../../../../etc/passwd\"}"))));
        values.add(jws("x5u to elsewhere", withHeader(payload, header("{\"alg\":\"ES256\",\"x5u\":\"http://127.0.0.1:1/x\"}"))));
        values.add(jws("header not JSON", Base64URL.encode("not json") + "." + parts[1] + "." + parts[2]));
        values.add(jws("header a JSON array", Base64URL.encode("[\"ES256\"]") + "." + parts[1] + "." + parts[2]));
        values.add(jws("header deep nesting", Base64URL.encode("{\"alg\":\"ES256\",\"x\":" + "[".repeat(5000) + "]".repeat(5000) + "}")
                + "." + parts[1] + "." + parts[2]));
        for (int cut : new int[] {0, 5, parts[0].length(), parts[0].length() + 1, good.length() / 2, good.length() - parts[2].length() - 1,
                good.length() - 10, good.length() - 1}) {
            values.add(jws("truncated at " + cut, good.substring(0, cut)));
        }
        values.add(jws("two parts", parts[0] + "." + parts[1]));
        values.add(jws("five parts (JWE shape)", good + ".AAAA.BBBB"));
        values.add(jws("only dots", "...."));
        values.add(jws("standard base64 alphabet", good.replace('-', '+').replace('_', '/') + "=="));
        values.add(jws("whitespace inside", parts[0] + " ." + parts[1] + "\n." + parts[2]));
        values.add(jws("JSON serialization", "{\"payload\":\"" + parts[1] + "\",\"protected\":\"" + parts[0] + "\",\"signature\":\""
                + parts[2] + "\"}"));
        values.add(jws("payload not JSON (signed)", sign(own.getPrivate(), Mutations.ascii("not json"))));
        values.add(jws("payload a JSON array (signed)", sign(own.getPrivate(), Mutations.ascii("[1,2,3]"))));
        values.add(jws("payload nested 10000 deep (signed)", sign(own.getPrivate(), Mutations.deepArray().bytes())));
        values.add(jws("payload invalid UTF-8 (signed)", sign(own.getPrivate(), new byte[] {'{', '"', (byte) 0xff, '"', ':', '1', '}'})));
        values.add(jws("20 KB payload (signed)", sign(own.getPrivate(), Mutations.concat(Mutations.ascii("{\"x\":\""),
                Mutations.ascii("a".repeat(20_000)), Mutations.ascii("\"}")))));
        values.add(jws("injection", "' OR '1'='1"));
        return values;
    }

    private static Value jws(String label, String compact) {
        return new Value(SIGNATURES, label, compact.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static String hmacWithPublicKey(KeyPair own, byte[] payload) {
        try {
            byte[] secret = own.getPublic().getEncoded();
            JWSObject jws = new JWSObject(new JWSHeader(JWSAlgorithm.HS256), new Payload(payload));
            jws.sign(new MACSigner(Arrays.copyOf(secret, Math.max(32, secret.length))));
            return jws.serialize();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static JWSHeader embeddedJwk() {
        KeyPair attacker = AcaTestSupport.ecKeys("secp256r1");
        return new JWSHeader.Builder(JWSAlgorithm.ES256).type(JOSEObjectType.JOSE)
                .jwk(new ECKey.Builder(Curve.P_256, (ECPublicKey) attacker.getPublic()).build()).build();
    }

    private static JWSHeader header(String json) {
        try {
            return JWSHeader.parse(json);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String withHeader(byte[] payload, JWSHeader header) {
        // signed with a throw-away key: what matters is that the header is refused or the signature fails
        try {
            JWSObject jws = new JWSObject(header, new Payload(payload));
            jws.sign(new ECDSASigner((ECPrivateKey) AcaTestSupport.ecKeys("secp256r1").getPrivate()));
            return jws.serialize();
        } catch (Exception e) {
            Base64URL h = header.toBase64URL();
            return h + "." + Base64URL.encode(payload) + "." + Base64URL.encode(random(64));
        }
    }

    // ---- helpers ---------------------------------------------------------------------------------

    private static Value text(String label, String text) {
        return new Value(CERTIFICATES, label, Mutations.json(text));
    }

    static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.encode(der).toString().replaceAll("(.{64})", "$1\n")
                + "\n-----END " + type + "-----\n";
    }

    /** Nested indefinite-length SEQUENCEs: 30 80 30 80 ... 00 00 00 00. */
    static byte[] derBomb(int depth) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(depth * 4);
        for (int i = 0; i < depth; i++) {
            out.write(0x30);
            out.write(0x80);
        }
        for (int i = 0; i < depth; i++) {
            out.write(0);
            out.write(0);
        }
        return out.toByteArray();
    }

    static byte[] random(int n) {
        byte[] bytes = new byte[n];
        new java.util.Random(n).nextBytes(bytes);
        return bytes;
    }

    private static String flipped(String pem) {
        String[] lines = pem.split("\n");
        int middle = lines.length / 2;
        char[] chars = lines[middle].toCharArray();
        chars[chars.length / 2] = chars[chars.length / 2] == 'A' ? 'B' : 'A';
        lines[middle] = new String(chars);
        return String.join("\n", lines) + "\n";
    }

    private static String flip(String base64url) {
        char[] chars = base64url.toCharArray();
        chars[chars.length / 2] = chars[chars.length / 2] == 'A' ? 'B' : 'A';
        return new String(chars);
    }

    /** A well-formed CSR of a key too weak for the node's policy. */
    private static String rsaCsr(int bits) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(bits);
            KeyPair keys = generator.generateKeyPair();
            var request = new org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder(
                    new org.bouncycastle.asn1.x500.X500Name("CN=weak"), keys.getPublic())
                    .build(new org.bouncycastle.operator.jcajce.JcaContentSignerBuilder("SHA256withRSA").build(keys.getPrivate()));
            return pem("CERTIFICATE REQUEST", request.getEncoded());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String brokenCsrSignature(Material m) {
        try {
            String pem = AcaTestSupport.csr(AcaTestSupport.ecKeys("secp256r1"));
            String body = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
            byte[] der = java.util.Base64.getDecoder().decode(body);
            der[der.length - 3] ^= 0x01; // inside the signature
            return pem("CERTIFICATE REQUEST", der);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

}
