package org.agentnet.it.campaign;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.agentnet.it.NodeServer;

/**
 * The node's stored state as an operator (and the peer gateway, for the change feed) sees it
 * through the API: ARS agents (change feed, digest, every agent's profile and ETag, discovery),
 * the ACA (audit trail, pending applications, certificates and their status, the CRL's number,
 * the set-up's applications), the trust bundle, AGW and ARS peers, the routing table, access
 * records, the accepted messages, scheduled jobs (names and intervals), the node's identity.
 * Fields that move by themselves (timestamps of contact, counters of failed calls to the
 * unreachable test peers, job run counts) are left out; what is not observable at all is listed in
 * the campaign's documentation (docs/platform.md "Bad-input campaign").
 */
final class StateSnapshot {

    // what the node's own failing calls to the unreachable test peers change; a peer's createdAt and
    // lastHeartbeat are compared: nothing heartbeats here during the campaign (the fixture's peer is a
    // certificate that handshook once, every heartbeat of the corpus is refused before it counts as
    // contact), so they stay as stored (they once moved by whole seconds: UtcTimestampContributor)
    private static final Set<String> PEER_VOLATILE = Set.of("lastError", "consecutiveFailures", "lastAttemptAt", "lastSuccessAt",
            "lastSeqSent", "statusReason");

    private StateSnapshot() {
    }

    /**
     * A snapshot that two takes 3 seconds apart agree on: what earlier tests left moving on the same
     * node (agents going OFFLINE, messages settling) has stopped before the campaign starts.
     */
    static Map<String, String> stable(CampaignFixture f, List<String> messageIds) throws InterruptedException {
        Map<String, String> last = take(f, messageIds);
        java.time.Instant deadline = java.time.Instant.now().plusSeconds(90);
        while (true) {
            Thread.sleep(3_000);
            Map<String, String> now = take(f, messageIds);
            if (now.equals(last)) {
                return now;
            }
            if (java.time.Instant.now().isAfter(deadline)) {
                throw new AssertionError("the node's state does not settle before the campaign:\n"
                        + String.join("\n", differences(last, now)));
            }
            last = now;
        }
    }

    static Map<String, String> take(CampaignFixture f, List<String> messageIds) {
        Map<String, String> state = new TreeMap<>();
        String operator = f.operator.authorization();

        JsonObject digest = get(operator, "/api/v1/ars/changes/digest").asJsonObject();
        state.put("ars.digest", digest.toString());
        Set<String> agentIds = new LinkedHashSet<>();
        List<String> changes = new ArrayList<>();
        long since = 0;
        while (true) {
            JsonObject page = get(operator, "/api/v1/ars/changes?since=" + since + "&limit=1000").asJsonObject();
            for (JsonValue change : page.getJsonArray("changes")) {
                JsonObject entry = change.asJsonObject();
                changes.add(entry.getJsonNumber("seq") + " " + entry.getString("kind") + " " + entry.getString("agentId"));
                agentIds.add(entry.getString("agentId"));
            }
            long next = page.getJsonNumber("next").longValue();
            if (page.getJsonArray("changes").isEmpty() || next <= since) {
                break;
            }
            since = next;
        }
        state.put("ars.changes", String.join("\n", changes));
        for (String status : List.of("ONLINE", "OFFLINE")) {
            List<String> found = new ArrayList<>();
            String cursor = null;
            do {
                JsonObject page = get(operator, "/api/v1/ars/agents?status=" + status + "&limit=100"
                        + (cursor == null ? "" : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8))).asJsonObject();
                page.getJsonArray("items").forEach(item -> found.add(item.asJsonObject().getString("id")));
                cursor = page.getString("nextCursor", null);
            } while (cursor != null);
            agentIds.addAll(found);
            state.put("ars.discovery." + status, String.join(",", found.stream().sorted().toList()));
        }
        for (String id : agentIds) {
            HttpResponse<String> agent = send(operator, "/api/v1/ars/agents/" + id);
            state.put("ars.agent." + id, agent.statusCode() + " " + agent.headers().firstValue("ETag").orElse("") + " " + agent.body());
        }

