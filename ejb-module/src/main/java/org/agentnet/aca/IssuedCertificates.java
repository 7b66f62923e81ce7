package org.agentnet.aca;

import jakarta.ejb.Stateless;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.util.Optional;

/** The certificates the ACA issued. */
@Stateless
public class IssuedCertificates {

    @PersistenceContext(unitName = "agentnet")
    EntityManager em;

    public void add(IssuedCertificate certificate) {
        em.persist(certificate);
    }

    public Optional<IssuedCertificate> find(String serial) {
        return Optional.ofNullable(em.find(IssuedCertificate.class, serial));
    }

    /** Whether any certificate, whatever its state, was ever issued for this key. */
    public boolean keyUsed(String keyFingerprint) {
        return !em.createQuery("select c.serial from IssuedCertificate c where c.keyFingerprint = :key", String.class)
                .setParameter("key", keyFingerprint).setMaxResults(1).getResultList().isEmpty();
    }
}
