package org.agentnet.web.agw;

import jakarta.annotation.Resource;
import jakarta.ejb.EJB;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.container.AsyncResponse;
import jakarta.ws.rs.container.Suspended;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.agentnet.agw.message.InboxSignals;
import org.agentnet.agw.message.MessageService;
import org.agentnet.agw.message.RelaySettings;
import org.agentnet.ars.ArsCaller;
import org.agentnet.web.security.Callers;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The inbox of an agent that pulls its messages (docs/agw.md "Inbox"): a long-poll that hands out
 * delivery documents, and the acknowledgement that makes a message DELIVERED. Only the agent itself
 * (mutual TLS). A message handed out and not acknowledged is offered again after the lease.
 */
@Path("/v1/agw/agents/{id}/inbox")
@Produces(MediaType.APPLICATION_JSON)
@RequestScoped
@Tag(name = "agw", description = "Agent Gateway: routing and relay")
public class InboxResource {

    @EJB
    MessageService messages;

    @Inject
    InboxSignals signals;

    @Inject
    RelaySettings settings;

    @Inject
    Callers callers;

    @Resource(lookup = "java:comp/DefaultManagedExecutorService")
    ManagedExecutorService executor;

    @Context
    HttpServletRequest request;

    @GET
    @Operation(summary = "Take messages from the agent's own inbox: up to limit delivery documents; with wait (seconds, "
            + "capped by agentnet.agw.inbox.max-wait) the answer waits for the first message; acknowledge each with DELETE")
    public void take(@PathParam("id") String id, @QueryParam("wait") @DefaultValue("0") @Min(0) @Max(3600) int wait,
                     @QueryParam("limit") @DefaultValue("10") @Min(1) @Max(MessageService.MAX_INBOX_BATCH) int limit,
                     @Suspended AsyncResponse async) {
        ArsCaller caller = ArsCaller.holder(callers.agent(request));
        List<JsonObject> taken = messages.takeInbox(caller, id, limit);
        long seconds = Math.min(wait, settings.inboxMaxWait().toSeconds());
        if (!taken.isEmpty() || seconds == 0) {
            async.resume(answer(taken));
            return;
        }
        AtomicBoolean done = new AtomicBoolean();
        AtomicReference<InboxSignals.Waiter> registration = new AtomicReference<>();
        Runnable wake = () -> executor.execute(() -> {
            if (done.compareAndSet(false, true)) {
                InboxSignals.Waiter waiter = registration.get();
                if (waiter != null) {
                    waiter.cancel();
                }
                try {
                    async.resume(answer(messages.takeInbox(caller, id, limit)));
                } catch (RuntimeException e) {
                    async.resume(e);
                }
            }
        });
        registration.set(signals.await(id, wake));
        async.setTimeoutHandler(timedOut -> {
            if (done.compareAndSet(false, true)) {
                registration.get().cancel();
                timedOut.resume(answer(List.of()));
            }
        });
        async.setTimeout(seconds, TimeUnit.SECONDS);
        // a message that arrived between the first look and the registration
        if (messages.inboxWaiting(id)) {
            wake.run();
        }
    }

    @DELETE
    @Path("{messageId}")
    @Operation(summary = "Acknowledge a message of the agent's own inbox: DELIVERED, never handed out again; 204 (again: 204)")
    public Response acknowledge(@PathParam("id") String id, @PathParam("messageId") String messageId) {
        messages.acknowledge(ArsCaller.holder(callers.agent(request)), id, messageId);
        return Response.noContent().build();
    }

    private static JsonObject answer(List<JsonObject> taken) {
        JsonArrayBuilder items = Json.createArrayBuilder();
        taken.forEach(items::add);
        return Json.createObjectBuilder().add("items", items).build();
    }
}
