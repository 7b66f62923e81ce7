package org.agentnet.it.agw;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.nimbusds.jose.EncryptionMethod;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWEHeader;
import com.nimbusds.jose.JWEObject;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDHDecrypter;
import com.nimbusds.jose.crypto.ECDHEncrypter;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.sun.net.httpserver.HttpServer;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;
import org.agentnet.it.NodeServer;
import org.agentnet.it.PeerNode;
import org.agentnet.it.aca.AcaTestSupport;
import org.agentnet.it.ars.ArsTestSupport;

/**
 * Agents that send and receive relayed messages through a gateway (the build's node or a
 * {@link PeerNode}): certificates from that node's ACA, registration in its ARS, access to its AGW
 * with an HTTP address (push) or none (pull); signed messages; an HTTP endpoint in the test (JDK
 * HttpServer) that records what it receives.
 */
public final class RelayTestSupport {

    static final String MESSAGES = "/api/v1/agw/messages";
    static final char[] PASSWORD = "it-client".toCharArray();
    static final String ORGANIZATION = "Ars Tests";

    private RelayTestSupport() {
    }

    /** A node's gateway as a test sees it. */
    public record Gateway(Function<String, URI> https, Function<KeyStore, HttpClient> clients, Supplier<String> adminAuthorization) {

        public static Gateway main() {
            return new Gateway(NodeServer::https, keys -> NodeServer.client(keys, keys == null ? null : PASSWORD),
                    NodeServer::adminAuthorization);
        }

        static Gateway of(PeerNode node) {
            return new Gateway(node::https, keys -> node.client(keys, keys == null ? null : PASSWORD), node::adminAuthorization);
        }

        HttpResponse<String> asOperator(HttpRequest.Builder request) {
            return NodeServer.send(clients.apply(null), request.header("Authorization", adminAuthorization.get()).build());
        }

        HttpRequest.Builder request(String path) {
            return NodeServer.request(https.apply(path));
        }
    }

    /** An agent registered and accessed at a gateway. */
    public record Agent(Gateway gateway, AcaTestSupport.IssuedAgent issued, String id, String uri, HttpClient client) {

        HttpResponse<String> send(HttpRequest.Builder request) {
            return NodeServer.send(client, request.build());
        }
    }

    /** Issues, registers and accesses an agent at {@code gateway}; {@code pushAddress} null: it pulls. */
    public static Agent agent(Gateway gateway, String prefix, URI pushAddress) {
        return agent(gateway, prefix, pushAddress, ORGANIZATION);
    }

