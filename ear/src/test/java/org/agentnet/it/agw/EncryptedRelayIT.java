package org.agentnet.it.agw;

import static org.agentnet.it.agw.RelayTestSupport.decrypted;
import static org.agentnet.it.agw.RelayTestSupport.encryptedMessage;
import static org.agentnet.it.agw.RelayTestSupport.json;
import static org.agentnet.it.agw.RelayTestSupport.sent;
import static org.agentnet.it.agw.RelayTestSupport.targetCertificate;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JWSObject;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.Base64;
import org.agentnet.it.NodeServer;
import org.agentnet.it.aca.AcaTestSupport;
import org.agentnet.it.ars.ArsTestSupport;
import org.agentnet.it.agw.RelayTestSupport.Agent;
import org.agentnet.it.agw.RelayTestSupport.Gateway;
import org.junit.jupiter.api.Test;

/**
 * A payload encrypted to the target agent's key (docs/agw.md "Encrypted payloads"): agent A gets B's
 * certificate from its gateway, encrypts to it (JWE, ECDH-ES+A256KW / A256GCM) inside its signed
 * message, the gateway checks and routes it without a key, B takes it from its inbox, verifies A's
 * signature and decrypts it. What the gateway stored - the signed message exactly as delivered, and
 * the message's view - holds no plaintext. Mislabelled plaintext and a ciphertext re-signed by a
 * third agent are refused.
 */
class EncryptedRelayIT {

    private static final String SECRET = "{\"card\":\"4111 1111 1111 1111\",\"cvc\":\"737\"}";

    @Test
    void anEncryptedPayloadIsRoutedUnreadAndOnlyTheTargetDecryptsIt() throws Exception {
        Gateway gateway = Gateway.main();
        Agent alice = RelayTestSupport.agent(gateway, "alice", null);
        Agent bob = RelayTestSupport.agent(gateway, "bob", null);

        JsonObject certificate = targetCertificate(alice, bob.id());
        X509Certificate bobs = AcaTestSupport.parse(certificate.getString("certificateChain"));
        assertEquals(bob.issued().certificate(), bobs, "the certificate bob accessed the gateway with");
        assertEquals(bob.uri(), certificate.getString("agentUri"));
        assertEquals("ECDH-ES+A256KW", certificate.getJsonObject("encryption").getString("alg"));
        assertEquals("A256GCM", certificate.getJsonObject("encryption").getString("enc"));
        assertTrue(bobs.getKeyUsage()[4], "an agent's EC certificate allows keyAgreement");
        assertTrue(certificate.getString("certificateChain").split("BEGIN CERTIFICATE").length == 3, "the agent's and its CA's");

        String id = sent(alice, encryptedMessage(alice, certificate, SECRET).build());

        HttpResponse<String> polled = bob.send(gateway.request(AgwTestSupport.AGENTS + bob.id() + "/inbox?wait=20"));
        assertEquals(200, polled.statusCode(), polled.body());
        JsonArray items = json(polled.body()).getJsonArray("items");
        assertEquals(1, items.size(), polled.body());
        JsonObject document = items.getJsonObject(0);
        assertEquals(id, document.getString("messageId"));
        assertEquals("application/jose", document.getString("contentType"));
        assertEquals(SECRET, decrypted(document, alice.issued().certificate(), bob));

        // the gateway keeps the signed message exactly as delivered: no plaintext in it, nor in what it shows
        assertFalse(polled.body().contains("4111") || polled.body().contains("737\""), polled.body());
        String signedPayload = new String(Base64.getUrlDecoder().decode(JWSObject.parse(document.getString("jws"))
                .getParsedParts()[1].toString()), StandardCharsets.UTF_8);
        assertFalse(signedPayload.contains("4111"), signedPayload);
        HttpResponse<String> view = gateway.asOperator(gateway.request(RelayTestSupport.MESSAGES + "/" + id).GET());
        assertEquals(200, view.statusCode(), view.body());
        assertFalse(view.body().contains("4111"), view.body());
        assertEquals(204, bob.send(gateway.request(AgwTestSupport.AGENTS + bob.id() + "/inbox/" + id).DELETE()).statusCode());
    }

    @Test
    void plaintextLabelledEncryptedAndAResignedCiphertextAreRefused() throws Exception {
        Gateway gateway = Gateway.main();
        Agent alice = RelayTestSupport.agent(gateway, "alice", null);
        Agent bob = RelayTestSupport.agent(gateway, "bob", null);
        Agent mallory = RelayTestSupport.agent(gateway, "mallory", null);

        JsonObject plain = RelayTestSupport.message(bob.id(), "x").add("contentType", "application/jose").add("payload", SECRET).build();
        ArsTestSupport.assertProblem(RelayTestSupport.submit(alice, RelayTestSupport.sign(alice, plain)), 400, "validation-failed");

        // mallory copies alice's ciphertext into a message of its own: the JWE names alice as its author
        JsonObject byAlice = encryptedMessage(alice, targetCertificate(alice, bob.id()), SECRET).build();
        JsonObject copied = RelayTestSupport.message(bob.id(), "x").add("contentType", "application/jose")
                .add("payload", byAlice.getString("payload")).build();
        HttpResponse<String> refused = RelayTestSupport.submit(mallory, RelayTestSupport.sign(mallory, copied));
        ArsTestSupport.assertProblem(refused, 400, "validation-failed");
        assertTrue(refused.body().contains("iss"), refused.body());

        // the certificate of an agent that never accessed the gateway, or of no agent at all
        ArsTestSupport.assertProblem(alice.send(gateway.request(AgwTestSupport.AGENTS + "no-such-agent/certificate").GET()),
                404, "unknown-agent");
        ArsTestSupport.assertProblem(NodeServer.send(gateway.clients().apply(null),
                gateway.request(AgwTestSupport.AGENTS + bob.id() + "/certificate").GET().build()), 401, "identity-not-verified");
    }
}
