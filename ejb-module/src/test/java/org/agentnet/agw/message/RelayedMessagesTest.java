package org.agentnet.agw.message;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.persistence.EntityManager;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import org.agentnet.aca.AcaDerby;
import org.junit.jupiter.api.Test;

/**
 * The statements of the relay's outbox that read or change several rows at once (one statement per
 * batch instead of one per message), on Derby: the group commit's check of taken IDs, the locked read
 * of a batch, the claim of owed receipts and the settling of sent ones.
 */
class RelayedMessagesTest {

    private static final Instant NOW = Instant.parse("2026-11-27T12:40:00.123Z");
    private static final Instant CLAIM = NOW.plusSeconds(140);
    private static final String PEER = "agw://b.example/gateway";

    @Test
    void aTakenIdIsRefusedAloneAndTheOtherRowsOfTheBatchAreStored() {
        try (AcaDerby db = new AcaDerby(RelayedMessage.class)) {
            String taken = UUID.randomUUID().toString();
            db.inTransaction(em -> {
                em.persist(row(taken, null, "first"));
                return null;
            });
            String before = UUID.randomUUID().toString();
            String after = UUID.randomUUID().toString();

            List<RuntimeException> results = with(db, m -> m.addAll(List.of(row(before, null, "new"), row(taken, null, "repeat"),
                    row(after, null, "new"))));

            assertNull(results.get(0));
            assertInstanceOf(RelayedMessages.TakenId.class, results.get(1));
            assertNull(results.get(2));
            Map<String, RelayedMessage> stored = with(db, m -> m.findAll(List.of(before, taken, after)));
            assertEquals(Set.of(before, taken, after), stored.keySet());
            assertEquals("jws-first", stored.get(taken).jws(), "the stored message is left as it was");
        }
    }

    @Test
    void aBatchIsReadLockedInOneGoAndAMissingIdIsLeftOut() {
        try (AcaDerby db = new AcaDerby(RelayedMessage.class)) {
            List<String> ids = List.of(UUID.randomUUID().toString(), UUID.randomUUID().toString(), UUID.randomUUID().toString());
            db.inTransaction(em -> {
                ids.forEach(id -> em.persist(row(id, null, "x")));
                return null;
            });
            String missing = UUID.randomUUID().toString();

            Map<String, RelayedMessage> locked = with(db, m -> m.findAllForUpdate(List.of(ids.get(2), missing, ids.get(0), ids.get(1))));

            assertEquals(new HashSet<>(ids), locked.keySet());
            assertEquals(Map.of(), with(db, m -> m.findAllForUpdate(List.of())));
        }
    }

    @Test
    void owedReceiptsAreClaimedTogetherAndOnlyOnce() {
        try (AcaDerby db = new AcaDerby(RelayedMessage.class)) {
            List<String> owed = List.of(UUID.randomUUID().toString(), UUID.randomUUID().toString(), UUID.randomUUID().toString());
            String notYet = UUID.randomUUID().toString();
            db.inTransaction(em -> {
                for (String id : owed) {
                    RelayedMessage row = row(id, PEER, "x");
                    row.receiptOwed(NOW.minusSeconds(1));
                    em.persist(row);
                }
                RelayedMessage later = row(notYet, PEER, "x");
                later.receiptOwed(NOW.plusSeconds(60));
                em.persist(later);
                return null;
            });

            List<String> claimed = with(db, m -> m.claimReceipts(NOW, CLAIM, 500));
            assertEquals(new HashSet<>(owed), new HashSet<>(claimed));
            assertEquals(List.of(), with(db, m -> m.claimReceipts(NOW, CLAIM.plusSeconds(1), 500)), "claimed receipts are not due");
            Map<String, RelayedMessage> rows = with(db, m -> m.findAll(List.of(owed.get(0), notYet)));
            assertEquals(CLAIM, rows.get(owed.get(0)).receiptDue());
            assertEquals(NOW.plusSeconds(60), rows.get(notYet).receiptDue());
        }
    }

