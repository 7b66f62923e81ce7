package org.agentnet.web;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;
import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.info.Info;
import org.eclipse.microprofile.openapi.annotations.info.License;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;

/** The REST API of an agentnet node; every resource lives under {@code /api/v1}. */
@ApplicationPath("/api")
@OpenAPIDefinition(info = @Info(
        title = "agentnet",
        version = "v1",
        description = "Agents Networking Framework (draft-zlgsgl-rtgwg-agents-networking-framework-00): "
                + "Agent Certificate Authority, Agent Registration Server, Agent Gateway and agent tasks. "
                + "Errors are RFC 9457 application/problem+json.",
        license = @License(name = "Apache-2.0")))
@SecurityScheme(securitySchemeName = "operator", type = SecuritySchemeType.HTTP, scheme = "basic",
        description = "Operator account with the role admin (Liberty's basic registry by default)")
public class AgentnetApplication extends Application {
}
