package org.agentnet.it.campaign;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.stream.JsonParser;
import java.io.ByteArrayInputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.agentnet.it.NodeEndpoints.Endpoint;
import org.agentnet.it.NodeServer;
import org.agentnet.it.aca.AcaTestSupport;
import org.agentnet.it.ars.ArsTestSupport;
import org.agentnet.it.campaign.Mutations.Value;
import org.agentnet.it.campaign.RawHttp.Caller;
import org.agentnet.it.campaign.RawHttp.Request;

/**
 * The generated corpus: for every operation of the node ({@link org.agentnet.it.NodeEndpoints}),
 * a base request that a caller the endpoint accepts could send (its {@link Profile}), and the
 * mutations of it: each path and query parameter, each header family, and for bodies each field
 * (down to three levels), the whole body (malformed, truncated, nested, oversized, other
 * encodings, wrong Content-Type), certificates and signatures where the endpoint takes them;
 * a share again without credentials and over plain HTTP.
 *
 * <p>The base request of an endpoint that changes state is refused at its last step (a
 * "stopper": the certificate is already revoked, the peer URL already known, the If-Match stale,
 * the identity not the caller's, the jti used...), so that a mutation that passes validation still
 * changes nothing; documented per profile. A 2xx on such an endpoint is a finding.
 */
final class Corpus {

    /** How a body is written. JWS: the JSON is the claims set, signed at send time (fresh iat). */
    enum BodyKind { NONE, JSON, JWS, DER }

    /** One request of the campaign, built when it is sent. */
    record Case(String endpoint, String family, String label, Caller caller, boolean writes, boolean mayAccept,
                Supplier<Request> request, Function<RawHttp.Response, String> expect) {

        Case(String endpoint, String family, String label, Caller caller, boolean writes, boolean mayAccept, Supplier<Request> request) {
            this(endpoint, family, label, caller, writes, mayAccept, request, null);
        }
    }

    /**
     * What a valid caller sends to one endpoint, and why it changes nothing ({@code stopper}).
     *
     * @param claims the JSON body (for JWS the claims), built anew for each request
     * @param couldSucceed bodies that would be a valid request of this endpoint (not sent: counted as skipped)
     * @param extraFieldValues more values for some fields (certificates, signatures), by path ("csr", "jws")
     */
    record Profile(String key, Caller caller, Map<String, String> path, String query, List<String[]> headers, BodyKind body,
                   String contentType, Supplier<JsonValue> claims, Function<byte[], byte[]> signer, byte[] der, boolean writes,
                   Predicate<byte[]> couldSucceed, Map<String, List<Value>> extraFieldValues, List<Supplier<List<BodyVariant>>> extraBodies,
                   boolean onlyRefusedCallers, String stopper) {
    }

    /** A whole body of its own (another content type, a nested JWS...). */
    record BodyVariant(String family, String label, String contentType, byte[] body) {
    }

    static final int BODY_LIMIT = 1_048_576;

    private final CampaignFixture f;
    private final JsonObject openApi;
    private final String unknownId = UUID.randomUUID().toString();
    private final String unknownTarget = UUID.randomUUID().toString();
    final String probeMessageId = UUID.randomUUID().toString();
    final String probeRelayId = UUID.randomUUID().toString();
    private final String aliceEtag;
    private final JsonObject aliceProfile;
    private final JsonObject aliceCard;
    private final String firstJob;
    int skipped;

    Corpus(CampaignFixture fixture) {
        this.f = fixture;
        this.openApi = NodeServer.json(NodeServer.send(NodeServer.client(), NodeServer.request(NodeServer.http("/openapi"))
                .header("Accept", "application/json").GET().build())).asJsonObject();
        var profile = NodeServer.send(f.alice.mtlsClient(), NodeServer.request(NodeServer.https("/api/v1/ars/agents/" + f.aliceId)).GET().build());
        this.aliceEtag = profile.headers().firstValue("ETag").orElse("");
        this.aliceProfile = ArsTestSupport.profile(f.alice, "campaign-skill", "campaign").build();
        this.aliceCard = NodeServer.json(NodeServer.send(f.alice.mtlsClient(),
                NodeServer.request(NodeServer.https("/api/v1/ars/agents/" + f.aliceId + "/card")).GET().build())).asJsonObject();
        this.firstJob = NodeServer.json(NodeServer.send(NodeServer.client(), NodeServer.request(NodeServer.https("/api/v1/admin/jobs"))
                .header("Authorization", f.operator.authorization()).GET().build())).asJsonArray().getJsonObject(0).getString("name");
    }

    // ---- profiles --------------------------------------------------------------------------------

