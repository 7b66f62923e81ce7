package org.agentnet.aca;

import jakarta.ejb.Stateless;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.math.BigInteger;
import java.time.Instant;
import java.util.List;

/**
 * Revocation data read from the database as it is now: what the CRL lists and what OCSP answers.
 * Reads run in a transaction (joined or begun): an entity manager used without one is closed by
 * Liberty's local transaction cleanup, which cannot enlist the connection again (J2CA0026E).
 */
@Stateless
public class RevokedCertificates {

    /** Serials are at most 20 octets (RFC 5280 4.1.2.2): 40 hex digits, the column's width. */
    static final int MAX_SERIAL_BITS = 160;

    @PersistenceContext(unitName = "agentnet")
    EntityManager em;

    /** Revoked certificates that have not expired at {@code now}, oldest revocation first: the CRL's entries. */
    public List<RevokedEntry> unexpired(Instant now) {
        return em.createQuery("select c from IssuedCertificate c where c.revokedAt is not null and c.notAfter >= :now"
                        + " order by c.revokedAt, c.serial", IssuedCertificate.class)
                .setParameter("now", now)
                .getResultStream()
                .map(RevokedEntry::of)
                .toList();
    }

    /** The status of a serial this CA may have issued, read live (a revocation counts once committed). */
    public SerialStatus statusOf(BigInteger serial) {
        if (serial == null || serial.signum() <= 0 || serial.bitLength() > MAX_SERIAL_BITS) {
            return SerialStatus.UNKNOWN; // never a serial of ours
        }
        return SerialStatus.of(em.find(IssuedCertificate.class, IssuedCertificate.serialText(serial)));
    }
}
