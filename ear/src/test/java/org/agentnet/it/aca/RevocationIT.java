package org.agentnet.it.aca;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CRLReason;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509CRLEntry;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * A revocation, seen by relying parties at once: right after the operator's revocation answers
 * 200, openssl's OCSP query says revoked (with reason and time) and the CRL, regenerated with the
 * next CRL number, lists the serial with its reason, so that openssl's CRL check refuses the
 * certificate.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RevocationIT {

    private static final Pattern SERIALS = Pattern.compile("Serial Number: ([0-9A-F]+)");

    @TempDir
    static Path dir;

    private static HttpClient client;
    private static Path ca;

    @BeforeAll
    static void caCertificate() throws Exception {
        client = AcaNode.client();
        ca = AcaNode.caCertificates(client, dir);
    }

    private static Path crl(String name) throws Exception {
        HttpResponse<byte[]> response = AcaNode.send(client, AcaNode.request(AcaNode.http("/api/v1/aca/crl")).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, response.statusCode());
        Path file = dir.resolve(name);
        Files.write(file, response.body());
        return file;
    }

    private static AcaNode.Result crlText(Path crl) {
        AcaNode.Result text = AcaNode.openssl(dir, "crl", "-inform", "DER", "-in", crl.toString(), "-CAfile", ca.toString(),
                "-noout", "-text");
        assertEquals(0, text.exitCode(), text.all());
        assertTrue(text.err().contains("verify OK"), text.all());
        return text;
    }

    private static List<String> serials(AcaNode.Result crlText) {
        Matcher found = SERIALS.matcher(crlText.out());
        List<String> serials = new java.util.ArrayList<>();
        while (found.find()) {
            serials.add(AcaNode.apiSerial(found.group(1)));
        }
        return serials;
    }

    private static long crlNumber(AcaNode.Result crlText) {
        Matcher number = Pattern.compile("X509v3 CRL Number:\\s*\\n\\s*(\\d+)").matcher(crlText.out());
        assertTrue(number.find(), crlText.out());
        return Long.parseLong(number.group(1));
    }

    /**
     * Every CRL entry is a certificate this node reports as revoked, at that time and for that
     * reason (the status API): on a fresh node, none at all. The node's database outlives builds
     * without "clean", so certificates revoked by earlier runs may be listed too.
     */
    @Test
    @Order(1)
    void theCrlListsOnlyRevokedCertificatesOfThisNode() throws Exception {
        Path file = crl("listed.der");
        AcaNode.Result text = crlText(file);
        X509CRL crl = (X509CRL) CertificateFactory.getInstance("X.509").generateCRL(Files.newInputStream(file));
        Set<? extends X509CRLEntry> entries = crl.getRevokedCertificates() == null ? Set.of() : crl.getRevokedCertificates();
        if (entries.isEmpty()) {
            assertTrue(text.out().contains("No Revoked Certificates."), text.out());
        }
        assertEquals(entries.size(), serials(text).size(), text.out());
        for (X509CRLEntry entry : entries) {
            String serial = entry.getSerialNumber().toString(16);
            HttpResponse<String> status = AcaNode.send(client, AcaNode.request(AcaNode.http("/api/v1/aca/certificates/" + serial))
                    .GET().build());
            assertEquals(200, status.statusCode(), status.body());
            JsonObject view = AcaNode.json(status.body());
            assertEquals("REVOKED", view.getString("status"), serial);
            assertEquals(Instant.parse(view.getString("revokedAt")).truncatedTo(ChronoUnit.SECONDS),
                    entry.getRevocationDate().toInstant(), serial);
            String reason = view.getString("revocationReason");
            CRLReason listed = entry.getRevocationReason();
            if (listed == null) {
                assertEquals("UNSPECIFIED", reason, serial);
            } else {
                assertEquals(reason.replace("PRIVILEGES_", "PRIVILEGE_"), listed.name(), serial);
            }
        }
    }

    @Test
    @Order(2)
    void aRevokedCertificateIsRevokedInOcspAndListedInTheCrlAtOnce() throws Exception {
        AcaNode.Issued agent = AcaNode.issue(client, dir, "revoked");
        AcaNode.Issued bystander = AcaNode.issue(client, dir, "bystander");
        long before = crlNumber(crlText(crl("before.der")));
        AcaNode.Result good = ocsp(agent);
        assertTrue(good.out().contains(agent.certificate() + ": good"), good.all());

        HttpResponse<String> revoked = AcaNode.revoke(client, agent.serial(), "keyCompromise");
        assertEquals(200, revoked.statusCode(), revoked.body());

        AcaNode.Result status = ocsp(agent);
        assertEquals(0, status.exitCode(), status.all());
        assertTrue(status.err().contains("Response verify OK"), status.all());
        assertTrue(status.out().contains(agent.certificate() + ": revoked"), status.out());
        assertTrue(status.out().contains("Reason: keyCompromise"), status.out());
        assertTrue(status.out().contains("Revocation Time:"), status.out());
        assertTrue(ocsp(bystander).out().contains(bystander.certificate() + ": good"));

        Path after = crl("after.der");
        AcaNode.Result text = crlText(after);
        assertTrue(crlNumber(text) > before, "a new CRL number: " + text.out());
        assertTrue(serials(text).contains(agent.serial()), text.out());
        assertTrue(!serials(text).contains(bystander.serial()), text.out());
        assertTrue(text.out().contains("Key Compromise"), text.out());

        Path pem = dir.resolve("after.pem");
        AcaNode.Result converted = AcaNode.openssl(dir, "crl", "-inform", "DER", "-in", after.toString(), "-out", pem.toString());
        assertEquals(0, converted.exitCode(), converted.all());
        AcaNode.Result refused = AcaNode.openssl(dir, "verify", "-crl_check", "-CAfile", ca.toString(),
                "-CRLfile", pem.toString(), agent.certificate().toString());
        assertNotEquals(0, refused.exitCode(), refused.all());
        assertTrue(refused.all().contains("certificate revoked"), refused.all());
        AcaNode.Result accepted = AcaNode.openssl(dir, "verify", "-crl_check", "-CAfile", ca.toString(),
                "-CRLfile", pem.toString(), bystander.certificate().toString());
        assertEquals(0, accepted.exitCode(), accepted.all());
    }

    @Test
    @Order(3)
    void aLaterRevocationWithAnotherReasonKeepsEarlierEntries() throws Exception {
        AcaNode.Issued agent = AcaNode.issue(client, dir, "superseded");
        HttpResponse<String> revoked = AcaNode.revoke(client, agent.serial(), "superseded");
        assertEquals(200, revoked.statusCode(), revoked.body());
        AcaNode.Result status = ocsp(agent);
        assertTrue(status.out().contains(agent.certificate() + ": revoked"), status.out());
        assertTrue(status.out().contains("Reason: superseded"), status.out());
        AcaNode.Result text = crlText(crl("later.der"));
        assertTrue(serials(text).contains(agent.serial()), text.out());
        assertTrue(serials(text).size() >= 2, "the earlier revocation is still listed: " + text.out());
        assertTrue(text.out().contains("Superseded"), text.out());
    }

    private static AcaNode.Result ocsp(AcaNode.Issued certificate) {
        return AcaNode.openssl(dir, "ocsp", "-issuer", ca.toString(), "-cert", certificate.certificate().toString(),
                "-url", AcaNode.ocspUrl(), "-CAfile", ca.toString(), "-no-CApath");
    }
}