    Profile profile(Endpoint e) {
        String key = e.key();
        Builder p = new Builder(key);
        switch (key) {
            case "GET /api/v1/aca/applications" -> p.caller(f.operator).query("limit=10");
            case "POST /api/v1/aca/applications" -> p.caller(Caller.NONE).json(() -> AcaTestSupport.application(AcaTestSupport.csr(f.alice.keys()),
                            f.alice.agentName(), CampaignFixture.ORGANIZATION, "planner", List.of("discovery"), null).build())
                    .writes("the CSR's key is alice's, certified already (duplicate-key)")
                    .field("csr", SecurityMutations.pemValues(f.material, true, true));
            case "GET /api/v1/aca/applications/{id}" -> p.caller(Caller.NONE).path("id", f.alice.application().getString("id"));
            case "POST /api/v1/aca/applications/{id}/approval" -> p.caller(f.operator).path("id", f.revoked.application().getString("id"))
                    .writes("the application is issued already (invalid-state)");
            case "POST /api/v1/aca/applications/{id}/rejection" -> p.caller(f.operator).path("id", f.revoked.application().getString("id"))
                    .json(() -> Json.createObjectBuilder().add("reason", "campaign").build())
                    .writes("the application is issued already (invalid-state)");
            case "GET /api/v1/aca/ca-certificates" -> p.caller(Caller.NONE);
            case "GET /api/v1/aca/certificates" -> p.caller(f.operator).query("expiringWithin=P1D&limit=10");
            case "GET /api/v1/aca/certificates/{serial}" -> p.caller(Caller.NONE).path("serial", f.alice.serial());
            case "POST /api/v1/aca/certificates/{serial}/renewal" -> p.caller(f.aliceCaller).path("serial", f.alice.serial())
                    .json(() -> Json.createObjectBuilder().add("csr", AcaTestSupport.csr(f.bob.keys())).build())
                    .writes("the new CSR's key is bob's, certified already (duplicate-key)")
                    .field("csr", SecurityMutations.pemValues(f.material, true, true))
                    .couldSucceed(body -> blankBody(body) || new String(body, StandardCharsets.UTF_8).strip().equals("null")
                            || !new String(body, StandardCharsets.UTF_8).contains("\"csr\"")
                            || anyMember(body, "csr", v -> !(v instanceof JsonString s) || s.getString().isBlank()));
            case "POST /api/v1/aca/certificates/{serial}/revocation" -> p.caller(f.operator).path("serial", f.revoked.serial())
                    .json(() -> Json.createObjectBuilder().add("reason", "keyCompromise").build())
                    .writes("the certificate is revoked already, for keyCompromise (invalid-state)");
            case "GET /api/v1/aca/crl" -> p.caller(Caller.NONE).query("format=pem");
            case "POST /api/v1/aca/ocsp" -> p.caller(Caller.NONE).der(SecurityMutations.ocspRequest(f.alice.certificate(), f.material.nodeCa().get(0)));
            // '/' stays as it is: Liberty refuses %2F in a path before the application (docs/aca.md "Known limit")
            case "GET /api/v1/aca/ocsp/{request}" -> p.caller(Caller.NONE).path("request", Mutations.encode(Base64.getEncoder()
                    .encodeToString(SecurityMutations.ocspRequest(f.alice.certificate(), f.material.nodeCa().get(0)))).replace("%2F", "/"));
            case "GET /api/v1/admin/aca/audit" -> p.caller(f.operator).query("limit=10");
            case "POST /api/v1/admin/aca/enrollment-tokens" -> p.caller(f.operator).json(() -> Json.createObjectBuilder()
                            .add("organization", CampaignFixture.ORGANIZATION).add("functionTypes", Json.createArrayBuilder().add("planner"))
                            .add("permissionScope", Json.createArrayBuilder().add("discovery")).add("validity", "P3650D").build())
                    .writes("validity P3650D is beyond the longest allowed (validation-failed after every other check)")
                    .couldSucceed(body -> blankBody(body) || anyMember(body, "validity", Corpus::usableValidity));
            case "GET /api/v1/admin/agw/peers", "GET /api/v1/admin/ars/peers", "GET /api/v1/admin/jobs", "GET /api/v1/admin/node/identity",
                 "GET /api/v1/admin/trust/ca-certificates", "GET /api/v1/agw/peers" -> p.caller(f.operator);
            case "POST /api/v1/admin/agw/peers" -> p.caller(f.operator).json(() -> Json.createObjectBuilder().add("url", f.peerBaseUrl).build())
                    .writes("the URL is the peer's, known already (conflict)")
                    .couldSucceed(body -> anyMember(body, "url", v -> otherHttpsUrl(v, f.peerBaseUrl)));
            case "DELETE /api/v1/admin/agw/peers/{id}", "DELETE /api/v1/admin/ars/peers/{id}", "POST /api/v1/admin/ars/peers/{id}/resync" ->
                    p.caller(f.operator).path("id", unknownId).writes("no such peer (unknown-peer)");
            case "GET /api/v1/admin/agw/peers/{id}", "GET /api/v1/agw/peers/{id}" -> p.caller(f.operator).path("id", f.peerId);
            case "POST /api/v1/admin/ars/peers" -> p.caller(f.operator).json(() -> Json.createObjectBuilder().add("url", f.arsPeerUrl).build())
                    .writes("the URL is the ARS peer's, known already (conflict)")
                    .couldSucceed(body -> anyMember(body, "url", v -> otherHttpsUrl(v, f.arsPeerUrl)));
            case "GET /api/v1/admin/ars/peers/{id}" -> p.caller(f.operator).path("id", f.arsPeerId);
            case "POST /api/v1/admin/diagnostics/relay-probes" -> p.caller(f.operator)
                    .json(() -> Json.createObjectBuilder().add("failDeliveries", 21).build())
                    .writes("failDeliveries 21 is above the most allowed (validation-failed)")
                    .couldSucceed(body -> blankBody(body) || new String(body, StandardCharsets.UTF_8).strip().equals("null")
                            || !new String(body, StandardCharsets.UTF_8).contains("\"failDeliveries\"")
                            || anyMember(body, "failDeliveries", Corpus::probeCount));
            case "GET /api/v1/admin/diagnostics/relay-probes/{id}" -> p.caller(f.operator).path("id", unknownId);
            case "GET /api/v1/admin/jobs/{name}" -> p.caller(f.operator).path("name", firstJob);
            case "POST /api/v1/admin/jobs/{name}/runs" -> p.caller(f.operator).path("name", "no-such-job").writes("no such job (not-found)");
            case "POST /api/v1/admin/node/identity/renewal" -> p.caller(f.operator).onlyRefused()
                    .writes("none: a valid request renews the node's identity, so only refused requests are sent");
            case "POST /api/v1/admin/peers/probe" -> p.caller(f.operator).json(() -> Json.createObjectBuilder().add("url", "https://127.0.0.1:1").build());
            case "POST /api/v1/admin/trust/ca-certificates" -> p.caller(f.operator)
                    .json(() -> Json.createObjectBuilder().add("pem", f.alice.pem()).build())
                    .writes("the PEM is an agent certificate, not a CA (invalid-certificate)")
                    .field("pem", SecurityMutations.pemValues(f.material, false, false))
                    .extraBodies(() -> SecurityMutations.pemValues(f.material, false, false).stream()
                            .map(v -> new BodyVariant(v.family(), "text/plain: " + v.label(), "text/plain", unquote(v.bytes()))).toList());
            case "DELETE /api/v1/admin/trust/ca-certificates/{id}" -> p.caller(f.operator).path("id", f.localTrustAlias)
                    .writes("the node's own ACA cannot be removed (invalid-state)");
            case "GET /api/v1/admin/trust/ca-certificates/{id}" -> p.caller(f.operator).path("id", f.localTrustAlias);
            case "POST /api/v1/agw/access" -> p.caller(f.aliceCaller)
                    .jws(() -> f.accessClaims(f.bobId, "alice", f.usedAccessJti).build(), f.alice.keys().getPrivate())
                    .writes("the jti is used already (replayed-request) and the agentId is bob's (identity-mismatch)")
                    .field("", SecurityMutations.jwsValues(Mutations.utf8(f.accessClaims(f.bobId, "alice", f.usedAccessJti).build().toString()),
                            f.alice.keys(), f.bob.keys()));
            case "DELETE /api/v1/agw/agents/{id}", "DELETE /api/v1/ars/agents/{id}" -> p.caller(f.aliceCaller).path("id", f.bobId)
                    .writes("the agent is bob, not the caller (identity-mismatch)");
            case "GET /api/v1/agw/agents/{id}", "GET /api/v1/ars/agents/{id}", "GET /api/v1/ars/agents/{id}/card" ->
                    p.caller(f.aliceCaller).path("id", f.aliceId);
            case "PUT /api/v1/agw/agents/{id}/heartbeat" -> p.caller(f.aliceCaller).path("id", f.bobId)
                    .json(() -> Json.createObjectBuilder().add("status", "RUNNING").add("detail", "campaign").build())
                    .writes("the agent is bob, not the caller (identity-mismatch)");
            case "GET /api/v1/agw/agents/{id}/inbox" -> p.caller(f.aliceCaller).path("id", f.aliceId).query("wait=0&limit=5");
            case "DELETE /api/v1/agw/agents/{id}/inbox/{messageId}" -> p.caller(f.aliceCaller).path("id", f.aliceId).path("messageId", unknownId)
                    .writes("no such message (unknown-message)");
            case "POST /api/v1/agw/messages" -> p.caller(f.aliceCaller)
                    .jws(() -> f.messageClaims(unknownTarget, probeMessageId, f.usedMessageJti).build(), f.alice.keys().getPrivate())
                    .writes("the jti is used already (replayed-request) and the target is unknown (unknown-agent)")
                    .field("", SecurityMutations.jwsValues(Mutations.utf8(f.messageClaims(unknownTarget, probeMessageId, f.usedMessageJti)
                            .build().toString()), f.alice.keys(), f.bob.keys()));
            case "GET /api/v1/agw/messages/{id}" -> p.caller(f.aliceCaller).path("id", f.acceptedMessageId);
            case "POST /api/v1/agw/peers" -> p.caller(f.gatewayCaller).json(() -> Json.createObjectBuilder().add("agwId", f.peerNodeId)
                            .add("domain", "b.example").add("protocols", Json.createArrayBuilder().add("agentnet-relay/1")).add("status", "ONLINE")
                            .add("baseUrl", f.peerBaseUrl).add("heartbeatInterval", 86_400).add("appliedSeq", 0).add("latestSeq", 0).build())
                    .writes("the handshake claims domain b.example, the certificate is of local.agentnet (identity-mismatch)");
            case "DELETE /api/v1/agw/peers/{id}" -> p.caller(f.gatewayCaller).path("id", unknownId).writes("no such peer (unknown-peer)");
            case "PUT /api/v1/agw/peers/{id}/heartbeat" -> p.caller(f.gatewayCaller).path("id", f.peerId)
                    .json(() -> Json.createObjectBuilder().add("agwId", "not-" + f.peerNodeId).add("status", "ONLINE")
                            .add("heartbeatInterval", 30).add("latestSeq", 0).add("appliedSeq", 0)
                            .add("digest", Json.createObjectBuilder().add("latest", 0).add("count", 0).add("seqSum", 0)).build())
                    .writes("agwId is not the peer's node ID (identity-mismatch)");
            case "POST /api/v1/agw/peers/{id}/resources" -> p.caller(f.gatewayCaller).path("id", f.peerId)
                    .json(() -> Json.createObjectBuilder().add("agwId", "not-" + f.peerNodeId).add("since", 0)
                            .add("changes", Json.createArrayBuilder().add(Json.createObjectBuilder().add("seq", 1).add("kind", "REGISTERED")
                                    .add("agentId", unknownId).add("time", Instant.now().toString()).add("profile", aliceProfile)))
                            .add("next", 1).add("latest", 1).build())
                    .writes("agwId is not the peer's node ID (identity-mismatch)");
            case "POST /api/v1/agw/relay" -> p.caller(f.gatewayCaller)
                    .json(() -> f.relayBody(probeRelayId, SecurityMutations.sign(f.alice.keys().getPrivate(),
                            Mutations.utf8(f.messageClaims(unknownTarget, probeRelayId, UUID.randomUUID().toString()).build().toString())))
                            .build())
                    .writes("the target is no agent of this gateway (unknown-agent / target-unreachable)")
                    .field("senderCertificate", SecurityMutations.pemValues(f.material, false, true))
                    .field("jws", SecurityMutations.jwsValues(Mutations.utf8(f.messageClaims(unknownTarget, probeRelayId,
                            UUID.randomUUID().toString()).build().toString()), f.alice.keys(), f.bob.keys()).stream()
                            .map(v -> new Value(v.family(), v.label(), Mutations.json(new String(v.bytes(), StandardCharsets.ISO_8859_1)))).toList())
                    .extraBodies(this::relayedClaimMutations);
            // batches answer 200 with a result per item: each item refused as its single call would be (Verdicts.refusedBatch)
            case "POST /api/v1/agw/relay/batch" -> p.caller(f.gatewayCaller)
                    .json(() -> Json.createObjectBuilder().add("messages", Json.createArrayBuilder()
                            .add(f.relayBody(probeRelayId, SecurityMutations.sign(f.alice.keys().getPrivate(),
                                    Mutations.utf8(f.messageClaims(unknownTarget, probeRelayId, UUID.randomUUID().toString()).build().toString())))))
                            .build())
                    .writes("the one message's target is no agent of this gateway (its result: unknown-agent / target-unreachable)");
            case "POST /api/v1/agw/relay/receipts/batch" -> p.caller(f.gatewayCaller)
                    .json(() -> Json.createObjectBuilder().add("receipts", Json.createArrayBuilder().add(Json.createObjectBuilder()
                            .add("messageId", unknownId).add("state", "DELIVERED").add("at", Instant.now().toString()).add("reason", "campaign")))
                            .build())
                    .writes("no such message (its result: unknown-message)");
            case "POST /api/v1/agw/relay/receipts" -> p.caller(f.gatewayCaller).json(() -> Json.createObjectBuilder().add("messageId", unknownId)
                            .add("state", "DELIVERED").add("at", Instant.now().toString()).add("reason", "campaign").build())
                    .writes("no such message (unknown-message)");
            case "GET /api/v1/agw/routes" -> p.caller(f.operator).query("limit=10");
            case "POST /api/v1/ars/agents" -> p.caller(f.aliceCaller).json(() -> aliceProfile)
                    .writes("alice is registered already (already-registered)")
                    .extraBodies(this::cardMutations);
            case "GET /api/v1/ars/agents" -> p.caller(f.aliceCaller).query("capability=campaign-skill&limit=5");
            case "PUT /api/v1/ars/agents/{id}" -> p.caller(f.aliceCaller).path("id", f.aliceId).header("If-Match", "\"999999\"")
                    .json(() -> aliceProfile).writes("If-Match names a revision alice does not have (precondition-failed)");
            case "PUT /api/v1/ars/agents/{id}/status" -> p.caller(f.operator).path("id", unknownId)
                    .json(() -> Json.createObjectBuilder().add("status", "OFFLINE").add("reason", "campaign").build())
                    .writes("no such agent (unknown-agent)");
            case "GET /api/v1/ars/changes" -> p.caller(f.gatewayCaller).query("since=0&limit=10");
            case "GET /api/v1/ars/changes/digest" -> p.caller(f.gatewayCaller);
            case "POST /api/v1/ars/changes/notifications" -> p.caller(f.gatewayCaller)
                    .json(() -> Json.createObjectBuilder().add("node", "campaign-unknown-node").build())
                    .writes("the node is no ARS peer of this one (unknown-peer)");
            case "GET /api/v1/caller" -> p.caller(f.aliceCaller);
            case "GET /api/v1/node" -> p.caller(Caller.NONE);
            default -> p.unprofiled(e);
        }
        return p.build(e);
    }

