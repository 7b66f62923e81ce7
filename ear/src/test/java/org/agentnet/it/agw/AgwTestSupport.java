package org.agentnet.it.agw;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDSASigner;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.PrivateKey;
import java.security.interfaces.ECPrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.agentnet.it.NodeServer;
import org.agentnet.it.aca.AcaTestSupport;
import org.agentnet.it.ars.ArsTestSupport;

/** Agents that register, access the gateway with signed requests and send heartbeats. */
public final class AgwTestSupport {

    static final String ACCESS = "/api/v1/agw/access";
    static final String AGENTS = "/api/v1/agw/agents/";
    /** The IT server's heartbeat interval and sweep interval (ear/pom.xml). */
    static final Duration INTERVAL = Duration.parse(System.getProperty("it.heartbeat.interval", "PT2S"));
    static final Duration SWEEP = Duration.parse(System.getProperty("it.heartbeat.sweep", "PT1S"));

    /** An agent registered in the ARS, with its ARS resource ID. */
    record Registered(AcaTestSupport.IssuedAgent agent, String id, HttpClient client) {
    }

    private AgwTestSupport() {
    }

    static Registered registered(String prefix) {
        AcaTestSupport.IssuedAgent agent = ArsTestSupport.agent(prefix);
        JsonObject profile = ArsTestSupport.registered(agent, ArsTestSupport.profile(agent, "agw-" + prefix, "gateway-tests"));
        return new Registered(agent, profile.getString("id"), agent.mtlsClient());
    }

    /** A valid access request's claims for the agent's ARS ID, fresh iat and jti. */
    public static JsonObjectBuilder claims(String agentId) {
        return Json.createObjectBuilder()
                .add("agentId", agentId)
                .add("addresses", Json.createArrayBuilder().add(Json.createObjectBuilder()
                        .add("url", "https://" + agentId + ".agents.example/a2a").add("protocol", "A2A-JSONRPC")))
                .add("protocols", Json.createArrayBuilder().add("A2A-JSONRPC"))
                .add("heartbeatInterval", 30)
                .add("iat", Instant.now().getEpochSecond())
                .add("jti", UUID.randomUUID().toString());
    }

    public static String sign(PrivateKey key, JsonObject claims) {
        try {
            JWSObject jws = new JWSObject(new JWSHeader(JWSAlgorithm.ES256), new Payload(claims.toString()));
            jws.sign(new ECDSASigner((ECPrivateKey) key));
            return jws.serialize();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static HttpResponse<String> access(HttpClient client, String body) {
        return NodeServer.send(client, NodeServer.request(NodeServer.https(ACCESS)).header("Content-Type", "application/jose")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    static HttpResponse<String> access(Registered agent) {
        return access(agent.client(), sign(agent.agent().keys().getPrivate(), claims(agent.id()).build()));
    }

    static JsonObject accessed(Registered agent) {
        HttpResponse<String> response = access(agent);
        assertEquals(201, response.statusCode(), response.body());
        return NodeServer.json(response).asJsonObject();
    }

    static HttpResponse<String> heartbeat(HttpClient client, String agentId, String body) {
        return NodeServer.send(client, NodeServer.request(NodeServer.https(AGENTS + agentId + "/heartbeat"))
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    static HttpResponse<String> heartbeat(Registered agent, String status, String detail) {
        JsonObjectBuilder body = Json.createObjectBuilder().add("status", status);
        if (detail != null) {
            body.add("detail", detail);
        }
        return heartbeat(agent.client(), agent.id(), body.build().toString());
    }

    /** The agent:// URI its certificate names. */
    public static String agentUri(AcaTestSupport.IssuedAgent agent) {
        try {
            return agent.certificate().getSubjectAlternativeNames().stream()
                    .filter(name -> Integer.valueOf(6).equals(name.get(0))).map(name -> (String) name.get(1))
                    .filter(uri -> uri.startsWith("agent://")).findFirst().orElseThrow();
        } catch (java.security.cert.CertificateParsingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The agent as the ARS holds it. */
    static JsonObject arsAgent(String id) {
        HttpResponse<String> response = ArsTestSupport.asOperator(NodeServer.request(NodeServer.https(ArsTestSupport.AGENTS + "/" + id)).GET());
        assertEquals(200, response.statusCode(), response.body());
        return NodeServer.json(response).asJsonObject();
    }
}
