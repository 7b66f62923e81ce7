package org.agentnet.agw.access;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.agentnet.common.error.AgentnetException;
import org.agentnet.common.error.ProblemType;
import org.agentnet.common.text.Fields;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Freshness of signed requests: {@code iat} must lie within the window around now, and each
 * {@code jti} of an agent is accepted once while its {@code iat} is within the window (a request
 * replayed later is refused by its {@code iat}). Bounded: when full, expired entries go first; if
 * none has expired the request is refused (fail closed) rather than forgetting a live {@code jti}.
 */
@ApplicationScoped
public class ReplayGuard {

    public static final int MAX_JTI = 128;

    @Inject
    Clock clock;

    @Inject
    @ConfigProperty(name = "agentnet.agw.signed-request.window")
    Duration window;

    @Inject
    @ConfigProperty(name = "agentnet.agw.signed-request.max-remembered")
    int capacity;

    /** agent URI + jti -> until when it is remembered */
    private final Map<String, Instant> seen = new ConcurrentHashMap<>();

    protected ReplayGuard() {
        // CDI
    }

    ReplayGuard(Clock clock, Duration window, int capacity) {
        this.clock = clock;
        this.window = window;
        this.capacity = capacity;
    }

    public Duration window() {
        return window;
    }

    /**
     * Accepts a request's {@code iat} (seconds since the epoch) and {@code jti} for {@code agentUri} once.
     *
     * @throws AgentnetException request-expired (iat outside the window), replayed-request (jti seen),
     *         validation-failed (jti missing or too long), service-unavailable (too many remembered)
     */
    public void accept(String agentUri, long iat, String jti) {
        String id = Fields.printable("jti", jti, MAX_JTI);
        Instant now = clock.instant();
        // an iat beyond the range of Instant is as stale as any other outside the window
        Instant issued = iat < Instant.MIN.getEpochSecond() || iat > Instant.MAX.getEpochSecond() ? null : Instant.ofEpochSecond(iat);
        if (issued == null || issued.isBefore(now.minus(window)) || issued.isAfter(now.plus(window))) {
            throw new AgentnetException(ProblemType.REQUEST_EXPIRED, "iat " + (issued == null ? Long.toString(iat) : issued)
                    + " is not within " + window + " of the gateway's time " + now + "; sign the request anew");
        }
        Instant until = issued.plus(window);
        String key = agentUri + '\n' + id;
        Instant known = seen.get(key);
        if (known != null && known.isAfter(now)) {
            throw replayed(id);
        }
        if (known == null && seen.size() >= capacity) {
            seen.values().removeIf(expiry -> !expiry.isAfter(now));
            if (seen.size() >= capacity) {
                throw new AgentnetException(ProblemType.SERVICE_UNAVAILABLE,
                        "too many signed requests within " + window + "; retry later");
            }
        }
        boolean[] fresh = {false};
        seen.compute(key, (k, expiry) -> {
            // an entry that outlived its window is stale, not a replay
            fresh[0] = expiry == null || !expiry.isAfter(now);
            return fresh[0] ? until : expiry;
        });
        if (!fresh[0]) {
            throw replayed(id);
        }
    }

    private static AgentnetException replayed(String jti) {
        return new AgentnetException(ProblemType.REPLAYED_REQUEST, "jti '" + jti + "' was used already; sign each request with a new jti");
    }

    int size() {
        return seen.size();
    }
}