    /** Claims inside the relayed JWS changed one by one (signed by alice), the rest of the relay request valid. */
    private List<BodyVariant> relayedClaimMutations() {
        List<BodyVariant> bodies = new ArrayList<>();
        JsonObject claims = f.messageClaims(unknownTarget, probeRelayId, UUID.randomUUID().toString()).build();
        int rotation = 0;
        for (List<Object> path : JsonBodies.paths(claims, 2)) {
            for (Value value : Mutations.jsonValuesFor(rotation++, 6)) {
                String jws = SecurityMutations.sign(f.alice.keys().getPrivate(), JsonBodies.replace(claims, path, value.bytes()));
                JsonObject body = f.relayBody(probeRelayId, jws).build();
                bodies.add(new BodyVariant("signed-claims/" + value.family(), "jws." + JsonBodies.describe(path) + " = " + value.label(),
                        "application/json", JsonBodies.bytes(body)));
            }
        }
        return bodies;
    }

    /** Registration with an A2A Agent Card instead of a profile: each field of alice's card changed. */
    private List<BodyVariant> cardMutations() {
        List<BodyVariant> bodies = new ArrayList<>();
        int rotation = 0;
        for (List<Object> path : JsonBodies.paths(aliceCard, 2)) {
            for (Value value : Mutations.jsonValuesFor(rotation++, 3)) {
                bodies.add(new BodyVariant("card/" + value.family(), "card." + JsonBodies.describe(path) + " = " + value.label(),
                        "application/json", JsonBodies.replace(aliceCard, path, value.bytes())));
            }
        }
        return bodies;
    }

