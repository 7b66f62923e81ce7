package org.agentnet.web.traffic;

import java.util.function.BiConsumer;
import org.agentnet.agw.traffic.TrafficControl;

/**
 * The headers of draft-ietf-httpapi-ratelimit-headers (the {@code RateLimit-Limit},
 * {@code -Remaining}, {@code -Reset} form, with {@code RateLimit-Policy} naming the window) for an
 * admission with a quota, and {@code Retry-After} (RFC 9110) on a refusal.
 */
public final class RateLimitHeaders {

    public static final String LIMIT = "RateLimit-Limit";
    public static final String REMAINING = "RateLimit-Remaining";
    public static final String RESET = "RateLimit-Reset";
    public static final String POLICY = "RateLimit-Policy";
    public static final String RETRY_AFTER = "Retry-After";

    private RateLimitHeaders() {
    }

    public static void write(TrafficControl.Admission admission, BiConsumer<String, Object> header) {
        TrafficControl.Quota quota = admission.quota();
        if (quota != null) {
            header.accept(LIMIT, quota.limit());
            header.accept(REMAINING, quota.remaining());
            header.accept(RESET, quota.resetSeconds());
            header.accept(POLICY, quota.limit() + ";w=" + quota.windowSeconds());
        }
        if (!admission.admitted() && admission.retryAfterSeconds() > 0) {
            header.accept(RETRY_AFTER, admission.retryAfterSeconds());
        }
    }
}
