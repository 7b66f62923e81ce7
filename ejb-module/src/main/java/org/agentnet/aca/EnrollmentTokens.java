package org.agentnet.aca;

import jakarta.ejb.Stateless;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceContext;
import java.util.Optional;

/** Enrollment tokens, found by the hash of the token. */
@Stateless
public class EnrollmentTokens {

    @PersistenceContext(unitName = "agentnet")
    EntityManager em;

    public void add(EnrollmentToken token) {
        em.persist(token);
    }

    /** The token, locked: a token can be redeemed by one application only, even under concurrency. */
    public Optional<EnrollmentToken> findForRedemption(String tokenHash) {
        return em.createQuery("select t from EnrollmentToken t where t.tokenHash = :hash", EnrollmentToken.class)
                .setParameter("hash", tokenHash)
                .setLockMode(LockModeType.PESSIMISTIC_WRITE)
                .getResultStream().findFirst();
    }
}