    // ---- generation ------------------------------------------------------------------------------

    List<Case> generate(List<Endpoint> endpoints) {
        List<Case> cases = new ArrayList<>();
        for (Endpoint endpoint : endpoints) {
            Profile profile = profile(endpoint);
            List<Case> own = new ArrayList<>();
            if (profile.onlyRefusedCallers()) {
                own.addAll(refusedOnly(endpoint, profile));
            } else {
                own.addAll(pathCases(endpoint, profile));
                own.addAll(queryCases(endpoint, profile));
                own.addAll(headerCases(endpoint, profile));
                own.addAll(methodCases(endpoint, profile));
                own.addAll(bodyCases(endpoint, profile));
                own.addAll(shares(endpoint, profile, own));
            }
            cases.addAll(own);
        }
        return cases;
    }

    private List<Case> pathCases(Endpoint e, Profile p) {
        List<Case> cases = new ArrayList<>();
        for (String parameter : e.pathParameters()) {
            for (Value value : rotated(Mutations.pathValues(), e.key().hashCode() + parameter.hashCode(), 3)) {
                byte[] target = target(e, p, parameter, value.bytes(), query(p.query()));
                cases.add(new Case(e.key(), "path/" + value.family(), parameter + " = " + value.label(), p.caller(), p.writes(), false,
                        () -> request(p, p.caller(), e.method(), target, List.of(), baseBody(p), p.contentType(), true)));
            }
        }
        return cases;
    }

