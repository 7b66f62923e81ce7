package org.agentnet.aca;

import jakarta.ejb.Stateless;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The certificates the ACA issued. */
@Stateless
public class IssuedCertificates {

    @PersistenceContext(unitName = "agentnet")
    EntityManager em;

    @Inject
    Clock clock;

    /** Records a certificate just signed. */
    public IssuedCertificate record(org.bouncycastle.cert.X509CertificateHolder x509, AgentIdentity identity, String keyFingerprint, String agentUri,
                                    String applicationId, String renewedFrom) {
        IssuedCertificate certificate = IssuedCertificate.of(x509, identity, keyFingerprint, agentUri, applicationId,
                renewedFrom, clock.instant());
        em.persist(certificate);
        return certificate;
    }

    public Optional<IssuedCertificate> find(String serial) {
        return Optional.ofNullable(em.find(IssuedCertificate.class, serial));
    }

    /** Unrevoked certificates that expire between the two instants, soonest first. */
    public List<IssuedCertificate> expiringBetween(Instant from, Instant to, int limit) {
        return em.createQuery("select c from IssuedCertificate c where c.revokedAt is null"
                        + " and c.notAfter > :from and c.notAfter <= :to order by c.notAfter, c.serial", IssuedCertificate.class)
                .setParameter("from", from).setParameter("to", to).setMaxResults(limit).getResultList();
    }

    /** Whether any certificate, whatever its state, was ever issued for this key. */
    public boolean keyUsed(String keyFingerprint) {
        return !em.createQuery("select c.serial from IssuedCertificate c where c.keyFingerprint = :key", String.class)
                .setParameter("key", keyFingerprint).setMaxResults(1).getResultList().isEmpty();
    }
}
