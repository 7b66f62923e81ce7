package org.agentnet.aca;

import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Set;
import org.agentnet.common.error.AgentnetException;
import org.agentnet.common.error.ProblemType;

/** Operators create single-use enrollment tokens; the token itself is shown once, only its hash is kept. */
@Stateless
public class EnrollmentTokenService {

    /** A created token: the secret to hand to the agent's developer, and its record. */
    public record CreatedToken(String token, EnrollmentToken record) {
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    @EJB
    EnrollmentTokens tokens;

    @EJB
    AuditTrail audit;

    @Inject
    AcaSettings settings;

    @Inject
    Clock clock;

    public CreatedToken create(String organization, CertificateProfile profile, Set<String> functionTypes,
                               Set<String> permissionScope, Duration validity, String operator) {
        if (validity.isNegative() || validity.isZero() || validity.compareTo(settings.maxTokenValidity()) > 0) {
            throw new AgentnetException(ProblemType.VALIDATION_FAILED,
                    "validity must be positive and at most " + settings.maxTokenValidity());
        }
        if (functionTypes.isEmpty() || permissionScope.isEmpty()) {
            throw new AgentnetException(ProblemType.VALIDATION_FAILED, "functionTypes and permissionScope must not be empty");
        }
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        Instant now = clock.instant();
        EnrollmentToken record = new EnrollmentToken(hash(token), organization, profile, functionTypes, permissionScope,
                operator, now, now.plus(validity));
        tokens.add(record);
        audit.record(operator, AuditEvent.Action.TOKEN_CREATED, "enrollment-token", record.id(),
                organization + " " + profile + " until " + record.expiresAt());
        return new CreatedToken(token, record);
    }

    static String hash(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
