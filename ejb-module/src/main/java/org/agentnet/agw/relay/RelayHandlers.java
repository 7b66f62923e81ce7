package org.agentnet.agw.relay;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** The relay message handlers by kind, for both consumers of the relay queues. */
@ApplicationScoped
public class RelayHandlers {

    @Inject
    @Any
    Instance<RelayMessageHandler> discovered;

    private final Map<String, RelayMessageHandler> byKind = new HashMap<>();

    @PostConstruct
    void index() {
        for (RelayMessageHandler handler : discovered) {
            if (byKind.putIfAbsent(handler.kind(), handler) != null) {
                throw new IllegalStateException("two relay handlers for kind " + handler.kind());
            }
        }
    }

    public Optional<RelayMessageHandler> forKind(String kind) {
        return Optional.ofNullable(kind == null ? null : byKind.get(kind));
    }
}
