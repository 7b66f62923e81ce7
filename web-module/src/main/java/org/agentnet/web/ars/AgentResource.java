package org.agentnet.web.ars;

import jakarta.ejb.EJB;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
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
import java.util.List;
import java.util.Locale;
import org.agentnet.agw.policy.AccessPolicies;
import org.agentnet.ars.Agent;
import org.agentnet.ars.AgentCards;
import org.agentnet.ars.AgentRegistry;
import org.agentnet.ars.AgentStatus;
import org.agentnet.ars.ArsCaller;
import org.agentnet.ars.DiscoveryQuery;
import org.agentnet.ars.ProfileJson;
import org.agentnet.common.error.AgentnetException;
import org.agentnet.common.error.ProblemType;
import org.agentnet.web.security.Callers;
import org.agentnet.web.security.Operators;
import org.agentnet.web.traffic.RateLimited;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The ARS API (draft 3.2): registration, profile, update, deregistration, discovery, A2A Agent
 * Cards and the operator's status override. Callers authenticate with their ACA certificate
 * (mutual TLS) or as operators; the rules are in docs/ars.md.
 */
@Path("/v1/ars/agents")
@Produces(MediaType.APPLICATION_JSON)
@RequestScoped
@Tag(name = "ars", description = "Agent Registration Server")
public class AgentResource {

    /** An operator's status change. */
    public record StatusRequest(@NotBlank @Size(max = 16) String status, @Size(max = AgentRegistry.MAX_REASON) String reason) {
    }

    @EJB
    AgentRegistry registry;

    @Inject
    Callers callers;

    @Inject
    Discovery discovery;

    @Inject
    AccessPolicies policies;

    @Context
    SecurityContext security;

    @Context
    HttpServletRequest request;

    @Context
    UriInfo uriInfo;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Register the calling agent (mutual TLS with its ACA certificate): 201 with its profile and "
            + "resource ID; the body is an ARS profile or an A2A Agent Card")
    public Response register(String body) {
        // who first: a caller that may not register learns that before anything about its body
        var caller = ArsCaller.holder(callers.agent(request));
        Agent agent = registry.register(caller, ArsRequests.profile(body));
        return Response.created(uriInfo.getAbsolutePathBuilder().path(agent.id()).build())
                .tag(ArsRequests.etag(agent.revision())).entity(ProfileJson.view(agent)).build();
    }

    @RateLimited
    @GET
    @Operation(summary = "Discover agents: filters capability, protocol, language, domain, status (AND across "
            + "fields, OR within one), ranked text query q, paged with limit and cursor")
    public Response discover(@QueryParam("capability") List<String> capability,
                               @QueryParam("protocol") List<String> protocol,
                               @QueryParam("language") List<String> language,
                               @QueryParam("domain") List<String> domain,
                               @QueryParam("status") List<String> status,
                               @QueryParam("q") String q,
                               @QueryParam("limit") @DefaultValue("20") @Min(1) @Max(DiscoveryQuery.MAX_LIMIT) int limit,
                               @QueryParam("cursor") @Size(max = 400) String cursor) {
        byte[] page = discovery.answer(request, capability, protocol, language, domain, status, q, limit, cursor).page();
        return Response.ok(page, MediaType.APPLICATION_JSON_TYPE).build();
    }

    @GET
    @Path("{id}")
    @Operation(summary = "An agent's profile (any status), with its revision as ETag")
    public Response get(@PathParam("id") String id) {
        var caller = callers.holderOrOperator(request);
        Agent agent = registry.get(id);
        policies.requireDiscoverable(caller, agent);
        return Response.ok(ProfileJson.view(agent)).tag(ArsRequests.etag(agent.revision())).build();
    }

    @PUT
    @Path("{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Replace the profile (the agent itself or an operator); If-Match with the current ETag is required")
    public Response update(@PathParam("id") String id, @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch, String body) {
        var caller = callers.agentOrOperator(request);
        Agent agent = registry.update(caller, id, ArsRequests.ifMatch(ifMatch), ArsRequests.profile(body));
        return Response.ok(ProfileJson.view(agent)).tag(ArsRequests.etag(agent.revision())).build();
    }

    @DELETE
    @Path("{id}")
    @Operation(summary = "Deregister (the agent itself or an operator): it leaves discovery at once; If-Match is optional")
    public Response deregister(@PathParam("id") String id, @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch) {
        var caller = callers.agentOrOperator(request);
        registry.deregister(caller, id, ArsRequests.ifMatch(ifMatch));
        return Response.noContent().build();
    }

    @GET
    @Path("{id}/card")
    @Operation(summary = "The agent as an A2A Agent Card (v0.3 fields and v1.0 supportedInterfaces)")
    public JsonObject card(@PathParam("id") String id) {
        var caller = callers.holderOrOperator(request);
        Agent agent = registry.get(id);
        policies.requireDiscoverable(caller, agent);
        if (agent.status() == AgentStatus.DEREGISTERED) {
            throw new AgentnetException(ProblemType.AGENT_DEREGISTERED, "agent " + id + " is deregistered");
        }
        return AgentCards.card(agent);
    }

    @PUT
    @Path("{id}/status")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Set an agent's status: ONLINE, OFFLINE or INAPPLICABLE, with a reason (operator)")
    public JsonObject status(@PathParam("id") String id, @NotNull @Valid StatusRequest body) {
        Operators.require(security);
        AgentStatus status;
        try {
            status = AgentStatus.valueOf(body.status().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new AgentnetException(ProblemType.VALIDATION_FAILED, "status must be ONLINE, OFFLINE or INAPPLICABLE");
        }
        return ProfileJson.view(registry.setStatus(id, status, body.reason()));
    }
}
