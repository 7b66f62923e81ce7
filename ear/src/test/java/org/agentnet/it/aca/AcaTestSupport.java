package org.agentnet.it.aca;

import static org.junit.jupiter.api.Assertions.assertEquals;

import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.io.IOException;
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
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.agentnet.it.NodeServer;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/**
 * What the ACA integration tests share (and other components' tests reuse to get certificates):
 * keys and CSRs, tokens, applications, and the real openssl.
 */
public final class AcaTestSupport {

    static final String APPLICATIONS = "/api/v1/aca/applications";
    static final String TOKENS = "/api/v1/admin/aca/enrollment-tokens";
    static final char[] CLIENT_PASSWORD = "it-client".toCharArray();

    private AcaTestSupport() {
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

    /** An enrollment token made by the operator. */
    public static String token(String organization, String profile, List<String> functionTypes, List<String> scopes) {
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
        return NodeServer.json(response).asJsonObject().getString("token");
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

    /** A fresh agent with a certificate issued at once (enrollment token). */
    public record Agent(KeyPair keys, String serial, String pem, X509Certificate certificate, JsonObject application) {
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

        /** A client presenting this agent's certificate (a new TLS session every time). */
        public HttpClient client() {
            return NodeServer.client(keyStore(), CLIENT_PASSWORD);
        }
    }

    public static Agent issuedAgent(String agentName, String organization) {
        KeyPair keys = ecKeys("secp256r1");
        String token = token(organization, null, List.of("planner"), List.of("discovery", "messaging"));
        HttpResponse<String> response = apply(application(csr(keys), agentName, organization, "planner",
                List.of("discovery"), token));
        assertEquals(201, response.statusCode(), response.body());
        JsonObject application = NodeServer.json(response).asJsonObject();
        JsonObject certificate = application.getJsonObject("certificate");
        return new Agent(keys, certificate.getString("serial"), certificate.getString("pem"),
                parse(certificate.getString("pem")), application);
    }

    public static X509Certificate parse(String pem) {
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new java.io.ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String caChain() {
        HttpResponse<String> response = NodeServer.send(NodeServer.client(),
                NodeServer.request(NodeServer.http("/api/v1/aca/ca-certificates")).GET().build());
        assertEquals(200, response.statusCode(), response.body());
        return response.body();
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

    /** Runs the real openssl; returns exit status and everything it printed. */
    record Run(int status, String output) {
    }

    static Run openssl(String... arguments) {
        try {
            List<String> command = new java.util.ArrayList<>();
            command.add("openssl");
            command.addAll(List.of(arguments));
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("openssl did not finish: " + command);
            }
            return new Run(process.exitValue(), output);
        } catch (IOException e) {
            throw new IllegalStateException("openssl is required by these tests and could not be run", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static JsonArrayBuilder array(List<String> values) {
        JsonArrayBuilder array = Json.createArrayBuilder();
        values.forEach(array::add);
        return array;
    }
}
