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
import org.agentnet.it.NodeServer;
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
        client = NodeServer.client();
        ca = AcaTestSupport.caChainFile(dir);
    }

    private static Path crl(String name) throws Exception {
        HttpResponse<byte[]> response = NodeServer.send(client, NodeServer.request(NodeServer.http("/api/v1/aca/crl")).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, response.statusCode());
        Path file = dir.resolve(name);
        Files.write(file, response.body());
        return file;
    }

    private static AcaTestSupport.OpensslRun crlText(Path crl) {
        AcaTestSupport.OpensslRun text = AcaTestSupport.openssl(dir, "crl", "-inform", "DER", "-in", crl.toString(), "-CAfile", ca.toString(),
                "-noout", "-text");
        assertEquals(0, text.exitCode(), text.all());
        assertTrue(text.err().contains("verify OK"), text.all());
        return text;
    }

    private static List<String> serials(AcaTestSupport.OpensslRun crlText) {
        Matcher found = SERIALS.matcher(crlText.out());
        List<String> serials = new java.util.ArrayList<>();
        while (found.find()) {
            serials.add(AcaTestSupport.apiSerial(found.group(1)));
        }
        return serials;
    }

    private static long crlNumber(AcaTestSupport.OpensslRun crlText) {
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
        AcaTestSupport.OpensslRun text = crlText(file);
        X509CRL crl = (X509CRL) CertificateFactory.getInstance("X.509").generateCRL(Files.newInputStream(file));
        Set<? extends X509CRLEntry> entries = crl.getRevokedCertificates() == null ? Set.of() : crl.getRevokedCertificates();
        if (entries.isEmpty()) {
            assertTrue(text.out().contains("No Revoked Certificates."), text.out());
        }
        assertEquals(entries.size(), serials(text).size(), text.out());
        for (X509CRLEntry entry : entries) {
            String serial = entry.getSerialNumber().toString(16);
            HttpResponse<String> status = NodeServer.send(client, NodeServer.request(NodeServer.https("/api/v1/aca/certificates/" + serial))
                    .GET().build());
            assertEquals(200, status.statusCode(), status.body());
            JsonObject view = AcaTestSupport.json(status.body());
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
        AcaTestSupport.IssuedAgent agent = AcaTestSupport.issueAgentWithOpensslKey(dir, "revoked", "Revocation Tests");
        AcaTestSupport.IssuedAgent bystander = AcaTestSupport.issueAgentWithOpensslKey(dir, "bystander", "Revocation Tests");
        long before = crlNumber(crlText(crl("before.der")));
        AcaTestSupport.OpensslRun good = ocsp(agent);
        assertTrue(good.out().contains(agent.certificateFile() + ": good"), good.all());

        HttpResponse<String> revoked = AcaTestSupport.revoke(agent.serial(), "keyCompromise");
        assertEquals(200, revoked.statusCode(), revoked.body());

        AcaTestSupport.OpensslRun status = ocsp(agent);
        assertEquals(0, status.exitCode(), status.all());
        assertTrue(status.err().contains("Response verify OK"), status.all());
        assertTrue(status.out().contains(agent.certificateFile() + ": revoked"), status.out());
        assertTrue(status.out().contains("Reason: keyCompromise"), status.out());
        assertTrue(status.out().contains("Revocation Time:"), status.out());
        assertTrue(ocsp(bystander).out().contains(bystander.certificateFile() + ": good"));

        Path after = crl("after.der");
        AcaTestSupport.OpensslRun text = crlText(after);
        assertTrue(crlNumber(text) > before, "a new CRL number: " + text.out());
        assertTrue(serials(text).contains(agent.serial()), text.out());
        assertTrue(!serials(text).contains(bystander.serial()), text.out());
        assertTrue(text.out().contains("Key Compromise"), text.out());

        Path pem = dir.resolve("after.pem");
        AcaTestSupport.OpensslRun converted = AcaTestSupport.openssl(dir, "crl", "-inform", "DER", "-in", after.toString(), "-out", pem.toString());
        assertEquals(0, converted.exitCode(), converted.all());
        AcaTestSupport.OpensslRun refused = AcaTestSupport.openssl(dir, "verify", "-crl_check", "-CAfile", ca.toString(),
                "-CRLfile", pem.toString(), agent.certificateFile().toString());
        assertNotEquals(0, refused.exitCode(), refused.all());
        assertTrue(refused.all().contains("certificate revoked"), refused.all());
        AcaTestSupport.OpensslRun accepted = AcaTestSupport.openssl(dir, "verify", "-crl_check", "-CAfile", ca.toString(),
                "-CRLfile", pem.toString(), bystander.certificateFile().toString());
        assertEquals(0, accepted.exitCode(), accepted.all());
    }

    @Test
    @Order(3)
    void aLaterRevocationWithAnotherReasonKeepsEarlierEntries() throws Exception {
        AcaTestSupport.IssuedAgent agent = AcaTestSupport.issueAgentWithOpensslKey(dir, "superseded", "Revocation Tests");
        HttpResponse<String> revoked = AcaTestSupport.revoke(agent.serial(), "superseded");
        assertEquals(200, revoked.statusCode(), revoked.body());
        AcaTestSupport.OpensslRun status = ocsp(agent);
        assertTrue(status.out().contains(agent.certificateFile() + ": revoked"), status.out());
        assertTrue(status.out().contains("Reason: superseded"), status.out());
        AcaTestSupport.OpensslRun text = crlText(crl("later.der"));
        assertTrue(serials(text).contains(agent.serial()), text.out());
        assertTrue(serials(text).size() >= 2, "the earlier revocation is still listed: " + text.out());
        assertTrue(text.out().contains("Superseded"), text.out());
    }

    private static AcaTestSupport.OpensslRun ocsp(AcaTestSupport.IssuedAgent certificate) {
        return AcaTestSupport.openssl(dir, "ocsp", "-issuer", ca.toString(), "-cert", certificate.certificateFile().toString(),
                "-url", AcaTestSupport.ocspUrl(), "-CAfile", ca.toString(), "-no-CApath");
    }
}
