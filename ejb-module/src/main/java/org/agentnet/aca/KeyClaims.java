package org.agentnet.aca;

import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.time.Instant;
import org.agentnet.common.error.AgentnetException;
import org.agentnet.common.error.ProblemType;

/** The keys that are certified or awaiting approval ({@link KeyClaim}). */
@Stateless
public class KeyClaims {

    static final String DUPLICATE = "this public key is already certified or awaiting approval: every application needs a new key";

    @PersistenceContext(unitName = "agentnet")
    EntityManager em;

    /**
     * Whether the key is claimed; a read by primary key. Always in a transaction: on Liberty, an
     * entity manager used outside one logs DSRA9400E with a stack trace when it lets its connection
     * go, which cost more than the whole issuance (measured).
     */
    public boolean claimed(String keyFingerprint) {
        return em.find(KeyClaim.class, keyFingerprint) != null;
    }

    /** Claims a key that must be new; refused (409) when it is claimed. The primary key decides races. */
    @TransactionAttribute(TransactionAttributeType.MANDATORY)
    public void claimNew(String keyFingerprint, Instant at) {
        if (claimed(keyFingerprint)) {
            throw new AgentnetException(ProblemType.DUPLICATE_KEY, DUPLICATE);
        }
        em.persist(new KeyClaim(keyFingerprint, at));
    }

    /** Claims a key unless it is claimed already (a key certified again for the same holder: the node's own). */
    @TransactionAttribute(TransactionAttributeType.MANDATORY)
    public void claimIfAbsent(String keyFingerprint, Instant at) {
        if (!claimed(keyFingerprint)) {
            em.persist(new KeyClaim(keyFingerprint, at));
        }
    }

    /** Gives a key up (its application was rejected): it may apply again. */
    @TransactionAttribute(TransactionAttributeType.MANDATORY)
    public void release(String keyFingerprint) {
        em.createQuery("delete from KeyClaim k where k.keyFingerprint = :key")
                .setParameter("key", keyFingerprint).executeUpdate();
    }
}