    @Test
    void sentReceiptsAreSettledOnlyWhileTheClaimHoldsAndRetriesAreDueAgain() {
        try (AcaDerby db = new AcaDerby(RelayedMessage.class)) {
            String sent = UUID.randomUUID().toString();
            String sentToo = UUID.randomUUID().toString();
            String retried = UUID.randomUUID().toString();
            String reclaimed = UUID.randomUUID().toString();
            db.inTransaction(em -> {
                for (String id : List.of(sent, sentToo, retried)) {
                    RelayedMessage row = row(id, PEER, "x");
                    row.receiptOwed(CLAIM);
                    em.persist(row);
                }
                RelayedMessage other = row(reclaimed, PEER, "x");
                other.receiptOwed(CLAIM.plusSeconds(140)); // its claim ran out and another dispatcher holds it now
                em.persist(other);
                return null;
            });
            Map<String, Instant> outcomes = new HashMap<>();
            outcomes.put(sent, null);
            outcomes.put(sentToo, null);
            outcomes.put(reclaimed, null);
            outcomes.put(retried, NOW.plusSeconds(2));

            with(db, m -> {
                m.receiptOutcomes(outcomes, CLAIM);
                return null;
            });

            Map<String, RelayedMessage> rows = with(db, m -> m.findAll(List.of(sent, sentToo, retried, reclaimed)));
            assertNull(rows.get(sent).receiptDue());
            assertNull(rows.get(sentToo).receiptDue());
            assertEquals(NOW.plusSeconds(2), rows.get(retried).receiptDue());
            assertEquals(1, rows.get(retried).receiptAttempts());
            assertEquals(CLAIM.plusSeconds(140), rows.get(reclaimed).receiptDue(), "another claim's receipt is left alone");
            assertTrue(rows.values().stream().allMatch(r -> r.state() == MessageState.ACCEPTED));
        }
    }

    @Test
    void theTakenIdsOfABatchAreReadWithoutTheirRows() {
        try (AcaDerby db = new AcaDerby(RelayedMessage.class)) {
            String held = UUID.randomUUID().toString();
            db.inTransaction(em -> {
                em.persist(row(held, PEER, "held"));
                return null;
            });

            assertEquals(Set.of(held), with(db, m -> m.takenIds(List.of(UUID.randomUUID().toString(), held))));
            assertEquals(Set.of(), with(db, m -> m.takenIds(List.of(UUID.randomUUID().toString()))));
            assertEquals(Set.of(), with(db, m -> m.takenIds(List.of())));
        }
    }

    @Test
    void anUpdateWritesTheStateAndLeavesWhatTheMessageIsAsItWas() throws Exception {
        try (AcaDerby db = new AcaDerby(RelayedMessage.class)) {
            String id = UUID.randomUUID().toString();
            db.inTransaction(em -> {
                em.persist(row(id, PEER, "signed"));
                return null;
            });
            java.lang.reflect.Field jws = RelayedMessage.class.getDeclaredField("jws");
            jws.setAccessible(true);

            db.inTransaction(em -> {
                RelayedMessage managed = em.find(RelayedMessage.class, id);
                managed.forwarded("peer-1", NOW.plusSeconds(1));
                try {
                    jws.set(managed, "jws-changed"); // no method does this; were the column updatable, the flush would write it
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
                return null;
            });

            RelayedMessage stored = with(db, m -> m.find(id)).orElseThrow();
            assertEquals(MessageState.FORWARDED, stored.state());
            assertEquals("peer-1", stored.hop());
            assertEquals("jws-signed", stored.jws());
        }
    }

    private static <T> T with(AcaDerby db, Function<RelayedMessages, T> work) {
        return db.inTransaction((EntityManager em) -> {
            RelayedMessages messages = new RelayedMessages();
            messages.em = em;
            return work.apply(messages);
        });
    }

    private static RelayedMessage row(String id, String receivedFrom, String jws) {
        MessageClaims claims = new MessageClaims(id, true, UUID.randomUUID().toString(), null, "text/plain", NOW.getEpochSecond(),
                "jti-" + id);
        return RelayedMessage.accepted(SignedMessage.of(claims, null, "agent://a.example/test/sender", "chain", "jws-" + jws),
                receivedFrom, NOW, CLAIM);
    }
}