    private List<Case> queryCases(Endpoint e, Profile p) {
        List<Case> cases = new ArrayList<>();
        List<String> parameters = new ArrayList<>(queryParameters(e));
        parameters.add("campaignUnknown");
        int rotation = 0;
        for (String parameter : parameters) {
            // a rotating share of the injections and encodings for the documented parameters, fewer for the unknown one
            List<Value> values = rotated(Mutations.queryValues(), e.key().hashCode() + parameter.hashCode(), 3);
            for (int i = 0; i < values.size(); i++) {
                if (parameter.equals("campaignUnknown") && i % 5 != 0) {
                    continue;
                }
                Value value = values.get(i);
                Map<String, byte[]> query = query(p.query());
                query.put(parameter, value.bytes());
                byte[] target = target(e, p, null, null, query);
                cases.add(new Case(e.key(), "query/" + value.family(), parameter + " = " + value.label(), p.caller(), p.writes(), false,
                        () -> request(p, p.caller(), e.method(), target, List.of(), baseBody(p), p.contentType(), true)));
            }
            rotation++;
        }
        List<String> raws = new ArrayList<>(List.of("?", "?&&&", "?=x", "?%", "?a=1&a=2&a=3", "?limit", "?limit="));
        if (Math.floorMod(e.key().hashCode(), 3) == 0) {
            raws.add("?" + "p=1&".repeat(20_000)); // 80 KB: the channel's refusal, the same everywhere
        }
        for (String raw : raws) {
            byte[] target = Mutations.concat(Mutations.ascii(e.expand(name -> p.path().getOrDefault(name, "campaign-" + name))), Mutations.ascii(raw));
            cases.add(new Case(e.key(), "query/raw", Mutations.label(raw), p.caller(), p.writes(), false,
                    () -> request(p, p.caller(), e.method(), target, List.of(), baseBody(p), p.contentType(), true)));
        }
        return cases;
    }

    private List<Case> headerCases(Endpoint e, Profile p) {
        List<Case> cases = new ArrayList<>();
        byte[] target = target(e, p, null, null, query(p.query()));
        for (Mutations.HeaderCase header : Mutations.headerCases()) {
            // the largest heads are the same work for the server wherever they go: every third endpoint;
            // the miscellaneous headers on every other endpoint, which ones shifting with the endpoint
            if (header.label().startsWith("one 200 KB") && Math.floorMod(e.key().hashCode(), 3) != 0
                    || header.family().equals("misc-header") && Math.floorMod(e.key().hashCode() + header.label().hashCode(), 2) != 0) {
                continue;
            }
            Caller caller = header.replacesAuthorization() ? new Caller(p.caller().name() + "+bad-authorization", p.caller().keys(),
                    p.caller().password(), null) : p.caller();
            boolean declared = header.family().equals("huge-content-length");
            boolean chunked = header.family().equals("smuggling");
            cases.add(new Case(e.key(), "header/" + header.family(), header.label(), caller, p.writes(), false,
                    () -> request(p, caller, e.method(), target, header.headers(),
                            (declared || chunked) && baseBody(p) == null ? Mutations.ascii("{}") : baseBody(p),
                            p.contentType(), !declared, false, chunked)));
        }
        if (e.key().equals("PUT /api/v1/ars/agents/{id}")) {
            for (Value value : Mutations.queryValues()) {
                String tag = new String(value.bytes(), StandardCharsets.ISO_8859_1);
                if (aliceEtag.equals(tag) || aliceEtag.equals("\"" + tag + "\"") || aliceEtag.equals("W/\"" + tag + "\"")) {
                    skipped++;
                    continue;
                }
                cases.add(new Case(e.key(), "header/if-match", value.label(), p.caller(), true, false,
                        () -> request(p, p.caller(), e.method(), target, List.<String[]>of(new String[] {"If-Match", tag}), baseBody(p),
                                p.contentType(), true, true)));
            }
        }
        return cases;
    }

    private List<Case> methodCases(Endpoint e, Profile p) {
        List<Case> cases = new ArrayList<>();
        byte[] target = target(e, p, null, null, query(p.query()));
        for (String method : List.of("TRACE", "OPTIONS", "PATCH", "FOO", "get", "CONNECT")) {
            // OPTIONS answers which methods the resource has, and the container takes "get" for GET: reads that change nothing
            cases.add(new Case(e.key(), "method", method, p.caller(), p.writes(), method.equals("OPTIONS") || method.equals("get"),
                    () -> request(p, p.caller(), method, target, List.of(), baseBody(p), p.contentType(), true)));
        }
        return cases;
    }

    private List<Case> bodyCases(Endpoint e, Profile p) {
        List<Case> cases = new ArrayList<>();
        if (p.body() == BodyKind.NONE) {
            if (!e.method().equals("GET")) {
                // a body where none is expected
                byte[] target = target(e, p, null, null, query(p.query()));
                for (Value value : List.of(Mutations.malformedBodies().get(0), Mutations.deepArray())) {
                    cases.add(new Case(e.key(), "unexpected-body/" + value.family(), value.label(), p.caller(), p.writes(), false,
                            () -> request(p, p.caller(), e.method(), target, List.of(), value.bytes(), "application/json", true)));
                }
            }
            return cases;
        }
        byte[] target = target(e, p, null, null, query(p.query()));
        if (p.body() == BodyKind.DER) {
            for (Value value : SecurityMutations.derValues(p.der())) {
                add(cases, e, p, target, "body/" + value.family(), value.label(), () -> value.bytes(), p.contentType());
            }
            addCommonBodies(cases, e, p, target);
            return cases;
        }
        JsonValue sample = p.claims().get();
        int rotation = 0;
        for (List<Object> path : JsonBodies.paths(sample, 3)) {
            String where = JsonBodies.describe(path);
            List<Value> values = new ArrayList<>(Mutations.jsonValuesFor(rotation++, 10));
            values.addAll(p.extraFieldValues().getOrDefault(where, List.of()));
            if (rotation % 4 == 1) {
                values.add(Mutations.deepArray());
            }
            for (Value value : values) {
                add(cases, e, p, target, "field/" + value.family(), where + " = " + value.label(),
                        () -> signed(p, JsonBodies.replace(p.claims().get(), path, value.bytes())), p.contentType());
            }
        }
        if (sample instanceof JsonObject object) {
            for (String name : object.keySet()) {
                for (boolean mutatedFirst : new boolean[] {true, false}) {
                    add(cases, e, p, target, "duplicate-key", name + (mutatedFirst ? " (bad value first)" : " (bad value last)"),
                            () -> signed(p, JsonBodies.duplicate((JsonObject) p.claims().get(), name, Mutations.ascii("null"), mutatedFirst)),
                            p.contentType());
                }
            }
            add(cases, e, p, target, "extra-member", "unknown member", () -> signed(p, JsonBodies.withExtraMember(
                    (JsonObject) p.claims().get(), "campaignUnknown", Mutations.json("' OR '1'='1"))), p.contentType());
            add(cases, e, p, target, "extra-member", "__proto__ member", () -> signed(p, JsonBodies.withExtraMember(
                    (JsonObject) p.claims().get(), "__proto__", Mutations.ascii("{\"admin\":true}"))), p.contentType());
        }
        // whole-JWS mutations (signatures), given as the "" field
        for (Value value : p.extraFieldValues().getOrDefault("", List.of())) {
            int index = p.extraFieldValues().get("").indexOf(value);
            add(cases, e, p, target, "jws/" + value.family(), value.label(), () -> freshJws(p, index), p.contentType());
        }
        byte[] base = JsonBodies.bytes(sample);
        for (Value value : Mutations.truncations(base, 24)) {
            add(cases, e, p, target, "body/" + value.family(), value.label(), () -> signed(p, Arrays.copyOf(baseJson(p), value.bytes().length)),
                    p.contentType());
        }
        for (Value value : Mutations.malformedBodies()) {
            add(cases, e, p, target, "body/" + value.family(), value.label(), () -> signed(p, value.bytes()), p.contentType());
        }
        for (Value value : Mutations.encodings(new String(base, StandardCharsets.UTF_8))) {
            add(cases, e, p, target, "body/" + value.family(), value.label(), () -> signed(p, value.bytes()), p.contentType());
        }
        if (p.body() == BodyKind.JWS) {
            // the JWS itself in other encodings
            add(cases, e, p, target, "body/invalid-utf8", "JWS as UTF-16", () -> new String(baseBody(p), StandardCharsets.ISO_8859_1)
                    .getBytes(StandardCharsets.UTF_16), p.contentType());
            add(cases, e, p, target, "body/invalid-utf8", "JWS with 0xFF inside", () -> Mutations.concat(Arrays.copyOf(baseBody(p), 20),
                    new byte[] {(byte) 0xFF}, Arrays.copyOfRange(baseBody(p), 20, baseBody(p).length)), p.contentType());
        }
        for (Supplier<List<BodyVariant>> extra : p.extraBodies()) {
            for (BodyVariant variant : extra.get()) {
                add(cases, e, p, target, variant.family(), variant.label(), variant::body, variant.contentType());
            }
        }
        addCommonBodies(cases, e, p, target);
        return cases;
    }

