package org.agentnet.agw.policy;

/**
 * What an access policy governs (docs/agw.md "Access policies"): discovering an agent (it appears
 * in {@code GET /api/v1/ars/agents} and its profile and card can be read) and messaging it (relay:
 * {@code POST /api/v1/agw/messages} and, from a peer gateway, {@code POST /api/v1/agw/relay}).
 */
public enum PolicyAction {
    DISCOVER, MESSAGE
}
