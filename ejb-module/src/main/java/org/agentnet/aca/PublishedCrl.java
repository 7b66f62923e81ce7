package org.agentnet.aca;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;
import org.agentnet.security.Pem;

/** A signed CRL as served: its DER, its number and validity window, and how many entries it lists. */
public record PublishedCrl(byte[] der, long number, Instant thisUpdate, Instant nextUpdate, int entries) {

    /** The PEM label of a CRL (RFC 7468 section 6). */
    public static final String PEM_LABEL = "X509 CRL";

    public PublishedCrl {
        Objects.requireNonNull(der, "der");
        Objects.requireNonNull(thisUpdate, "thisUpdate");
        Objects.requireNonNull(nextUpdate, "nextUpdate");
        der = der.clone();
    }

    @Override
    public byte[] der() {
        return der.clone();
    }

    public String pem() {
        return Pem.encode(PEM_LABEL, der);
    }

    /** Whether it is time for the next CRL: within {@code overlap} of nextUpdate, or past it. */
    public boolean isDue(Instant now, Duration overlap) {
        return !now.plus(overlap).isBefore(nextUpdate);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof PublishedCrl crl && number == crl.number && Arrays.equals(der, crl.der);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(number) * 31 + Arrays.hashCode(der);
    }

    @Override
    public String toString() {
        return "CRL #" + number + " (" + entries + " entries, " + thisUpdate + " to " + nextUpdate + ")";
    }
}
