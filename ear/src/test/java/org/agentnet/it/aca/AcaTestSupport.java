package org.agentnet.it.aca;

import static org.junit.jupiter.api.Assertions.assertEquals;

import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.agentnet.it.NodeServer;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/**
 * What tests need from the node's ACA (the server the build started, see {@link NodeServer}):
 * keys and CSRs, enrollment tokens, applications, agents with a certificate issued at once, their
 * mutual-TLS clients, revocation, and the real openssl.
 *
 * <p>For tests of other components that need an agent's client certificate:
 * {@link #issueAgent(String, String)} and {@link IssuedAgent#mtlsClient()}.
 */
public final class AcaTestSupport {

    static final String APPLICATIONS = "/api/v1/aca/applications";
    static final String TOKENS = "/api/v1/admin/aca/enrollment-tokens";
    static final char[] CLIENT_PASSWORD = "it-client".toCharArray();
    /** Every issued agent may use this function type and these scopes (the node's default policy permits them). */
    static final String FUNCTION_TYPE = "planner";
    static final List<String> SCOPES = List.of("discovery", "messaging");

    private static final Duration OPENSSL_TIMEOUT = Duration.ofSeconds(60);
    private static final AtomicLong NAMES = new AtomicLong(System.nanoTime() % 1_000_000_000L);

    private AcaTestSupport() {
    }

    /**
     * An agent whose certificate the node issued at once (enrollment token, 201).
     *
     * @param certificateFile the certificate as a PEM file, for openssl
     */
    public record IssuedAgent(String agentName, KeyPair keys, String serial, String pem, X509Certificate certificate,
                              JsonObject application, Path certificateFile) {

        /** The key and certificate as a PKCS#12 store (password {@code it-client}). */
        public KeyStore keyStore() {
            try {
                KeyStore store = KeyStore.getInstance("PKCS12");
                store.load(null, null);
                store.setKeyEntry("agent", keys.getPrivate(), CLIENT_PASSWORD, new java.security.cert.Certificate[] {certificate});
                return store;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        /** A client that presents this agent's certificate over HTTPS (mutual TLS) and trusts the node's. */
        public HttpClient mtlsClient() {
            return NodeServer.client(keyStore(), CLIENT_PASSWORD);
        }
    }

    /**
     * Issues a certificate for a new agent of {@code organization}: a new EC P-256 key and CSR, an
     * enrollment token from the operator (function type planner, scopes discovery and messaging),
     * and the application that spends it (201 with the certificate, which asks for the scope discovery).
     */
    public static IssuedAgent issueAgent(String agentName, String organization) {
        KeyPair keys = ecKeys("secp256r1");
        return issue(agentName, organization, csr(keys), keys.getPrivate(), temporaryDirectory());
    }

    /** As {@link #issueAgent}, with the key and CSR made by the real openssl in {@code dir}, under a unique name. */
    static IssuedAgent issueAgentWithOpensslKey(Path dir, String namePrefix, String organization) {
        String name = namePrefix + "-" + NAMES.incrementAndGet();
        Path key = dir.resolve(name + ".key");
        Path csr = dir.resolve(name + ".csr");
        OpensslRun made = openssl(dir, "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-keyout", key.toString(), "-out", csr.toString(), "-subj", "/O=" + organization + "/CN=" + name);
        assertEquals(0, made.exitCode(), made.all());
        try (PEMParser parser = new PEMParser(Files.newBufferedReader(key))) {
            PrivateKey privateKey = new JcaPEMKeyConverter().getPrivateKey((PrivateKeyInfo) parser.readObject());
            return issue(name, organization, Files.readString(csr), privateKey, dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static IssuedAgent issue(String agentName, String organization, String csrPem, PrivateKey privateKey, Path dir) {
        String token = enrollmentToken(organization, null, List.of(FUNCTION_TYPE), SCOPES);
        HttpResponse<String> response = apply(application(csrPem, agentName, organization, FUNCTION_TYPE,
                List.of("discovery"), token));
        assertEquals(201, response.statusCode(), response.body());
        JsonObject application = json(response.body());
        JsonObject issued = application.getJsonObject("certificate");
        String pem = issued.getString("pem");
        X509Certificate certificate = parse(pem);
        Path file = dir.resolve(agentName + "-" + issued.getString("serial") + ".pem");
        try {
            Files.writeString(file, pem);
            file.toFile().deleteOnExit();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new IssuedAgent(agentName, new KeyPair(certificate.getPublicKey(), privateKey), issued.getString("serial"),
                pem, certificate, application, file);
    }

    /** An enrollment token made by the operator ({@code profile} null: AGENT). */
    public static String enrollmentToken(String organization, String profile, List<String> functionTypes, List<String> scopes) {
        JsonObjectBuilder body = Json.createObjectBuilder().add("organization", organization)
                .add("functionTypes", array(functionTypes)).add("permissionScope", array(scopes));
        if (profile != null) {
            body.add("profile", profile);
        }
        HttpResponse<String> response = NodeServer.send(NodeServer.client(), NodeServer.request(NodeServer.https(TOKENS))
                .header("Authorization", NodeServer.adminAuthorization())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.build().toString())).build());
        assertEquals(201, response.statusCode(), response.body());
        return json(response.body()).getString("token");
    }

    /** Revokes as the operator: POST /api/v1/aca/certificates/{serial}/revocation over HTTPS. */
    public static HttpResponse<String> revoke(String serial, String reason) {
        return NodeServer.send(NodeServer.client(), NodeServer.request(NodeServer.https("/api/v1/aca/certificates/" + serial + "/revocation"))
                .header("Authorization", NodeServer.adminAuthorization())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Json.createObjectBuilder().add("reason", reason).build().toString()))
                .build());
    }

    public static JsonObjectBuilder application(String csr, String agentName, String organization, String functionType,
                                         List<String> scopes, String token) {
        JsonObjectBuilder body = Json.createObjectBuilder()
                .add("csr", csr).add("agentName", agentName).add("organization", organization)
                .add("developer", "it@agentnet.example").add("functionType", functionType)
                .add("permissionScope", array(scopes)).add("skills", array(List.of("flights", "hotels")));
        if (token != null) {
            body.add("enrollmentToken", token);
        }
        return body;
    }

    public static HttpResponse<String> apply(JsonObjectBuilder body) {
        return NodeServer.send(NodeServer.client(), NodeServer.request(NodeServer.https(APPLICATIONS))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.build().toString())).build());
    }

