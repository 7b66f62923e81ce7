package org.agentnet.node;

import java.time.Instant;
import java.util.List;

/** What a node says about itself at {@code GET /api/v1/node}. */
public record NodeDescription(String name, String domain, String version, List<String> components,
                              Instant startedAt) {
}
