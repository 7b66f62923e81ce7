package org.agentnet.aca;

import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceContext;
import java.time.Instant;
import java.util.Optional;

/**
 * The persisted CRL number. Each number is taken in its own transaction, committed before the
 * CRL that carries it is published, so that a number is never handed out twice, even by nodes
 * sharing the database (the row is locked; the first row's creation races are settled by its
 * primary key, and the caller retries).
 */
@Stateless
@TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
public class CrlStates {

    @PersistenceContext(unitName = "agentnet")
    EntityManager em;

    /** Records a CRL issued for this window and returns its number: 1 the first time, then one more each time. */
    public long next(Instant thisUpdate, Instant nextUpdate) {
        CrlState state = em.find(CrlState.class, CrlState.ID, LockModeType.PESSIMISTIC_WRITE);
        if (state == null) {
            state = CrlState.first(thisUpdate, nextUpdate);
            em.persist(state);
            em.flush(); // a concurrent first creation fails here, on the primary key
            return state.crlNumber();
        }
        return state.advance(thisUpdate, nextUpdate);
    }

    public Optional<CrlState> current() {
        return Optional.ofNullable(em.find(CrlState.class, CrlState.ID));
    }
}