    /** The same for an agent of {@code organization}. */
    public static Agent agent(Gateway gateway, String prefix, URI pushAddress, String organization) {
        String name = ArsTestSupport.unique(prefix);
        KeyPair keys = AcaTestSupport.ecKeys("secp256r1");
        JsonObjectBuilder token = Json.createObjectBuilder().add("organization", organization)
                .add("functionTypes", Json.createArrayBuilder().add("planner"))
                .add("permissionScope", Json.createArrayBuilder().add("discovery").add("messaging"));
        HttpResponse<String> tokenAnswer = gateway.asOperator(gateway.request("/api/v1/admin/aca/enrollment-tokens")
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(token.build().toString())));
        assertEquals(201, tokenAnswer.statusCode(), tokenAnswer.body());
        JsonObjectBuilder application = AcaTestSupport.application(AcaTestSupport.csr(keys), name, organization, "planner",
                List.of("discovery"), json(tokenAnswer.body()).getString("token"));
        HttpResponse<String> applied = NodeServer.send(gateway.clients().apply(null), gateway.request("/api/v1/aca/applications")
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(application.build().toString())).build());
        assertEquals(201, applied.statusCode(), applied.body());
        JsonObject issuedJson = json(applied.body());
        String pem = issuedJson.getJsonObject("certificate").getString("pem");
        X509Certificate certificate = AcaTestSupport.parse(pem);
        AcaTestSupport.IssuedAgent issued = new AcaTestSupport.IssuedAgent(name, new KeyPair(certificate.getPublicKey(), keys.getPrivate()),
                issuedJson.getJsonObject("certificate").getString("serial"), pem, certificate, issuedJson, null);
        HttpClient client = gateway.clients().apply(issued.keyStore());

        HttpResponse<String> registered = NodeServer.send(client, gateway.request(ArsTestSupport.AGENTS)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(ArsTestSupport.profile(issued, "relay-" + prefix)
                        .add("organization", organization).build().toString())).build());
        assertEquals(201, registered.statusCode(), registered.body());
        String id = json(registered.body()).getString("id");

        JsonObjectBuilder address = pushAddress == null
                ? Json.createObjectBuilder().add("url", "https://" + name.toLowerCase() + ".agents.example/a2a").add("protocol", "A2A-JSONRPC")
                : Json.createObjectBuilder().add("url", pushAddress.toString()).add("protocol", "HTTP");
        JsonObject claims = Json.createObjectBuilder().add("agentId", id)
                .add("addresses", Json.createArrayBuilder().add(address))
                .add("iat", Instant.now().getEpochSecond()).add("jti", UUID.randomUUID().toString()).build();
        HttpResponse<String> accessed = NodeServer.send(client, gateway.request(AgwTestSupport.ACCESS)
                .header("Content-Type", "application/jose")
                .POST(HttpRequest.BodyPublishers.ofString(AgwTestSupport.sign(keys.getPrivate(), claims))).build());
        assertEquals(201, accessed.statusCode(), accessed.body());
        return new Agent(gateway, issued, id, AgwTestSupport.agentUri(issued), client);
    }

    /** The claims of a message to {@code target}: a JSON payload, fresh iat and jti. */
    public static JsonObjectBuilder message(String target, String text) {
        return Json.createObjectBuilder()
                .add("target", target)
                .add("sessionId", "session-" + UUID.randomUUID())
                .add("contentType", "application/json")
                .add("payload", Json.createObjectBuilder().add("text", text))
                .add("iat", Instant.now().getEpochSecond())
                .add("jti", UUID.randomUUID().toString());
    }

    public static String sign(Agent sender, JsonObject claims) {
        return AgwTestSupport.sign(sender.issued().keys().getPrivate(), claims);
    }

    static HttpResponse<String> submit(Agent sender, String body) {
        return sender.send(sender.gateway().request(MESSAGES).header("Content-Type", "application/jose")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    /** Submits a message, expecting 202; its message ID. */
    static String sent(Agent sender, JsonObject claims) {
        HttpResponse<String> response = submit(sender, sign(sender, claims));
        assertEquals(202, response.statusCode(), response.body());
        JsonObject view = json(response.body());
        assertEquals(sender.gateway().https().apply(MESSAGES + "/" + view.getString("messageId")).getPath(),
                URI.create(response.headers().firstValue("Location").orElseThrow()).getPath());
        return view.getString("messageId");
    }

    static JsonObject state(Agent sender, String messageId) {
        HttpResponse<String> response = sender.send(sender.gateway().request(MESSAGES + "/" + messageId).GET());
        assertEquals(200, response.statusCode(), response.body());
        return json(response.body());
    }

    /** Waits until the message, seen by its sender, is in {@code state}; fails at once if it settles otherwise. */
    static JsonObject awaitState(Agent sender, String messageId, String state, Duration patience) throws InterruptedException {
        Instant deadline = Instant.now().plus(patience);
        while (true) {
            JsonObject view = state(sender, messageId);
            String now = view.getString("state");
            if (now.equals(state)) {
                return view;
            }
            if (!state.equals(now) && (now.equals("FAILED") || now.equals("DELIVERED"))) {
                throw new AssertionError("message " + messageId + " is " + now + ", expected " + state + ": " + view);
            }
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("message " + messageId + " not " + state + " within " + patience + ": " + view);
            }
            Thread.sleep(100);
        }
    }

    /**
     * What a target does with a delivery document: the sender's certificate (the first of the chain) is
     * issued by the CA that ends the chain and names the sender's agent URI; the JWS verifies with it;
     * the signed claims.
     */
    static JsonObject verifiedClaims(JsonObject document, X509Certificate expectedSender) throws Exception {
        String chainPem = document.getJsonObject("sender").getString("certificateChain");
        X509Certificate sender = AcaTestSupport.parse(chainPem);
        assertEquals(expectedSender, sender, "the delivery names the sender's certificate");
        String[] blocks = chainPem.split("(?=-----BEGIN CERTIFICATE-----)");
        assertEquals(2, blocks.length, "the sender's certificate and its CA: " + chainPem);
        X509Certificate ca = AcaTestSupport.parse(blocks[1]);
        sender.verify(ca.getPublicKey());
        assertEquals(sender.getIssuerX500Principal(), ca.getSubjectX500Principal());
        assertEquals(document.getJsonObject("sender").getString("agentUri"), sender.getSubjectAlternativeNames().stream()
                .filter(name -> (Integer) name.get(0) == 6).map(name -> (String) name.get(1)).findFirst().orElseThrow());
        JWSObject jws = JWSObject.parse(document.getString("jws"));
        if (!jws.verify(new ECDSAVerifier((ECPublicKey) sender.getPublicKey()))) {
            throw new AssertionError("the JWS does not verify with the sender's certificate");
        }
        return json(jws.getPayload().toString());
    }

    /** The target's certificate as the sender's gateway gives it (GET /api/v1/agw/agents/{id}/certificate), checked. */
    static JsonObject targetCertificate(Agent sender, String targetId) {
        HttpResponse<String> response = sender.send(sender.gateway().request(AgwTestSupport.AGENTS + targetId + "/certificate").GET());
        assertEquals(200, response.statusCode(), response.body());
        JsonObject answer = json(response.body());
        assertEquals(targetId, answer.getString("agentId"));
        assertEquals("VALID", answer.getString("verdict"));
        return answer;
    }

    /**
     * The claims of a message whose payload is encrypted to the target's certificate (docs/agw.md
     * "Encrypted payloads"): a compact JWE with ECDH-ES+A256KW / A256GCM, iss = the sender's URI,
     * aud = the target's ID, cty = the plaintext's type; contentType application/jose.
     */
    static JsonObjectBuilder encryptedMessage(Agent sender, JsonObject targetCertificate, String plaintextJson) throws Exception {
        X509Certificate target = AcaTestSupport.parse(targetCertificate.getString("certificateChain"));
        JsonObject encryption = targetCertificate.getJsonObject("encryption");
        JWEHeader header = new JWEHeader.Builder(JWEAlgorithm.parse(encryption.getString("alg")),
                EncryptionMethod.parse(encryption.getString("enc")))
                .contentType("application/json").issuer(sender.uri()).audience(List.of(targetCertificate.getString("agentId")))
                .build();
        JWEObject jwe = new JWEObject(header, new Payload(plaintextJson));
        jwe.encrypt(new ECDHEncrypter((ECPublicKey) target.getPublicKey()));
        return Json.createObjectBuilder()
                .add("target", targetCertificate.getString("agentId"))
                .add("sessionId", "session-" + UUID.randomUUID())
                .add("contentType", "application/jose")
                .add("payload", jwe.serialize())
                .add("iat", Instant.now().getEpochSecond())
                .add("jti", UUID.randomUUID().toString());
    }

    /**
     * What a target does with a delivery document whose payload is encrypted: verifies the JWS with the
     * sender's certificate, checks that the JWE names that sender as its author and itself as its reader,
     * and decrypts with its own private key; the plaintext.
     */
    static String decrypted(JsonObject document, X509Certificate expectedSender, Agent target) throws Exception {
        JsonObject claims = verifiedClaims(document, expectedSender);
        assertEquals("application/jose", claims.getString("contentType"));
        JWEObject jwe = JWEObject.parse(claims.getString("payload"));
        assertEquals(document.getJsonObject("sender").getString("agentUri"), jwe.getHeader().getIssuer());
        assertEquals(List.of(target.id()), jwe.getHeader().getAudience());
        jwe.decrypt(new ECDHDecrypter((ECPrivateKey) target.issued().keys().getPrivate()));
        return jwe.getPayload().toString();
    }

    static JsonObject json(String text) {
        return Json.createReader(new StringReader(text)).readObject();
    }

    /**
     * A loopback port held for an endpoint that is down: the socket is bound but does not listen, so
     * connections to it are refused, and no other socket can take the port meanwhile (a port merely found
     * free is in the ephemeral range: an outgoing connection of the node, or a database connection, may take
     * it before the endpoint opens; a CI run failed so).
     */
    static final class ReservedPort implements AutoCloseable {
        private final Socket socket = new Socket();

        ReservedPort() {
            try {
                socket.bind(new InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        int port() {
            return socket.getLocalPort();
        }

        /** Gives the port up and listens on it at once: the endpoint comes up. */
        Endpoint open() {
            int port = port();
            close();
            return new Endpoint(port);
        }

        @Override
        public void close() {
            try {
                socket.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** An agent's HTTP endpoint in the test: records each delivery document; answers {@code status} (a supplier). */
    static final class Endpoint implements AutoCloseable {
        private final HttpServer server;
        final List<JsonObject> received = new CopyOnWriteArrayList<>();
        final List<Instant> arrivals = new CopyOnWriteArrayList<>();
        final AtomicInteger status = new AtomicInteger(200);

        Endpoint(int port) {
            try {
                server = HttpServer.create(new InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), port), 16);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            server.createContext("/deliveries", exchange -> {
                String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                arrivals.add(Instant.now());
                int answer = status.get();
                if (answer >= 200 && answer < 300) {
                    received.add(json(body));
                }
                exchange.sendResponseHeaders(answer, -1);
                exchange.close();
            });
            server.start();
        }

        static Endpoint start() {
            return new Endpoint(0);
        }

        URI address() {
            return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/deliveries");
        }

        static URI address(int port) {
            return URI.create("http://127.0.0.1:" + port + "/deliveries");
        }

        long count(String messageId) {
            return received.stream().filter(d -> d.getString("messageId").equals(messageId)).count();
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }
}
