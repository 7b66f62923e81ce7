package org.agentnet.it.agw;

import static org.agentnet.it.ars.ArsTestSupport.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.agentnet.it.PeerNode;
import org.agentnet.it.agw.RelayTestSupport.Agent;
import org.agentnet.it.agw.RelayTestSupport.Gateway;
import org.agentnet.it.ars.ArsTestSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;

/**
 * Access policies on two nodes of one domain sharing one database (docs/agw.md "Speed, caching and
 * several nodes"): a DENY policy an operator creates at node 1 is enforced at node 2 once node 2's
 * refresh ({@code agentnet.agw.policy.refresh-interval}, PT1S here) has read the change counter,
 * and its deletion too. Seen as a client sees it: an agent reads another's profile at node 2 (200,
 * then 403 access-denied, then 200 again), while an agent the policy does not name keeps reading it.
 *
 * <p>Needs the PostgreSQL build ({@code -Dagentnet.db=postgresql}, the second step of
 * {@code .ci/run}): the build's node and a {@link PeerNode} on its database and its ACA. Embedded
 * Derby belongs to one server, so on the Derby build the test is skipped (reported as skipped, with
 * this reason); on the PostgreSQL build a node that cannot start on the shared database fails it.
 */
@EnabledIf(value = "org.agentnet.it.PeerNode#canShareDatabase", disabledReason = "two nodes on one database need the "
        + "PostgreSQL build (-Dagentnet.db=postgresql, the second step of .ci/run): embedded Derby belongs to one server")
class AccessPolicySharedDatabaseIT {

    private static final String POLICIES = "/api/v1/admin/agw/policies";
    /** How long node 2 may take to show a change: its refresh interval many times over, for a loaded machine. */
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    private static PeerNode second;
    private static Gateway node1;
    private static Gateway node2;

    @BeforeAll
    static void startTheSecondNode() {
        node1 = Gateway.main();
        second = PeerNode.createSharingDatabase("shared", 1, Map.of("AGENTNET_AGW_POLICY_REFRESH_INTERVAL", "PT1S"));
        second.start();
        node2 = Gateway.of(second);
    }

    @AfterAll
    static void stopTheSecondNode() {
        if (second != null) {
            second.close();
        }
    }

    @Test
    void aPolicyMadeAtOneNodeIsEnforcedAtTheOtherAndSoIsItsDeletion() throws Exception {
        Agent nosy = RelayTestSupport.agent(node1, ArsTestSupport.unique("nosy"), null);
        Agent other = RelayTestSupport.agent(node1, ArsTestSupport.unique("other"), null);
        Agent secret = RelayTestSupport.agent(node1, ArsTestSupport.unique("secret"), null);
        HttpClient nosyAt2 = node2.clients().apply(nosy.issued().keyStore());
        HttpClient otherAt2 = node2.clients().apply(other.issued().keyStore());
        String profile = ArsTestSupport.AGENTS + "/" + secret.id();

        // one domain, no policy: node 2 shows the agent registered at node 1 to both
        assertEquals(200, read(nosyAt2, node2, profile).statusCode(), "before the policy");
        assertEquals(200, read(otherAt2, node2, profile).statusCode());

        String name = ArsTestSupport.unique("shared-deny");
        JsonObject document = AccessPolicyIT.policy(name, "DENY", "[\"DISCOVER\"]", "[{\"agent\":\"" + nosy.uri() + "\"}]",
                "[{\"agentId\":\"" + secret.id() + "\"}]");
        HttpResponse<String> created = node1.asOperator(node1.request(POLICIES).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(document.toString())));
        assertEquals(201, created.statusCode(), created.body());
        String id = RelayTestSupport.json(created.body()).getString("id");
        try {
            // at once at the node that made it
            assertProblem(read(nosy.client(), node1, profile), 403, "access-denied");

            Duration denied = until(() -> read(nosyAt2, node2, profile).statusCode() == 403, "node 2 refuses nosy");
            System.out.println("AccessPolicySharedDatabaseIT: the DENY made at node 1 was in force at node 2 after " + denied.toMillis() + " ms");
            assertProblem(read(nosyAt2, node2, profile), 403, "access-denied");
            assertProblem(read(nosyAt2, node2, profile + "/card"), 403, "access-denied");
            assertEquals(200, read(otherAt2, node2, profile).statusCode(), "an agent the policy does not name");
            JsonObject listed = RelayTestSupport.json(node2.asOperator(node2.request(POLICIES + "/" + id).GET()).body());
            assertEquals(name, listed.getString("name"), "node 2's API shows the policy");
        } finally {
            assertEquals(204, node1.asOperator(node1.request(POLICIES + "/" + id).DELETE()).statusCode());
        }

        assertEquals(200, read(nosy.client(), node1, profile).statusCode(), "at once at the node that deleted it");
        Duration lifted = until(() -> read(nosyAt2, node2, profile).statusCode() == 200, "node 2 lets nosy read again");
        System.out.println("AccessPolicySharedDatabaseIT: the deletion at node 1 was in force at node 2 after " + lifted.toMillis() + " ms");
        assertEquals(200, read(nosyAt2, node2, profile + "/card").statusCode());
        assertEquals(200, read(otherAt2, node2, profile).statusCode());
    }

    private static HttpResponse<String> read(HttpClient client, Gateway gateway, String path) {
        return org.agentnet.it.NodeServer.send(client, gateway.request(path).GET().build());
    }

    /** Polls until the condition holds (at most {@link #PATIENCE}); how long it took. */
    private static Duration until(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
        Instant start = Instant.now();
        while (!condition.getAsBoolean()) {
            if (Duration.between(start, Instant.now()).compareTo(PATIENCE) > 0) {
                throw new AssertionError(what + ": not within " + PATIENCE);
            }
            Thread.sleep(100);
        }
        return Duration.between(start, Instant.now());
    }
}
