package org.agentnet.aca;

import java.util.Arrays;
import java.util.Optional;

/**
 * RFC 5280 CRLReason codes (5.3.1); 7 is unused. Accepted by the RFC's name (keyCompromise),
 * the constant's name (KEY_COMPROMISE, as EJBCA spells them) or the code.
 */
public enum RevocationReason {
    UNSPECIFIED(0, "unspecified"),
    KEY_COMPROMISE(1, "keyCompromise"),
    CA_COMPROMISE(2, "cACompromise"),
    AFFILIATION_CHANGED(3, "affiliationChanged"),
    SUPERSEDED(4, "superseded"),
    CESSATION_OF_OPERATION(5, "cessationOfOperation"),
    CERTIFICATE_HOLD(6, "certificateHold"),
    REMOVE_FROM_CRL(8, "removeFromCRL"),
    PRIVILEGE_WITHDRAWN(9, "privilegeWithdrawn"),
    AA_COMPROMISE(10, "aACompromise");

    private final int code;
    private final String rfcName;

    RevocationReason(int code, String rfcName) {
        this.code = code;
        this.rfcName = rfcName;
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
        String given = text.strip();
        return Arrays.stream(values())
                .filter(r -> r.name().equalsIgnoreCase(given) || r.rfcName.equalsIgnoreCase(given)
                        || String.valueOf(r.code).equals(given))
                .findFirst();
    }
}
