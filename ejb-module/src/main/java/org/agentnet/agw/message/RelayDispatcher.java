package org.agentnet.agw.message;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.EJB;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.agentnet.common.config.Component;
import org.agentnet.common.config.NodeSettings;

/**
 * Tries relayed messages (docs/agw.md "Relay", "Retries and failure"): the {@code agw_message} rows
 * are the outbox. A message is tried by the node that holds its claim: the accepting node right after
 * the row committed ({@link MessageWriter} hands it over here), any node once it is due (a new message
 * whose node died, a retry after its back-off), claimed by the poller with a conditional update.
 * Worker threads take the claims queued meanwhile, up to {@code agentnet.agw.relay.batch-size}, and try
 * them in one transaction ({@link MessageDelivery#attempt}): one commit and, per peer, one relay call
 * for the lot. A claim lasts {@link RelaySettings#claimLease()}, longer than any try; a claim lost here
 * (a crash, a full queue) is taken again after it. Receipts owed to peers are sent by the receipt
 * thread ({@link ReceiptDelivery}), batched per peer.
 */
@Singleton
@Startup
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class RelayDispatcher {

    private static final Logger LOG = Logger.getLogger(RelayDispatcher.class.getName());
    private static final int QUEUE_CAPACITY = 100_000;
    private static final int POLL_BATCH = 500;

    /** A message claimed until {@code until} (the value of its next_attempt while claimed). */
    public record Claim(String id, Instant until) {
    }

    @Resource
    ManagedThreadFactory threads;

    @EJB
    MessageDelivery delivery;

    @EJB
    ReceiptDelivery receipts;

    @EJB
    RelayedMessages messages;

    @Inject
    RelaySettings settings;

    @Inject
    NodeSettings node;

    @Inject
    Clock clock;

    private final BlockingQueue<Claim> work = new LinkedBlockingQueue<>(QUEUE_CAPACITY);
    private final Semaphore receiptsOwed = new Semaphore(0);
    private final Semaphore pollNow = new Semaphore(0);
    private final List<Thread> running = new ArrayList<>();
    private final AtomicLong batches = new AtomicLong();
    private final AtomicLong tried = new AtomicLong();
    private volatile boolean closed;

    @PostConstruct
    void start() {
        for (int i = 0; i < settings.dispatchers(); i++) {
            running.add(thread("agw-relay-dispatcher-" + i, this::work));
        }
        running.add(thread("agw-relay-poller", this::poll));
        running.add(thread("agw-relay-receipts", this::sendReceipts));
        running.forEach(Thread::start);
    }

    @PreDestroy
    void stop() {
        closed = true;
        running.forEach(Thread::interrupt);
        for (Thread thread : running) {
            try {
                thread.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        // claims still queued are taken again by a poller once they run out
        LOG.info(() -> "relay dispatcher: " + tried.get() + " messages tried in " + batches.get() + " transactions; "
                + work.size() + " claims left to expire");
    }

    /** The claim of a message's row that is being (or about to be) committed now. */
    public Instant newClaim() {
        return clock.instant().plus(settings.claimLease()).truncatedTo(ChronoUnit.MILLIS);
    }

    /** Committed claims to try as soon as a worker is free; those that do not fit wait for their claim to run out. */
    public void dispatch(List<Claim> claims) {
        int refused = 0;
        String first = null;
        for (Claim claim : claims) {
            if (!work.offer(claim)) {
                refused++;
                first = first == null ? claim.id() : first;
            }
        }
        if (refused > 0) {
            int count = refused;
            String example = first;
            LOG.warning(() -> "relay dispatcher full (" + QUEUE_CAPACITY + " claims queued): " + count + " messages (" + example
                    + "...) are tried once their claims run out");
        }
    }

    /** Looks for due messages and owed receipts now (the recovery job, tests), besides the regular polls. */
    public void pollNow() {
        pollNow.release();
        receiptsOwed.release();
    }

    private Thread thread(String name, Runnable loop) {
        Thread thread = threads.newThread(loop);
        thread.setName(name);
        thread.setDaemon(true);
        return thread;
    }

    private void work() {
        List<Claim> batch = new ArrayList<>(settings.batchSize());
        while (!closed) {
            Claim first;
            try {
                first = work.poll(500, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                continue;
            }
            if (first == null) {
                continue;
            }
            batch.clear();
            batch.add(first);
            work.drainTo(batch, settings.batchSize() - 1);
            attempt(List.copyOf(batch));
        }
    }

    /** One transaction for the batch; one that fails as a whole is tried message by message. */
    private void attempt(List<Claim> batch) {
        try {
            if (delivery.attempt(batch)) {
                receiptsOwed.release();
            }
            batches.incrementAndGet();
            tried.addAndGet(batch.size());
            return;
        } catch (RuntimeException e) {
            if (batch.size() == 1) {
                internalFailure(batch.get(0), e);
                return;
            }
            LOG.log(Level.FINE, "relay dispatcher: a batch of " + batch.size() + " failed; trying its messages one by one", e);
        }
        for (Claim claim : batch) {
            try {
                if (delivery.attempt(List.of(claim))) {
                    receiptsOwed.release();
                }
            } catch (RuntimeException e) {
                internalFailure(claim, e);
            }
        }
    }

    /** A try that failed inside this gateway counts as a try (recorded apart), so that a message never loops. */
    private void internalFailure(Claim claim, RuntimeException e) {
        LOG.log(Level.WARNING, "relayed message " + claim.id() + ": try failed inside the gateway", e);
        try {
            delivery.internalFailure(claim, e);
        } catch (RuntimeException again) {
            LOG.log(Level.WARNING, "relayed message " + claim.id() + ": failure not recorded; tried again after its claim", again);
        }
    }

    private void poll() {
        while (!closed) {
            try {
                pollNow.tryAcquire(settings.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
                pollNow.drainPermits();
                if (!node.isEnabled(Component.AGW)) {
                    continue;
                }
                List<String> claimed;
                do {
                    int room = Math.min(POLL_BATCH, work.remainingCapacity());
                    if (room == 0) {
                        break; // the workers are behind: what is due waits for the next poll
                    }
                    Instant until = newClaim();
                    claimed = messages.claimDue(clock.instant(), until, room);
                    dispatch(claimed.stream().map(id -> new Claim(id, until)).toList());
                } while (claimed.size() == POLL_BATCH && !closed);
            } catch (InterruptedException e) {
                // closing, or woken
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "relay dispatcher: polling for due messages failed; again in " + settings.pollInterval(), e);
            }
        }
    }

    private void sendReceipts() {
        while (!closed) {
            try {
                receiptsOwed.tryAcquire(settings.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
                receiptsOwed.drainPermits();
                if (!node.isEnabled(Component.AGW)) {
                    continue;
                }
                List<String> claimed;
                do {
                    Instant until = newClaim();
                    claimed = messages.claimReceipts(clock.instant(), until, POLL_BATCH);
                    if (!claimed.isEmpty()) {
                        receipts.send(claimed, until);
                    }
                } while (claimed.size() == POLL_BATCH && !closed);
            } catch (InterruptedException e) {
                // closing, or woken
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "relay dispatcher: sending receipts failed; again in " + settings.pollInterval(), e);
            }
        }
    }

    /** For tests and logs: messages tried, transactions. */
    public long[] statistics() {
        return new long[] {tried.get(), batches.get()};
    }
}
