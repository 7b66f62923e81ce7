package org.agentnet.aca;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.agentnet.security.Pem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CRLs as built here, read by the real openssl (a Debian package on the project's machines: a
 * missing openssl fails these tests rather than skipping them): the empty CRL of a node that has
 * revoked nothing, and one entry per reason with the names openssl gives them.
 */
class CrlWithOpensslTest {

    private static final TestCa CA = TestCa.create("CN=openssl.test Agent CA,O=openssl.test");

    @TempDir
    Path dir;

    private record Run(int exitCode, String out, String err) {
    }

    private Run openssl(String... arguments) throws IOException, InterruptedException {
        Path out = dir.resolve("out.txt");
        Path err = dir.resolve("err.txt");
        List<String> command = new java.util.ArrayList<>(List.of("openssl"));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).directory(dir.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("openssl did not finish: " + command);
        }
        return new Run(process.exitValue(), Files.readString(out), Files.readString(err));
    }

    private Run crlText(List<RevokedEntry> entries, long number) throws Exception {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        byte[] der = CA.sign(CrlBuilder.prepare(CA.certificate, entries, number, now, now.plus(1, ChronoUnit.DAYS)));
        Files.write(dir.resolve("crl.der"), der);
        Files.writeString(dir.resolve("ca.pem"), Pem.encode("CERTIFICATE", CA.certificate.getEncoded()));
        Run run = openssl("crl", "-inform", "DER", "-in", "crl.der", "-CAfile", "ca.pem", "-noout", "-text");
        assertEquals(0, run.exitCode(), run.out() + run.err());
        assertTrue(run.err().contains("verify OK"), run.err());
        return run;
    }

    @Test
    void anEmptyCrlVerifiesAndListsNothing() throws Exception {
        Run run = crlText(List.of(), 1);
        assertTrue(run.out().contains("Version 2 (0x1)"), run.out());
        assertTrue(run.out().contains("No Revoked Certificates."), run.out());
        assertTrue(run.out().contains("X509v3 CRL Number: \n                1\n"), run.out());
        assertTrue(run.out().contains("X509v3 Authority Key Identifier"), run.out());
        assertTrue(run.out().contains("Issuer: CN = openssl.test Agent CA, O = openssl.test"), run.out());
    }

    @Test
    void entriesAreListedWithTheirReasons() throws Exception {
        Instant at = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(60);
        Run run = crlText(List.of(
                new RevokedEntry(new BigInteger("7f0102030405060708090a0b0c0d0e0f", 16), at, RevocationReason.KEY_COMPROMISE),
                new RevokedEntry(BigInteger.valueOf(0x0abc), at, RevocationReason.SUPERSEDED),
                new RevokedEntry(BigInteger.valueOf(0x0def), at, RevocationReason.CESSATION_OF_OPERATION),
                new RevokedEntry(BigInteger.valueOf(0x0123), at, RevocationReason.UNSPECIFIED)), 42);
        String out = run.out();
        assertTrue(out.contains("Serial Number: 7F0102030405060708090A0B0C0D0E0F"), out);
        assertTrue(out.contains("Serial Number: 0ABC"), out);
        assertTrue(out.contains("Key Compromise"), out);
        assertTrue(out.contains("Superseded"), out);
        assertTrue(out.contains("Cessation Of Operation"), out);
        assertEquals(3, out.split("X509v3 CRL Reason Code", -1).length - 1, "no reason code for unspecified: " + out);
        assertTrue(out.contains("X509v3 CRL Number: \n                42\n"), out);
    }
}
