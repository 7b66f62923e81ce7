package org.agentnet.aca;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** RFC 5280 CRLReason codes (5.3.1); 7 is unused. Names as EJBCA spells them in its REST API. */
public enum RevocationReason {
    UNSPECIFIED(0),
    KEY_COMPROMISE(1),
    CA_COMPROMISE(2),
    AFFILIATION_CHANGED(3),
    SUPERSEDED(4),
    CESSATION_OF_OPERATION(5),
    CERTIFICATE_HOLD(6),
    REMOVE_FROM_CRL(8),
    PRIVILEGES_WITHDRAWN(9),
    AA_COMPROMISE(10);

    private final int code;

    RevocationReason(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** Whether a holder or operator may revoke with this reason (no holds, no CA-level reasons). */
    public boolean requestable() {
        return this != CERTIFICATE_HOLD && this != REMOVE_FROM_CRL && this != CA_COMPROMISE && this != AA_COMPROMISE;
    }

    /** By name (KEY_COMPROMISE, keyCompromise) or by code ("1"). */
    public static Optional<RevocationReason> parse(String text) {
        if (text == null || text.isBlank()) {
            return Optional.empty();
        }
        String normalized = text.strip().replaceAll("([a-z])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT);
        return Arrays.stream(values())
                .filter(r -> r.name().equals(normalized) || String.valueOf(r.code).equals(normalized))
                .findFirst();
    }
}