    /** Wrong content types, no body, oversized bodies (declared and chunked): the same for every kind of body. */
    private void addCommonBodies(List<Case> cases, Endpoint e, Profile p, byte[] target) {
        for (String type : Mutations.wrongContentTypes()) {
            add(cases, e, p, target, "content-type", type, () -> baseBody(p), type);
        }
        add(cases, e, p, target, "content-type", "no Content-Type", () -> baseBody(p), null);
        add(cases, e, p, target, "body/empty", "empty body", () -> new byte[0], p.contentType());
        cases.add(new Case(e.key(), "oversized-body", "limit + 10 bytes, Content-Length", p.caller(), p.writes(), false,
                () -> request(p, p.caller(), e.method(), target, List.of(), oversized(p), p.contentType(), true)));
        cases.add(new Case(e.key(), "oversized-body", "limit + 10 bytes, chunked", p.caller(), p.writes(), false,
                () -> request(p, p.caller(), e.method(), target, List.of(), oversized(p), p.contentType(), true, false, true)));
        cases.add(new Case(e.key(), "oversized-body", "4 MB, chunked", p.caller(), p.writes(), false,
                () -> request(p, p.caller(), e.method(), target, List.of(), new byte[4 * BODY_LIMIT], p.contentType(), true, false, true)));
    }

    private void add(List<Case> cases, Endpoint e, Profile p, byte[] target, String family, String label, Supplier<byte[]> body,
                     String contentType) {
        if (p.couldSucceed() != null && contentType != null && contentType.startsWith("application/json")) {
            byte[] sample = body.get();
            if (p.couldSucceed().test(sample)) {
                skipped++;
                return;
            }
        }
        cases.add(new Case(e.key(), family, label, p.caller(), p.writes(), false,
                () -> request(p, p.caller(), e.method(), target, List.of(), body.get(), contentType, true)));
    }

    /** The same mutations again without credentials (every 7th), with a revoked certificate (every 31st) and over plain HTTP (every 53rd). */
    private List<Case> shares(Endpoint e, Profile p, List<Case> own) {
        List<Case> cases = new ArrayList<>();
        for (int i = 0; i < own.size(); i++) {
            Case c = own.get(i);
            if (c.caller().keys() == null && c.caller().authorization() == null) {
                continue;
            }
            if (i % 7 == 0) {
                cases.add(new Case(c.endpoint(), c.family(), c.label(), Caller.NONE, c.writes(), c.mayAccept(), () -> rebind(c.request().get(), Caller.NONE, true)));
            }
            if (i % 31 == 0) {
                cases.add(new Case(c.endpoint(), c.family(), c.label(), f.revokedCaller, c.writes(), c.mayAccept(),
                        () -> rebind(c.request().get(), f.revokedCaller, true)));
            }
            if (i % 53 == 0) {
                cases.add(new Case(c.endpoint(), c.family(), c.label() + " (plain HTTP)", c.caller(), c.writes(), c.mayAccept(),
                        () -> rebind(c.request().get(), c.caller(), false)));
            }
        }
        return cases;
    }

    /** An endpoint whose valid request would change state with nothing to stop it: only callers that must be refused. */
    private List<Case> refusedOnly(Endpoint e, Profile p) {
        List<Case> cases = new ArrayList<>();
        byte[] target = target(e, p, null, null, query(p.query()));
        for (Mutations.HeaderCase header : Mutations.headerCases()) {
            if (!header.replacesAuthorization()) {
                continue;
            }
            Caller caller = new Caller("bad-authorization", null, null, null);
            cases.add(new Case(e.key(), "header/" + header.family(), header.label(), caller, true, false,
                    () -> request(p, caller, e.method(), target, header.headers(), null, null, true)));
        }
        for (Caller caller : List.of(Caller.NONE, f.aliceCaller, f.revokedCaller, f.gatewayCaller)) {
            cases.add(new Case(e.key(), "caller", caller.name(), caller, true, false,
                    () -> request(p, caller, e.method(), target, List.of(), null, null, true)));
            cases.add(new Case(e.key(), "caller", caller.name() + " (plain HTTP)", caller, true, false,
                    () -> rebind(request(p, caller, e.method(), target, List.of(), null, null, true), caller, false)));
        }
        return cases;
    }

