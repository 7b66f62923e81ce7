package org.agentnet.web.traffic;

import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.ext.Provider;
import org.agentnet.agw.traffic.RateLimitStatus;
import org.agentnet.agw.traffic.TrafficControl;

/**
 * Writes the caller's quota on the answers of {@link RateLimited} resources, when a limit applied
 * to the request (refusals get theirs from the exception mapper).
 */
@Provider
@RateLimited
public class RateLimitHeadersFilter implements ContainerResponseFilter {

    @Inject
    RateLimitStatus status;

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        TrafficControl.Admission admission = status.admission();
        if (admission != null && !response.getHeaders().containsKey(RateLimitHeaders.LIMIT)) {
            RateLimitHeaders.write(admission, response.getHeaders()::add);
        }
    }
}
