package org.agentnet.web.agw;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ejb.EJB;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.core.UriInfo;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.agentnet.agw.policy.AccessPolicies;
import org.agentnet.agw.policy.AccessPolicy;
import org.agentnet.agw.policy.Decision;
import org.agentnet.agw.policy.PeerAgreement;
import org.agentnet.agw.policy.PolicyAction;
import org.agentnet.agw.policy.PolicyJson;
import org.agentnet.agw.policy.PolicySet;
import org.agentnet.agw.policy.PolicyStore;
import org.agentnet.agw.policy.Requester;
import org.agentnet.agw.policy.Selector;
import org.agentnet.ars.Agent;
import org.agentnet.ars.AgentDirectory;
import org.agentnet.common.error.AgentnetException;
import org.agentnet.common.error.ProblemType;
import org.agentnet.common.text.Fields;
import org.agentnet.web.Cursor;
import org.agentnet.web.ars.ArsRequests;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Operators manage the AGW's access policies and peering agreements (draft 2.1 "security steward";
 * docs/agw.md "Access policies"), and ask what the policies in force decide for a subject, action
 * and agent.
 */
@Path("/v1/admin/agw/policies")
@Produces(MediaType.APPLICATION_JSON)
@RequestScoped
@RolesAllowed("admin")
@Tag(name = "agw")
@SecurityRequirement(name = "operator")
public class AgwPolicyResource {

    private static final JsonProvider JSON = JsonProvider.provider();
    private static final int MAX_LIMIT = 500;

    @EJB
    PolicyStore store;

    @EJB
    AgentDirectory directory;

    @Inject
    AccessPolicies policies;

    @Context
    SecurityContext security;

    @Context
    UriInfo uriInfo;

    @GET
    @Operation(summary = "The access policies, by name, paged with limit and cursor; whether they are enforced")
    public JsonObject list(@QueryParam("limit") @DefaultValue("100") @Min(1) @Max(MAX_LIMIT) int limit,
                           @QueryParam("cursor") @Size(max = 200) String cursor) {
        String after = cursor == null ? null : Cursor.decode(cursor, 1)[0];
        List<AccessPolicy> page = store.list(after, limit + 1);
        JsonArrayBuilder items = JSON.createArrayBuilder();
        page.stream().limit(limit).forEach(policy -> items.add(PolicyJson.view(policy)));
        JsonObjectBuilder answer = JSON.createObjectBuilder().add("items", items).add("enforced", policies.enforced());
        if (page.size() > limit) {
            answer.add("nextCursor", Cursor.encode(page.get(limit - 1).name()));
        }
        return answer.build();
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create a policy: 201 with the policy, its ID and revision (ETag); in force on this node at once, "
            + "on other nodes of a shared database within agentnet.agw.policy.refresh-interval")
    public Response create(String body) {
        AccessPolicy policy = store.create(PolicyJson.read(body), operator());
        return Response.created(uriInfo.getAbsolutePathBuilder().path(policy.id()).build())
                .tag(ArsRequests.etag(policy.version())).entity(PolicyJson.view(policy)).build();
    }

    @GET
    @Path("{id}")
    @Operation(summary = "One policy, with its revision as ETag")
    public Response get(@PathParam("id") String id) {
        AccessPolicy policy = store.get(id);
        return Response.ok(PolicyJson.view(policy)).tag(ArsRequests.etag(policy.version())).build();
    }

    @PUT
    @Path("{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Replace a policy (If-Match with its revision is optional; a stale one is 412)")
    public Response replace(@PathParam("id") String id, @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch, String body) {
        AccessPolicy policy = store.replace(id, ArsRequests.ifMatch(ifMatch), PolicyJson.read(body), operator());
        return Response.ok(PolicyJson.view(policy)).tag(ArsRequests.etag(policy.version())).build();
    }

    @DELETE
    @Path("{id}")
    @Operation(summary = "Delete a policy (If-Match optional)")
    public Response delete(@PathParam("id") String id, @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch) {
        store.delete(id, ArsRequests.ifMatch(ifMatch));
        return Response.noContent().build();
    }