    // ---- requests ----------------------------------------------------------------------------------

    private Request request(Profile p, Caller caller, String method, byte[] target, List<String[]> headers, byte[] body, String contentType,
                            boolean contentLength) {
        return request(p, caller, method, target, headers, body, contentType, contentLength, false, false);
    }

    private Request request(Profile p, Caller caller, String method, byte[] target, List<String[]> headers, byte[] body, String contentType,
                            boolean contentLength, boolean replaceProfileHeaders) {
        return request(p, caller, method, target, headers, body, contentType, contentLength, replaceProfileHeaders, false);
    }

    private Request request(Profile p, Caller caller, String method, byte[] target, List<String[]> headers, byte[] body, String contentType,
                            boolean contentLength, boolean replaceProfileHeaders, boolean chunked) {
        List<String[]> all = new ArrayList<>();
        if (!replaceProfileHeaders) {
            all.addAll(p.headers());
        }
        if (body != null && contentType != null) {
            all.add(new String[] {"Content-Type", contentType});
        }
        all.addAll(headers);
        return new Request(true, caller, method, target, all, body, chunked, contentLength);
    }

    private static Request rebind(Request request, Caller caller, boolean tls) {
        return new Request(tls, caller, request.method(), request.target(), request.headers(), request.body(), request.chunked(),
                request.addContentLength());
    }

    private byte[] target(Endpoint e, Profile p, String parameter, byte[] value, Map<String, byte[]> query) {
        String marker = "\u0001campaign\u0001";
        String path = e.expand(name -> name.equals(parameter) ? marker : p.path().getOrDefault(name, "campaign-" + name));
        byte[] bytes;
        if (parameter != null) {
            int at = path.indexOf(marker);
            bytes = Mutations.concat(Mutations.ascii(path.substring(0, at)), value, Mutations.ascii(path.substring(at + marker.length())));
        } else {
            bytes = Mutations.ascii(path);
        }
        if (query.isEmpty()) {
            return bytes;
        }
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.writeBytes(bytes);
        char separator = '?';
        for (Map.Entry<String, byte[]> parameterValue : query.entrySet()) {
            out.write(separator);
            separator = '&';
            out.writeBytes(Mutations.ascii(parameterValue.getKey()));
            out.write('=');
            out.writeBytes(parameterValue.getValue());
        }
        return out.toByteArray();
    }

    /** The values of the families injection and path/query encoding: one in {@code every}, which ones shifts with {@code seed}; all others. */
    private static List<Value> rotated(List<Value> values, int seed, int every) {
        List<Value> chosen = new ArrayList<>();
        int i = 0;
        for (Value value : values) {
            boolean rotating = value.family().equals(Mutations.INJECTION) || value.family().endsWith("-encoding");
            if (!rotating || Math.floorMod(seed + i++, every) == 0) {
                chosen.add(value);
            }
        }
        return chosen;
    }

    private static Map<String, byte[]> query(String query) {
        Map<String, byte[]> parameters = new LinkedHashMap<>();
        if (query != null && !query.isEmpty()) {
            for (String pair : query.split("&")) {
                int equals = pair.indexOf('=');
                parameters.put(pair.substring(0, equals), Mutations.ascii(pair.substring(equals + 1)));
            }
        }
        return parameters;
    }

    private List<String> queryParameters(Endpoint e) {
        JsonObject item = openApi.getJsonObject("paths").getJsonObject(e.path());
        JsonObject operation = item.getJsonObject(e.method().toLowerCase(Locale.ROOT));
        List<String> names = new ArrayList<>();
        for (JsonObject holder : List.of(item, operation)) {
            if (holder.get("parameters") instanceof JsonArray parameters) {
                for (JsonValue parameter : parameters) {
                    if ("query".equals(parameter.asJsonObject().getString("in", ""))) {
                        names.add(parameter.asJsonObject().getString("name"));
                    }
                }
            }
        }
        return names;
    }

    private byte[] baseJson(Profile p) {
        return JsonBodies.bytes(p.claims().get());
    }

    /** The valid body of the endpoint (refused by its stopper only). */
    byte[] baseBody(Profile p) {
        return switch (p.body()) {
            case NONE -> null;
            case DER -> p.der();
            case JSON -> baseJson(p);
            case JWS -> p.signer().apply(baseJson(p));
        };
    }

    private static byte[] signed(Profile p, byte[] payload) {
        return p.body() == BodyKind.JWS ? p.signer().apply(payload) : payload;
    }

    private final Map<String, Fresh> freshJws = new java.util.concurrent.ConcurrentHashMap<>();

    /** Bad JWS made of claims with a recent iat (within the node's window), made anew every 20 seconds. */
    private record Fresh(Instant made, List<Value> values) {
    }

    private byte[] freshJws(Profile p, int index) {
        Fresh fresh = freshJws.compute(p.key(), (key, old) -> old != null && old.made().isAfter(Instant.now().minusSeconds(20)) ? old
                : new Fresh(Instant.now(), SecurityMutations.jwsValues(baseJson(p), f.alice.keys(), f.bob.keys())));
        return fresh.values().get(index).bytes();
    }

    private byte[] oversized(Profile p) {
        byte[] base = baseBody(p) == null ? Mutations.ascii("{}") : baseBody(p);
        byte[] padded = Arrays.copyOf(base, BODY_LIMIT + 10);
        Arrays.fill(padded, base.length, padded.length, (byte) ' ');
        return padded;
    }

    // ---- "could this body be a valid request?" ----------------------------------------------------------

    static boolean blankBody(byte[] body) {
        return new String(body, StandardCharsets.UTF_8).isBlank();
    }