    public static KeyPair ecKeys(String curve) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec(curve));
            return generator.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static KeyPair keys(String algorithm, int size) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
            if (size > 0) {
                generator.initialize(size);
            }
            return generator.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String csr(KeyPair keys, String signatureAlgorithm) {
        try {
            PKCS10CertificationRequest request = new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=it"), keys.getPublic())
                    .build(new JcaContentSignerBuilder(signatureAlgorithm).build(keys.getPrivate()));
            return pem(request);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static String csr(KeyPair keys) {
        return csr(keys, "SHA256withECDSA");
    }

    static String pem(Object object) {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            writer.writeObject(object);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return text.toString();
    }

    public static X509Certificate parse(String pem) {
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new java.io.ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static JsonObject json(String body) {
        return Json.createReader(new StringReader(body)).readObject();
    }

    /** The CA chain (signing CA first) as PEM. */
    static String caChain() {
        HttpResponse<String> response = NodeServer.send(NodeServer.client(),
                NodeServer.request(NodeServer.http("/api/v1/aca/ca-certificates")).GET().build());
        assertEquals(200, response.statusCode(), response.body());
        return response.body();
    }

    /** The CA chain written to {@code dir/ca.pem}. */
    static Path caChainFile(Path dir) {
        try {
            return Files.writeString(dir.resolve("ca.pem"), caChain());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path file(String prefix, String content) {
        try {
            Path file = Files.createTempFile(prefix, ".pem");
            Files.writeString(file, content);
            file.toFile().deleteOnExit();
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Where OCSP requests are sent by openssl (plain HTTP, as relying parties do). */
    static String ocspUrl() {
        return NodeServer.http("/api/v1/aca/ocsp").toString();
    }

    /** A serial as openssl prints it (upper-case hex bytes) turned into the API's form (lower-case, no leading zeros). */
    static String apiSerial(String opensslHex) {
        String lower = opensslHex.strip().toLowerCase(Locale.ROOT).replace(":", "");
        return lower.replaceFirst("^0+(?=.)", "");
    }

    /** What an openssl run printed, and how it ended. */
    record OpensslRun(int exitCode, String out, String err) {
        String all() {
            return out + err;
        }
    }

    /** Runs the real openssl in the temporary directory. */
    static OpensslRun openssl(String... arguments) {
        return openssl(temporaryDirectory(), arguments);
    }

    /** Runs the real openssl in {@code dir}; fails the test (not skips) when it is missing or hangs. */
    static OpensslRun openssl(Path dir, String... arguments) {
        List<String> command = new ArrayList<>();
        command.add("openssl");
        command.addAll(List.of(arguments));
        try {
            Path out = Files.createTempFile(dir, "openssl", ".out");
            Path err = Files.createTempFile(dir, "openssl", ".err");
            Process process = new ProcessBuilder(command).directory(dir.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!process.waitFor(OPENSSL_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("openssl did not finish within " + OPENSSL_TIMEOUT + ": " + command);
            }
            OpensslRun run = new OpensslRun(process.exitValue(), Files.readString(out), Files.readString(err));
            Files.delete(out);
            Files.delete(err);
            return run;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command + " (is openssl installed?)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Path temporaryDirectory() {
        return Path.of(System.getProperty("java.io.tmpdir"));
    }

    private static JsonArrayBuilder array(List<String> values) {
        JsonArrayBuilder array = Json.createArrayBuilder();
        values.forEach(array::add);
        return array;
    }
}