        state.put("aca.audit", pages(operator, "/api/v1/admin/aca/audit?limit=1000", "items", "nextCursor",
                e -> e.getString("id") + " " + e.getString("action") + " " + e.getString("targetId", "")));
        state.put("aca.pending", pages(operator, "/api/v1/aca/applications?limit=500", "items", "nextCursor",
                e -> e.getString("id") + " " + e.getString("state", "")));
        JsonArray certificates = get(operator, "/api/v1/aca/certificates?expiringWithin=P3650D&limit=1000").asJsonArray();
        List<String> serials = new ArrayList<>();
        certificates.forEach(c -> serials.add(c.asJsonObject().getString("serial") + " " + c.asJsonObject().getString("status")
                + " " + c.asJsonObject().getString("revocationReason", "")));
        state.put("aca.certificates", String.join("\n", serials.stream().sorted().toList()));
        HttpResponse<String> crl = send(null, "/api/v1/aca/crl?format=pem");
        state.put("aca.crl", crl.statusCode() + " " + crl.headers().firstValue("ETag").orElse("") + " " + crl.body().hashCode());
        for (var agent : List.of(f.alice, f.bob, f.revoked, f.gateway)) {
            String id = agent.application().getString("id");
            state.put("aca.application." + id, send(operator, "/api/v1/aca/applications/" + id).body());
            state.put("aca.certificate." + agent.serial(), send(operator, "/api/v1/aca/certificates/" + agent.serial()).body());
        }

        state.put("trust", get(operator, "/api/v1/admin/trust/ca-certificates").toString());
        state.put("agw.peers", without(get(operator, "/api/v1/agw/peers").asJsonArray(), PEER_VOLATILE));
        state.put("ars.peers", without(get(operator, "/api/v1/admin/ars/peers").asJsonArray(), PEER_VOLATILE));
        state.put("agw.routes", pages(operator, "/api/v1/agw/routes?limit=500", "items", "nextCursor", JsonObject::toString));
        for (String id : List.of(f.aliceId, f.bobId)) {
            state.put("agw.access." + id, send(operator, "/api/v1/agw/agents/" + id).body());
        }
        for (String id : messageIds) {
            HttpResponse<String> message = send(operator, "/api/v1/agw/messages/" + id);
            state.put("agw.message." + id, message.statusCode() + " " + (message.statusCode() == 200 ? message.body() : ""));
        }
        List<String> jobs = new ArrayList<>();
        get(operator, "/api/v1/admin/jobs").asJsonArray().forEach(j -> jobs.add(j.asJsonObject().getString("name") + " "
                + j.asJsonObject().getString("interval")));
        state.put("jobs", String.join(",", jobs));
        JsonObject identity = get(operator, "/api/v1/admin/node/identity").asJsonObject();
        state.put("node.identity", identity.getString("source") + " " + identity.getJsonObject("certificate").getString("serialNumber"));
        JsonObject node = get(null, "/api/v1/node").asJsonObject();
        state.put("node", node.getString("id") + " " + node.getString("startedAt") + " " + node.get("components"));
        return state;
    }

    /** The keys whose values differ, with both values. */
    static List<String> differences(Map<String, String> before, Map<String, String> after) {
        List<String> differences = new ArrayList<>();
        Set<String> keys = new java.util.TreeSet<>(before.keySet());
        keys.addAll(after.keySet());
        for (String key : keys) {
            String was = before.get(key);
            String is = after.get(key);
            if (!java.util.Objects.equals(was, is)) {
                List<String> wasLines = List.of(String.valueOf(was).split("\n"));
                List<String> isLines = List.of(String.valueOf(is).split("\n"));
                StringBuilder change = new StringBuilder(key + ":");
                wasLines.stream().filter(line -> !isLines.contains(line)).forEach(line -> change.append("\n  - ").append(line));
                isLines.stream().filter(line -> !wasLines.contains(line)).forEach(line -> change.append("\n  + ").append(line));
                differences.add(change.toString());
            }
        }
        return differences;
    }

    private static String without(JsonArray items, Set<String> volatileFields) {
        List<String> rows = new ArrayList<>();
        for (JsonValue item : items) {
            var copy = jakarta.json.Json.createObjectBuilder(item.asJsonObject());
            volatileFields.forEach(copy::remove);
            rows.add(copy.build().toString());
        }
        return String.join("\n", rows.stream().sorted().toList());
    }

    private static String pages(String authorization, String first, String items, String next,
                                java.util.function.Function<JsonObject, String> row) {
        List<String> rows = new ArrayList<>();
        String cursor = null;
        do {
            JsonObject page = get(authorization, first + (cursor == null ? "" : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8)))
                    .asJsonObject();
            page.getJsonArray(items).forEach(item -> rows.add(row.apply(item.asJsonObject())));
            cursor = page.getString(next, null);
        } while (cursor != null);
        return String.join("\n", rows);
    }

    private static JsonValue get(String authorization, String path) {
        HttpResponse<String> response = send(authorization, path);
        if (response.statusCode() != 200) {
            throw new AssertionError("snapshot: GET " + path + " answered " + response.statusCode() + ": " + response.body());
        }
        return NodeServer.json(response);
    }

    private static HttpResponse<String> send(String authorization, String path) {
        var request = NodeServer.request(NodeServer.https(path)).GET();
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return NodeServer.send(NodeServer.client(), request.build());
    }
}
