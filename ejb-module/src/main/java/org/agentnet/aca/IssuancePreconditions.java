package org.agentnet.aca;

import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;
import org.agentnet.common.error.AgentnetException;
import org.agentnet.common.error.ProblemType;

/**
 * The database reads before an application is prepared, in one short read-only transaction (the
 * application itself is prepared outside any transaction, see CertificateApplicationService):
 * the key must not be claimed, and the enrollment token must exist. Without a transaction, an
 * entity manager on Liberty logs DSRA9400E with a stack trace each time it lets its connection go.
 */
@Stateless
public class IssuancePreconditions {

    @EJB
    KeyClaims claims;

    @EJB
    EnrollmentTokens tokens;

    /** Refuses a claimed key (409). */
    public void requireNewKey(String keyFingerprint) {
        if (claims.claimed(keyFingerprint)) {
            throw new AgentnetException(ProblemType.DUPLICATE_KEY, KeyClaims.DUPLICATE);
        }
    }

    /** Refuses a claimed key (409) or an unknown token (403); the token, detached, for its checks. */
    public EnrollmentToken tokenForNewKey(String tokenHash, String keyFingerprint) {
        requireNewKey(keyFingerprint);
        return tokens.find(tokenHash)
                .orElseThrow(() -> new AgentnetException(ProblemType.INVALID_ENROLLMENT_TOKEN, "unknown enrollment token"));
    }
}
