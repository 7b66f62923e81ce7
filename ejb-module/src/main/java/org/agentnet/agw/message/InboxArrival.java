package org.agentnet.agw.message;

/** Fired (CDI event) when a message was put in a pulling agent's inbox; observed after commit to wake its long-polls. */
public record InboxArrival(String targetId) {
}