    /** Every occurrence of a top-level member (duplicates included); empty when the body is no JSON object. */
    static List<JsonValue> members(byte[] body, String name) {
        List<JsonValue> found = new ArrayList<>();
        try (JsonParser parser = Json.createParser(new ByteArrayInputStream(body))) {
            if (!parser.hasNext() || parser.next() != JsonParser.Event.START_OBJECT) {
                return found;
            }
            while (parser.hasNext()) {
                JsonParser.Event event = parser.next();
                if (event == JsonParser.Event.END_OBJECT) {
                    break;
                }
                String key = parser.getString();
                parser.next();
                JsonValue value = parser.getValue();
                if (key.equals(name)) {
                    found.add(value);
                }
            }
        } catch (RuntimeException notJson) {
            return List.of();
        }
        return found;
    }

    /** Whether the body is a JSON object in which the member is missing or some occurrence of it matches. */
    static boolean anyMember(byte[] body, String name, Predicate<JsonValue> matches) {
        if (!isObject(body)) {
            return false;
        }
        List<JsonValue> values = members(body, name);
        return values.isEmpty() || values.stream().anyMatch(matches);
    }

    private static boolean isObject(byte[] body) {
        try (var reader = Json.createReader(new ByteArrayInputStream(body))) {
            return reader.readValue() instanceof JsonObject;
        } catch (RuntimeException notJson) {
            return false;
        }
    }

    private static boolean usableValidity(JsonValue value) {
        if (value == JsonValue.NULL) {
            return true;
        }
        if (!(value instanceof JsonString text)) {
            return false;
        }
        try {
            Duration validity = Duration.parse(text.getString());
            return !validity.isNegative() && !validity.isZero() && validity.compareTo(Duration.ofDays(30)) <= 0;
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static boolean probeCount(JsonValue value) {
        try {
            BigDecimal number = value == JsonValue.NULL ? BigDecimal.ZERO
                    : value instanceof JsonNumber n ? n.bigDecimalValue()
                    : value instanceof JsonString s ? new BigDecimal(s.getString().strip()) : null;
            return number != null && number.compareTo(BigDecimal.ZERO) >= 0 && number.compareTo(BigDecimal.valueOf(20)) <= 0;
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static boolean otherHttpsUrl(JsonValue value, String known) {
        return value instanceof JsonString s && s.getString().strip().toLowerCase(Locale.ROOT).startsWith("https://")
                && !s.getString().strip().equalsIgnoreCase(known);
    }

    private static byte[] unquote(byte[] jsonString) {
        try (var reader = Json.createReader(new ByteArrayInputStream(jsonString))) {
            return Mutations.utf8(((JsonString) reader.readValue()).getString());
        }
    }

    // ---- profile builder ----------------------------------------------------------------------------

    private final class Builder {
        private final String key;
        private Caller caller = Caller.NONE;
        private final Map<String, String> path = new LinkedHashMap<>();
        private String query = "";
        private final List<String[]> headers = new ArrayList<>();
        private BodyKind body = BodyKind.NONE;
        private String contentType;
        private Supplier<JsonValue> claims;
        private Function<byte[], byte[]> signer;
        private byte[] der;
        private boolean writes;
        private String stopper = "read-only";
        private Predicate<byte[]> couldSucceed;
        private final Map<String, List<Value>> fields = new LinkedHashMap<>();
        private final List<Supplier<List<BodyVariant>>> extraBodies = new ArrayList<>();
        private boolean onlyRefused;

        Builder(String key) {
            this.key = key;
        }

        Builder caller(Caller value) {
            caller = value;
            return this;
        }

        Builder path(String name, String value) {
            path.put(name, value);
            return this;
        }

        Builder query(String value) {
            query = value;
            return this;
        }

        Builder header(String name, String value) {
            headers.add(new String[] {name, value});
            return this;
        }

        Builder json(Supplier<JsonValue> value) {
            body = BodyKind.JSON;
            contentType = "application/json";
            claims = value;
            return this;
        }

        Builder jws(Supplier<JsonValue> value, java.security.PrivateKey key) {
            body = BodyKind.JWS;
            contentType = "application/jose";
            claims = value;
            signer = payload -> Mutations.ascii(SecurityMutations.sign(key, payload));
            return this;
        }

        Builder der(byte[] value) {
            body = BodyKind.DER;
            contentType = "application/ocsp-request";
            der = value;
            return this;
        }

        Builder writes(String why) {
            writes = true;
            stopper = why;
            return this;
        }

        Builder couldSucceed(Predicate<byte[]> value) {
            couldSucceed = value;
            return this;
        }

        Builder field(String where, List<Value> values) {
            fields.put(where, values);
            return this;
        }

        Builder extraBodies(Supplier<List<BodyVariant>> variants) {
            extraBodies.add(variants);
            return this;
        }

        Builder onlyRefused() {
            onlyRefused = true;
            return this;
        }

        /** An endpoint this corpus has no profile for: generic mutations, and any 2xx of a non-GET counts as a finding. */
        Builder unprofiled(Endpoint e) {
            caller = e.path().startsWith("/api/v1/admin/") ? f.operator : f.aliceCaller;
            e.pathParameters().forEach(name -> path.put(name, unknownId));
            if (e.takesBody()) {
                json(() -> JsonValue.EMPTY_JSON_OBJECT);
            }
            if (!e.method().equals("GET")) {
                writes = true;
                stopper = "UNPROFILED: generic mutations only";
            }
            return this;
        }

        Profile build(Endpoint e) {
            if (body == BodyKind.NONE && e.takesBody() && !onlyRefused) {
                json(() -> JsonValue.EMPTY_JSON_OBJECT);
            }
            return new Profile(key, caller, Map.copyOf(path), query, List.copyOf(headers), body, contentType, claims, signer, der, writes,
                    couldSucceed, Map.copyOf(fields), List.copyOf(extraBodies), onlyRefused, stopper);
        }
    }

    private static final class Arrays {
        static byte[] copyOf(byte[] bytes, int length) {
            return java.util.Arrays.copyOf(bytes, length);
        }

        static byte[] copyOfRange(byte[] bytes, int from, int to) {
            return java.util.Arrays.copyOfRange(bytes, from, to);
        }

        static void fill(byte[] bytes, int from, int to, byte value) {
            java.util.Arrays.fill(bytes, from, to, value);
        }
    }
}
