package org.agentnet.agw.relay;

import java.util.Objects;

/**
 * One message on the relay queue: a kind that selects its {@link RelayMessageHandler}, the id
 * that deduplicates it, and a JSON payload the handler understands.
 */
public record RelayEnvelope(String kind, String id, String payload) {

    public RelayEnvelope {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(id, "id");
        payload = payload == null ? "" : payload;
    }
}
