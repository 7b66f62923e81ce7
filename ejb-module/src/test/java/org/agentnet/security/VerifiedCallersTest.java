package org.agentnet.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Date;
import org.agentnet.aca.CertificateProfile;
import org.agentnet.security.VerifiedCallers.Role;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;

/** What the gate reads once from a certificate (identity, key usage for a TLS client) and which role admits which profile. */
class VerifiedCallersTest {

    private static final String AGENT = "agent://local.agentnet/Acme%20Corp/planner";
    private static final String GATEWAY = "agw://local.agentnet/local.agentnet/node-1";

    @Test
    void anAcaAgentCertificateNamesItsAgent() {
        VerifiedCallers.Fitness fit = VerifiedCallers.fitnessOf(certificate(AGENT, KeyUsage.digitalSignature, KeyPurposeId.id_kp_clientAuth));
        assertNull(fit.unfit());
        assertEquals(CertificateProfile.AGENT, fit.identity().profile());
        assertEquals("Acme Corp", fit.identity().organization());
        assertEquals("planner", fit.identity().name());
    }

    @Test
    void anAcaGatewayCertificateNamesItsGateway() {
        VerifiedCallers.Fitness fit = VerifiedCallers.fitnessOf(certificate(GATEWAY, KeyUsage.digitalSignature,
                KeyPurposeId.id_kp_clientAuth, KeyPurposeId.id_kp_serverAuth));
        assertNull(fit.unfit());
        assertEquals(CertificateProfile.GATEWAY, fit.identity().profile());
    }

    @Test
    void aCertificateThatMayNotAuthenticateATlsClientIsUnfit() {
        assertTrue(VerifiedCallers.fitnessOf(certificate(GATEWAY, KeyUsage.digitalSignature, KeyPurposeId.id_kp_serverAuth))
                .unfit().contains("clientAuth"));
        assertTrue(VerifiedCallers.fitnessOf(certificate(AGENT, KeyUsage.digitalSignature)).unfit().contains("clientAuth"),
                "without extendedKeyUsage");
        assertTrue(VerifiedCallers.fitnessOf(certificate(AGENT, KeyUsage.keyEncipherment, KeyPurposeId.id_kp_clientAuth))
                .unfit().contains("digitalSignature"));
        assertNull(VerifiedCallers.fitnessOf(certificate(AGENT, KeyUsage.digitalSignature, KeyPurposeId.anyExtendedKeyUsage)).unfit());
    }

    @Test
    void aCertificateWithoutAnAgentOrGatewayNameIsUnfit() {
        assertTrue(VerifiedCallers.fitnessOf(certificate(null, KeyUsage.digitalSignature, KeyPurposeId.id_kp_clientAuth))
                .unfit().contains("names no agent or gateway"));
        assertTrue(VerifiedCallers.fitnessOf(certificate("https://agents.example/planner", KeyUsage.digitalSignature,
                KeyPurposeId.id_kp_clientAuth)).unfit().contains("names no agent or gateway"));
    }

    @Test
    void eachRoleAdmitsItsProfilesOnly() {
        assertTrue(Role.AGENT.admits(CertificateProfile.AGENT));
        assertFalse(Role.AGENT.admits(CertificateProfile.GATEWAY));
        assertTrue(Role.GATEWAY.admits(CertificateProfile.GATEWAY));
        assertFalse(Role.GATEWAY.admits(CertificateProfile.AGENT));
        assertTrue(Role.AGENT_OR_GATEWAY.admits(CertificateProfile.AGENT));
        assertTrue(Role.AGENT_OR_GATEWAY.admits(CertificateProfile.GATEWAY));
    }

    private static X509Certificate certificate(String uri, int keyUsage, KeyPurposeId... purposes) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair keys = generator.generateKeyPair();
            Instant now = Instant.now();
            X500Name name = new X500Name("CN=test");
            JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(now.toEpochMilli()),
                    Date.from(now.minusSeconds(60)), Date.from(now.plusSeconds(3600)), name, keys.getPublic());
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(keyUsage));
            if (purposes.length > 0) {
                builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purposes));
            }
            if (uri != null) {
                builder.addExtension(Extension.subjectAlternativeName, false,
                        new GeneralNames(new GeneralName(GeneralName.uniformResourceIdentifier, uri)));
            }
            return new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
