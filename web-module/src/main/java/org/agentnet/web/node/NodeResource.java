package org.agentnet.web.node;

import jakarta.ejb.EJB;
import jakarta.enterprise.context.RequestScoped;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
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

    @GET
    @Operation(summary = "Describe this node: name, domain, version and enabled components")
    public NodeDescription describe() {
        return node.description();
    }
}
