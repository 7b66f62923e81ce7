package org.agentnet.node;

import java.time.Instant;
import java.util.List;

/** What a node says about itself at {@code GET /api/v1/node}; {@code id} is stable across restarts. */
public record NodeDescription(String id, String name, String domain, String version, List<String> components,
                              Instant startedAt) {
}