    @POST
    @Path("evaluation")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "What the policies in force here decide: {subject: agent URI, action: DISCOVER|MESSAGE, target: agent ID}"
            + " -> allowed, reason, the deciding policy")
    public JsonObject evaluate(String body) {
        JsonObject request = PolicyJson.object(body);
        for (String key : request.keySet()) {
            Fields.require(Set.of("subject", "action", "target").contains(key), "unknown field (an evaluation has subject, action, target)");
        }
        String subject = text(request, "subject");
        Selector named = Selector.of(Selector.Role.SUBJECT, "subject", null, null, subject, null, null);
        PolicyAction action;
        try {
            action = PolicyAction.valueOf(text(request, "action").strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new AgentnetException(ProblemType.VALIDATION_FAILED, "action must be DISCOVER or MESSAGE");
        }
        String target = text(request, "target").strip();
        Fields.require(target.length() <= 36, "target is an agent ID (at most 36 characters)");
        Agent agent = directory.find(target).orElseThrow(() -> new AgentnetException(ProblemType.UNKNOWN_AGENT,
                "no agent '" + target + "' is known to discovery here"));
        String domain = java.net.URI.create(named.agent()).getHost();
        Decision decision = policies.evaluate(new Requester(named.agent(), domain), action, agent);
        JsonObjectBuilder answer = JSON.createObjectBuilder().add("allowed", decision.allowed())
                .add("reason", decision.reason().name()).add("enforced", policies.enforced());
        if (decision.policyId() != null) {
            answer.add("policy", JSON.createObjectBuilder().add("id", decision.policyId()).add("name", decision.policyName()));
        }
        return answer.build();
    }

    // ---- peering agreements --------------------------------------------------------------------

    @GET
    @Path("peer-agreements")
    @Operation(summary = "What the peering agreement with each peer domain admits: every established peer's domain and "
            + "every domain an operator set; the default for the others")
    public JsonObject agreements() {
        PolicySet current = policies.current();
        Set<String> established = policies.peerDomains();
        Set<String> domains = new TreeSet<>(established);
        List<PeerAgreement> explicit = store.agreements();
        explicit.forEach(agreement -> domains.add(agreement.domain()));
        JsonArrayBuilder items = JSON.createArrayBuilder();
        for (String domain : domains) {
            items.add(agreementView(domain, established.contains(domain),
                    explicit.stream().filter(a -> a.domain().equals(domain)).findFirst().orElse(null), current));
        }
        return JSON.createObjectBuilder().add("default", actions(current.peerDefault())).add("items", items).build();
    }

    @GET
    @Path("peer-agreements/{domain}")
    @Operation(summary = "What the peering agreement with one domain admits")
    public JsonObject agreement(@PathParam("domain") String domain) {
        PeerAgreement explicit = store.agreement(domain).orElse(null);
        String checked = explicit != null ? explicit.domain() : domain.strip().toLowerCase(Locale.ROOT);
        return agreementView(checked, policies.peerDomains().contains(checked), explicit, policies.current());
    }

    @PUT
    @Path("peer-agreements/{domain}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Set what the peering agreement with a domain admits: {discovery: bool, messaging: bool}")
    public JsonObject setAgreement(@PathParam("domain") String domain, String body) {
        JsonObject request = PolicyJson.object(body);
        for (String key : request.keySet()) {
            Fields.require(key.equals("discovery") || key.equals("messaging"), "unknown field (an agreement has discovery, messaging)");
        }
        PeerAgreement agreement = store.setAgreement(domain, bool(request, "discovery"), bool(request, "messaging"), operator());
        return agreementView(agreement.domain(), policies.peerDomains().contains(agreement.domain()), agreement, policies.current());
    }

    @DELETE
    @Path("peer-agreements/{domain}")
    @Operation(summary = "Forget the setting for a domain: the default applies again")
    public Response removeAgreement(@PathParam("domain") String domain) {
        store.removeAgreement(domain);
        return Response.noContent().build();
    }

    private static JsonObject agreementView(String domain, boolean established, PeerAgreement explicit, PolicySet current) {
        Set<PolicyAction> admits = explicit != null ? explicit.admits() : current.peerDefault();
        JsonObjectBuilder view = JSON.createObjectBuilder().add("domain", domain).add("established", established)
                .add("explicit", explicit != null)
                .add("discovery", admits.contains(PolicyAction.DISCOVER)).add("messaging", admits.contains(PolicyAction.MESSAGE));
        if (explicit != null) {
            view.add("updatedAt", explicit.updatedAt().toString()).add("updatedBy", explicit.updatedBy());
        }
        return view.build();
    }

    private static JsonArrayBuilder actions(Set<PolicyAction> actions) {
        JsonArrayBuilder array = JSON.createArrayBuilder();
        (actions.isEmpty() ? EnumSet.noneOf(PolicyAction.class) : EnumSet.copyOf(actions)).forEach(a -> array.add(a.name()));
        return array;
    }

    private static String text(JsonObject json, String field) {
        JsonValue value = json.get(field);
        Fields.require(value instanceof JsonString, field + " is required (a string)");
        return ((JsonString) value).getString();
    }

    private static boolean bool(JsonObject json, String field) {
        JsonValue value = json.get(field);
        Fields.require(value == JsonValue.TRUE || value == JsonValue.FALSE, field + " is required: true or false");
        return value == JsonValue.TRUE;
    }

    private String operator() {
        return "operator " + security.getUserPrincipal().getName();
    }
}
