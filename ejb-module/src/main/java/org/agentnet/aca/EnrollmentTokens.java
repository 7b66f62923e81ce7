package org.agentnet.aca;

import jakarta.ejb.Stateless;
import jakarta.persistence.EntityManager;
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

    /** The token, read without a lock. */
    public Optional<EnrollmentToken> find(String tokenHash) {
        return em.createQuery("select t from EnrollmentToken t where t.tokenHash = :hash", EnrollmentToken.class)
                .setParameter("hash", tokenHash)
                .getResultStream().findFirst();
    }
}
