package org.agentnet.agw.traffic;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.BucketConfiguration;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.logging.Logger;

/**
 * Which limit applies to whom (docs/agw.md "Traffic control"): for each kind a default,
 * {@code agentnet.agw.limits.<kind>.limit} tokens per {@code agentnet.agw.limits.<kind>.window},
 * overridden per domain ({@code agentnet.agw.limits.domain.<domain>.<kind>.limit|window}) and per
 * organization ({@code agentnet.agw.limits.organization.<organization>.<kind>.limit|window}), the
 * organization's winning; each property is looked up on its own, so an override may change the
 * limit and keep the window. The same for the cap on concurrent deliveries to one agent
 * ({@code ...delivery.concurrency}). A limit of 0 means no limit. Resolved values are cached.
 */
public final class LimitRules {

    public static final String PREFIX = "agentnet.agw.limits.";
    static final String DELIVERY = "delivery";
    static final Duration MIN_WINDOW = Duration.ofSeconds(1);
    static final Duration MAX_WINDOW = Duration.ofDays(1);
    private static final int MAX_CACHED = 10_000;
    private static final Logger LOG = Logger.getLogger(LimitRules.class.getName());

    /** {@code capacity} requests per {@code window}, refilled continuously (a token every window / capacity); 0: no limit. */
    public record Limit(long capacity, Duration window) {

        public static final Limit NONE = new Limit(0, Duration.ofMinutes(1));

        public boolean unlimited() {
            return capacity == 0;
        }

        /** How the limit reads in bucket keys and reasons, e.g. {@code 600/PT1M}. */
        public String spec() {
            return capacity + "/" + window;
        }

        /** The token bucket: {@code capacity} tokens, refilled greedily at {@code capacity} per {@code window}. */
        public BucketConfiguration configuration() {
            return BucketConfiguration.builder()
                    .addLimit(Bandwidth.builder().capacity(capacity).refillGreedy(capacity, window).build())
                    .build();
        }
    }

    private final Function<String, Optional<String>> lookup;
    private final Map<String, Limit> limits = new ConcurrentHashMap<>();
    private final Map<String, Integer> caps = new ConcurrentHashMap<>();

    /** @param lookup a setting's value by its full name (MicroProfile Config in the server) */
    public LimitRules(Function<String, Optional<String>> lookup) {
        this.lookup = lookup;
        for (TrafficControl.Kind kind : TrafficControl.Kind.values()) {
            defaultLimit(kind); // invalid defaults stop the start
        }
        defaultConcurrency();
    }

    /** The limit of {@code kind} for a caller of this domain and organization (either may be null). */
    public Limit limit(TrafficControl.Kind kind, String domain, String organization) {
        String key = kind.key() + '\n' + domain + '\n' + organization;
        Limit cached = limits.get(key);
        if (cached != null) {
            return cached;
        }
        Limit defaults = defaultLimit(kind);
        long capacity = resolve(kind.key() + ".limit", domain, organization, LimitRules::capacity).orElse(defaults.capacity());
        Duration window = resolve(kind.key() + ".window", domain, organization, LimitRules::window).orElse(defaults.window());
        Limit limit = capacity == 0 ? Limit.NONE : new Limit(capacity, window);
        remember(limits, key, limit);
        return limit;
    }

    /** The most deliveries at once to an agent of this domain and organization; 0: no cap. */
    public int deliveryConcurrency(String domain, String organization) {
        String key = domain + '\n' + organization;
        Integer cached = caps.get(key);
        if (cached != null) {
            return cached;
        }
        int cap = resolve(DELIVERY + ".concurrency", domain, organization, LimitRules::concurrency).orElse(defaultConcurrency());
        remember(caps, key, cap);
        return cap;
    }

    private Limit defaultLimit(TrafficControl.Kind kind) {
        long capacity = capacity(required(PREFIX + kind.key() + ".limit"), PREFIX + kind.key() + ".limit");
        Duration window = window(required(PREFIX + kind.key() + ".window"), PREFIX + kind.key() + ".window");
        return capacity == 0 ? Limit.NONE : new Limit(capacity, window);
    }

    private int defaultConcurrency() {
        String name = PREFIX + DELIVERY + ".concurrency";
        return concurrency(required(name), name);
    }

    private String required(String name) {
        return lookup.apply(name).filter(value -> !value.isBlank())
                .orElseThrow(() -> new IllegalStateException(name + " is not set"));
    }

    /** The organization's value, else the domain's, else none; an invalid override is logged and skipped. */
    private <T> Optional<T> resolve(String property, String domain, String organization, Parser<T> parser) {
        for (String scope : scopes(domain, organization)) {
            String name = PREFIX + scope + property;
            Optional<String> value = lookup.apply(name).filter(text -> !text.isBlank());
            if (value.isPresent()) {
                try {
                    return Optional.of(parser.parse(value.get(), name));
                } catch (IllegalStateException e) {
                    LOG.severe(() -> e.getMessage() + "; the next setting applies instead");
                }
            }
        }
        return Optional.empty();
    }

    private static List<String> scopes(String domain, String organization) {
        if (organization != null && domain != null) {
            return List.of("organization." + organization + ".", "domain." + domain + ".");
        }
        if (organization != null) {
            return List.of("organization." + organization + ".");
        }
        return domain != null ? List.of("domain." + domain + ".") : List.of();
    }

    private static <V> void remember(Map<String, V> cache, String key, V value) {
        if (cache.size() >= MAX_CACHED) {
            cache.clear(); // bounded; recomputed on demand
        }
        cache.put(key, value);
    }

    @FunctionalInterface
    private interface Parser<T> {
        T parse(String value, String name);
    }

    static long capacity(String value, String name) {
        try {
            long capacity = Long.parseLong(value.strip());
            if (capacity >= 0 && capacity <= 1_000_000_000_000L) {
                return capacity;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new IllegalStateException(name + " must be a whole number 0 (no limit) to 10^12, was '" + value + "'");
    }

    static Duration window(String value, String name) {
        try {
            Duration window = Duration.parse(value.strip());
            if (window.compareTo(MIN_WINDOW) >= 0 && window.compareTo(MAX_WINDOW) <= 0) {
                return window;
            }
        } catch (DateTimeParseException e) {
            // below
        }
        throw new IllegalStateException(name + " must be an ISO-8601 duration from PT1S to P1D, was '" + value + "'");
    }

    static int concurrency(String value, String name) {
        try {
            int cap = Integer.parseInt(value.strip());
            if (cap >= 0 && cap <= 10_000) {
                return cap;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new IllegalStateException(name + " must be a whole number 0 (no cap) to 10000, was '" + value + "'");
    }

    /**
     * The domain and organization an agent:// or agw:// URI names ({@code <scheme>://<domain>/<organization,
     * percent-encoded>/<name>}, docs/aca.md); nulls for what it does not name.
     */
    public static String[] domainAndOrganization(String uri) {
        if (uri == null) {
            return new String[] {null, null};
        }
        try {
            URI parsed = new URI(uri);
            String[] path = parsed.getRawPath() == null ? new String[0] : parsed.getRawPath().split("/", -1);
            String organization = path.length == 3 && !path[1].isEmpty() ? URLDecoder.decode(path[1], StandardCharsets.UTF_8) : null;
            return new String[] {parsed.getHost(), organization};
        } catch (URISyntaxException | IllegalArgumentException e) {
            return new String[] {null, null};
        }
    }
}
