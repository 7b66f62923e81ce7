package org.agentnet.aca;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.security.cert.CRLReason;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509CRLEntry;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.CRLNumber;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.cert.X509CRLHolder;
import org.bouncycastle.cert.bc.BcX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class CrlBuilderTest {

    private static final TestCa CA = TestCa.create("CN=crl.test Agent CA,O=crl.test");
    private static final Instant THIS_UPDATE = Instant.parse("2026-11-26T10:00:00Z");
    private static final Instant NEXT_UPDATE = THIS_UPDATE.plus(1, ChronoUnit.DAYS);

    private static X509CRL build(List<RevokedEntry> entries, long number) throws Exception {
        byte[] der = CA.sign(CrlBuilder.prepare(CA.certificate, entries, number, THIS_UPDATE, NEXT_UPDATE));
        return (X509CRL) CertificateFactory.getInstance("X.509").generateCRL(new ByteArrayInputStream(der));
    }

    @Test
    void anEmptyCrlIsAVersion2CrlOfTheCaSignedByItsKey() throws Exception {
        X509CRL crl = build(List.of(), 1);
        assertEquals(2, crl.getVersion());
        crl.verify(CA.keys.getPublic());
        assertArrayEquals(CA.certificate.getSubjectX500Principal().getEncoded(), crl.getIssuerX500Principal().getEncoded(),
                "the issuer is the CA's subject, byte for byte as in the certificates it issues");
        assertEquals(Date.from(THIS_UPDATE), crl.getThisUpdate());
        assertEquals(Date.from(NEXT_UPDATE), crl.getNextUpdate());
        assertNull(crl.getRevokedCertificates());
        assertEquals("SHA256withECDSA", crl.getSigAlgName());
    }

    @Test
    void carriesTheCrlNumberAndTheCaKeyIdentifierAsNonCriticalExtensions() throws Exception {
        X509CRL crl = build(List.of(), 4711);
        X509CRLHolder holder = new X509CRLHolder(crl.getEncoded());
        Extension number = holder.getExtension(Extension.cRLNumber);
        assertFalse(number.isCritical());
        assertEquals(BigInteger.valueOf(4711), CRLNumber.getInstance(number.getParsedValue()).getCRLNumber());
        Extension aki = holder.getExtension(Extension.authorityKeyIdentifier);
        assertFalse(aki.isCritical());
        AuthorityKeyIdentifier keyId = AuthorityKeyIdentifier.getInstance(aki.getParsedValue());
        byte[] ski = SubjectKeyIdentifier.getInstance(new JcaX509CertificateHolder(CA.certificate)
                .getExtension(Extension.subjectKeyIdentifier).getParsedValue()).getKeyIdentifier();
        assertArrayEquals(ski, keyId.getKeyIdentifier());
        assertNull(keyId.getAuthorityCertIssuer(), "key identifier only");
        assertTrue(crl.getCriticalExtensionOIDs() == null || crl.getCriticalExtensionOIDs().isEmpty());
    }

    @Test
    void withoutASubjectKeyIdentifierTheKeyIdentifierIsTheHashOfTheCaKey() throws Exception {
        TestCa bare = TestCa.create("CN=no ski,O=crl.test", false);
        byte[] der = bare.sign(CrlBuilder.prepare(bare.certificate, List.of(), 1, THIS_UPDATE, NEXT_UPDATE));
        AuthorityKeyIdentifier aki = AuthorityKeyIdentifier.getInstance(
                new X509CRLHolder(der).getExtension(Extension.authorityKeyIdentifier).getParsedValue());
        byte[] expected = new BcX509ExtensionUtils().createSubjectKeyIdentifier(
                new JcaX509CertificateHolder(bare.certificate).getSubjectPublicKeyInfo()).getKeyIdentifier();
        assertArrayEquals(expected, aki.getKeyIdentifier());
    }

    @Test
    void listsEachRevokedSerialWithItsDateAndReason() throws Exception {
        BigInteger first = new BigInteger("7f3a9c0e1d2b4a5968776655443322ff", 16);
        BigInteger second = BigInteger.valueOf(0x1234);
        Instant firstAt = THIS_UPDATE.minus(2, ChronoUnit.HOURS);
        Instant secondAt = THIS_UPDATE.minus(1, ChronoUnit.HOURS);
        X509CRL crl = build(List.of(new RevokedEntry(first, firstAt, RevocationReason.KEY_COMPROMISE),
                new RevokedEntry(second, secondAt, RevocationReason.SUPERSEDED)), 2);
        assertEquals(2, crl.getRevokedCertificates().size());
        X509CRLEntry a = crl.getRevokedCertificate(first);
        assertEquals(Date.from(firstAt), a.getRevocationDate());
        assertEquals(CRLReason.KEY_COMPROMISE, a.getRevocationReason());
        X509CRLEntry b = crl.getRevokedCertificate(second);
        assertEquals(Date.from(secondAt), b.getRevocationDate());
        assertEquals(CRLReason.SUPERSEDED, b.getRevocationReason());
        assertNull(crl.getRevokedCertificate(BigInteger.TEN));
    }

    @Test
    void anUnspecifiedReasonIsLeftOut() throws Exception {
        BigInteger serial = BigInteger.valueOf(99);
        X509CRL crl = build(List.of(new RevokedEntry(serial, THIS_UPDATE.minusSeconds(5), RevocationReason.UNSPECIFIED)), 3);
        X509CRLEntry entry = crl.getRevokedCertificate(serial);
        assertNotNull(entry);
        assertNull(entry.getRevocationReason());
        assertFalse(entry.hasExtensions(), "RFC 5280 5.3.1: reasonCode unspecified SHOULD be absent");
    }

    @ParameterizedTest
    @EnumSource(value = RevocationReason.class, names = "UNSPECIFIED", mode = EnumSource.Mode.EXCLUDE)
    void everyReasonKeepsItsRfc5280Code(RevocationReason reason) throws Exception {
        BigInteger serial = BigInteger.valueOf(1000 + reason.code());
        X509CRL crl = build(List.of(new RevokedEntry(serial, THIS_UPDATE.minusSeconds(5), reason)), 5);
        assertEquals(reason.code(), crl.getRevokedCertificate(serial).getRevocationReason().ordinal(),
                "java.security.cert.CRLReason ordinals are the RFC 5280 codes");
    }

    @Test
    void refusesAWindowThatEndsBeforeItStartsAndNegativeNumbers() {
        assertThrows(IllegalArgumentException.class,
                () -> CrlBuilder.prepare(CA.certificate, List.of(), 1, NEXT_UPDATE, THIS_UPDATE));
        assertThrows(IllegalArgumentException.class,
                () -> CrlBuilder.prepare(CA.certificate, List.of(), 1, THIS_UPDATE, THIS_UPDATE));
        assertThrows(IllegalArgumentException.class,
                () -> CrlBuilder.prepare(CA.certificate, List.of(), -1, THIS_UPDATE, NEXT_UPDATE));
    }
}
