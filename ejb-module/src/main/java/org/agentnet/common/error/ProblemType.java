package org.agentnet.common.error;

/**
 * The stable kinds of error the public API reports, each an RFC 9457 problem type.
 * The {@code slug} becomes the problem's {@code type} URI ({@link #uri()}); clients may
 * switch on it. New components add their own constants here.
 */
public enum ProblemType {
    // generic types, one per HTTP status (forStatus picks these)
    BAD_REQUEST("bad-request", 400, "Bad request", true),
    UNAUTHORIZED("unauthorized", 401, "Authentication required", true),
    FORBIDDEN("forbidden", 403, "Not permitted", true),
    NOT_FOUND("not-found", 404, "Resource not found", true),
    METHOD_NOT_ALLOWED("method-not-allowed", 405, "Method not allowed", true),
    NOT_ACCEPTABLE("not-acceptable", 406, "Not acceptable", true),
    CONFLICT("conflict", 409, "Conflict", true),
    PAYLOAD_TOO_LARGE("payload-too-large", 413, "Request body too large", true),
    UNSUPPORTED_MEDIA_TYPE("unsupported-media-type", 415, "Unsupported media type", true),
    TOO_MANY_REQUESTS("too-many-requests", 429, "Too many requests", true),
    INTERNAL_ERROR("internal-error", 500, "Internal server error", true),
    SERVICE_UNAVAILABLE("service-unavailable", 503, "Service unavailable", true),

    // specific types
    MALFORMED_BODY("malformed-body", 400, "Malformed request body", false),
    VALIDATION_FAILED("validation-failed", 400, "Request validation failed", false),
    COMPONENT_DISABLED("component-disabled", 404, "Component not enabled on this node", false),
    // ACA
    INVALID_CSR("invalid-csr", 400, "Invalid certificate signing request", false),
    KEY_NOT_PERMITTED("key-not-permitted", 400, "Key or signature algorithm not permitted", false),
    DUPLICATE_KEY("duplicate-key", 409, "Public key already in use", false),
    POLICY_VIOLATION("policy-violation", 403, "Not permitted by policy", false),
    INVALID_ENROLLMENT_TOKEN("invalid-enrollment-token", 403, "Invalid enrollment token", false),
    INVALID_STATE("invalid-state", 409, "Not possible in the current state", false),
    // identity of a caller presenting a client certificate (every component)
    IDENTITY_NOT_VERIFIED("identity-not-verified", 401, "Identity not verified", false),
    IDENTITY_MISMATCH("identity-mismatch", 403, "Identity does not match the certificate", false),
    WRONG_CERTIFICATE_ROLE("wrong-certificate-role", 403, "Certificate of another role", false),
    // conditional requests (ETag / If-Match)
    PRECONDITION_FAILED("precondition-failed", 412, "Precondition failed", false),
    PRECONDITION_REQUIRED("precondition-required", 428, "Precondition required", false),
    // ARS
    UNKNOWN_AGENT("unknown-agent", 404, "Unknown agent", false),
    AGENT_DEREGISTERED("agent-deregistered", 410, "Agent deregistered", false),
    ALREADY_REGISTERED("already-registered", 409, "Agent already registered", false),
    UNKNOWN_PROTOCOL("unknown-protocol", 400, "Unknown protocol", false),
    REGISTRY_FULL("registry-full", 507, "Registry full", false),
    UNKNOWN_PEER("unknown-peer", 404, "Unknown peer", false),
    // security (trust bundle)
    INVALID_CERTIFICATE("invalid-certificate", 400, "Invalid certificate", false),
    // transport: agent, peer and operator APIs are served over HTTPS only
    HTTPS_REQUIRED("https-required", 403, "HTTPS required", false),
    // AGW (agent access and heartbeats)
    INVALID_SIGNATURE("invalid-signature", 401, "Invalid request signature", false),
    REQUEST_EXPIRED("request-expired", 401, "Signed request outside its time window", false),
    REPLAYED_REQUEST("replayed-request", 409, "Signed request already seen", false),
    NOT_ACCESSED("not-accessed", 404, "Agent has no access record at this gateway", false),
    // AGW (routing and relay)
    TARGET_UNREACHABLE("target-unreachable", 409, "Target agent not reachable through this gateway", false),
    UNKNOWN_MESSAGE("unknown-message", 404, "Unknown message", false),
    NOT_A_PEER("not-a-peer", 403, "Caller is not a peer gateway", false),
    SENDER_NOT_VERIFIED("sender-not-verified", 403, "Sender's certificate not verified", false),
    MESSAGE_ID_CONFLICT("message-id-conflict", 409, "Message ID already used by another message", false),
    // AGW peering
    INCOMPATIBLE_PROTOCOL("incompatible-protocol", 422, "No relay protocol version in common", false),
    // AGW access control (docs/agw.md "Access policies"): the detail never names the policy or the target's address
    ACCESS_DENIED("access-denied", 403, "Denied by access policy", false);

    /** Base of every problem type URI; documented in the README. */
    public static final String BASE_URI = "https://agentnet.org/problems/";

    private final String slug;
    private final int status;
    private final String title;
    private final boolean generic;

    ProblemType(String slug, int status, String title, boolean generic) {
        this.slug = slug;
        this.status = status;
        this.title = title;
        this.generic = generic;
    }

    public String slug() {
        return slug;
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    public String uri() {
        return BASE_URI + slug;
    }

    /** The generic type for an HTTP status that has no more specific type. */
    public static ProblemType forStatus(int status) {
        for (ProblemType type : values()) {
            if (type.generic && type.status == status) {
                return type;
            }
        }
        return status >= 500 ? INTERNAL_ERROR : BAD_REQUEST;
    }
}
