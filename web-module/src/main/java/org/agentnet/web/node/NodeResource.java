package org.agentnet.web.node;

import jakarta.ejb.EJB;
import jakarta.enterprise.context.RequestScoped;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.List;
import org.agentnet.node.NodeDescription;
import org.agentnet.node.NodeService;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/v1/node")
@Produces(MediaType.APPLICATION_JSON)
@RequestScoped
@Tag(name = "node", description = "This node: identity, version, components")
public class NodeResource {

    @EJB
    NodeService node;

    /** The API's view of the node (kept in the web module, where OpenAPI sees its schema). */
    public record NodeView(String id, String name, String domain, String version, List<String> components, Instant startedAt) {
        static NodeView of(NodeDescription node) {
            return new NodeView(node.id(), node.name(), node.domain(), node.version(), node.components(), node.startedAt());
        }
    }

    @GET
    @Operation(summary = "Describe this node: name, domain, version and enabled components")
    public NodeView describe() {
        return NodeView.of(node.description());
    }
}
