package org.agentnet.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * The caching both revocation sources of other domains share (CRLs: {@link CrlCache}; OCSP answers:
 * {@link OcspCache}): a value fetched from another domain is kept until the instant its loader says
 * it goes stale, and loaded again in the background from {@code refreshAhead} before that (or from
 * half its life, when that is later), so that requests keep being answered from memory. Only the
 * first request for a key (or one after the value went stale) waits for the fetch, at most
 * {@code fetchTimeout}; concurrent requests for one key share one fetch. A failed load is not
 * tried again for {@code retryAfter}. At most {@code maxEntries} values are kept, least recently
 * used go first.
 */
final class RefreshingCache<T> {

    private static final Logger LOG = Logger.getLogger(RefreshingCache.class.getName());

    /** A loaded value and the instant from which it no longer counts. */
    record Fresh<T>(T value, Instant until) {
    }

    private record Entry<T>(T value, Instant loadedAt, Instant until) {
    }

    private final Clock clock;
    private final Duration refreshAhead;
    private final Duration retryAfter;
    private final Duration fetchTimeout;
    private final Map<String, Entry<T>> values;
    private final Map<String, Instant> failures;
    private final Map<String, CompletableFuture<Fresh<T>>> inFlight = new ConcurrentHashMap<>();
    private final Set<String> refreshing = ConcurrentHashMap.newKeySet();

    RefreshingCache(Clock clock, int maxEntries, Duration refreshAhead, Duration retryAfter, Duration fetchTimeout) {
        this.clock = clock;
        this.refreshAhead = refreshAhead;
        this.retryAfter = retryAfter;
        this.fetchTimeout = fetchTimeout;
        this.values = bounded(maxEntries);
        this.failures = bounded(maxEntries);
    }

    private static <V> Map<String, V> bounded(int max) {
        return new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
                return size() > max;
            }
        };
    }

    /**
     * The fresh value of {@code key}, from memory or loaded with {@code loader} (whose future fails
     * with a {@link RevocationUnavailable} saying why, or with the fetch's own error).
     *
     * @param what names the source in messages, e.g. "the CRL at http://..."
     */
    T get(String key, String what, Supplier<CompletableFuture<Fresh<T>>> loader) throws RevocationUnavailable {
        Instant now = clock.instant();
        Entry<T> cached;
        synchronized (values) {
            cached = values.get(key);
        }
        if (cached != null && now.isBefore(cached.until())) {
            if (!now.isBefore(refreshFrom(cached))) {
                refreshInBackground(key, what, loader);
            }
            return cached.value();
        }
        Instant failedAt;
        synchronized (failures) {
            failedAt = failures.get(key);
        }
        if (failedAt != null && now.isBefore(failedAt.plus(retryAfter))) {
            throw new RevocationUnavailable(what + " could not be fetched at " + failedAt + "; next try after "
                    + failedAt.plus(retryAfter));
        }
        CompletableFuture<Fresh<T>> mine = new CompletableFuture<>();
        CompletableFuture<Fresh<T>> running = inFlight.putIfAbsent(key, mine);
        if (running == null) {
            running = mine;
            load(key, what, loader).whenComplete((loaded, error) -> {
                inFlight.remove(key, mine);
                if (error == null) {
                    mine.complete(loaded);
                } else {
                    mine.completeExceptionally(error);
                }
            });
        }
        try {
            return running.get(fetchTimeout.toMillis(), TimeUnit.MILLISECONDS).value();
        } catch (ExecutionException e) {
            throw unavailable(e.getCause(), what);
        } catch (TimeoutException e) {
            throw new RevocationUnavailable(what + " did not answer within " + fetchTimeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RevocationUnavailable("interrupted while fetching " + what);
        }
    }

    /** How many values are cached now. */
    int size() {
        synchronized (values) {
            return values.size();
        }
    }

    /** Refresh from refreshAhead before the end, but not in the first half of the value's life. */
    private Instant refreshFrom(Entry<T> entry) {
        Instant ahead = entry.until().minus(refreshAhead);
        Instant half = entry.loadedAt().plus(Duration.between(entry.loadedAt(), entry.until()).dividedBy(2));
        return ahead.isAfter(half) ? ahead : half;
    }

    private void refreshInBackground(String key, String what, Supplier<CompletableFuture<Fresh<T>>> loader) {
        if (!refreshing.add(key)) {
            return;
        }
        load(key, what, loader).whenComplete((loaded, error) -> {
            refreshing.remove(key);
            if (error != null) {
                LOG.warning(() -> "refreshing " + what + " ahead of time failed (the current answer is used until it goes stale): "
                        + unavailable(error, what).getMessage());
            }
        });
    }

    /** Loads and caches the value; records a failure when it cannot be had. */
    private CompletableFuture<Fresh<T>> load(String key, String what, Supplier<CompletableFuture<Fresh<T>>> loader) {
        Instant loadedAt = clock.instant();
        CompletableFuture<Fresh<T>> loading;
        try {
            loading = loader.get();
        } catch (RuntimeException e) {
            loading = CompletableFuture.failedFuture(e);
        }
        return loading.handle((fresh, error) -> {
            if (error != null) {
                synchronized (failures) {
                    failures.put(key, clock.instant());
                }
                throw new CompletionException(unavailable(error, what));
            }
            synchronized (values) {
                values.put(key, new Entry<>(fresh.value(), loadedAt, fresh.until()));
            }
            synchronized (failures) {
                failures.remove(key);
            }
            return fresh;
        });
    }

    private static RevocationUnavailable unavailable(Throwable error, String what) {
        Throwable cause = error;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause instanceof RevocationUnavailable unavailable ? unavailable
                : new RevocationUnavailable(what + " could not be fetched: " + cause);
    }
}
