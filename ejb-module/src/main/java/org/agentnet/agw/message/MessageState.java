package org.agentnet.agw.message;

/**
 * Where a relayed message stands at this gateway (docs/agw.md "Relay"): ACCEPTED (stored and queued,
 * being delivered or waiting for its next try), FORWARDED (the next gateway accepted it), INBOX (in a
 * pulling target's inbox, not yet acknowledged), DELIVERED (the target's endpoint answered 2xx, or the
 * pulling target acknowledged it; at the origin also when the next gateway reported delivery), FAILED
 * (given up, with the reason).
 */
public enum MessageState {
    ACCEPTED, FORWARDED, INBOX, DELIVERED, FAILED;

    /** Whether nothing more is done with the message at this gateway (INBOX waits for the target). */
    public boolean settled() {
        return this == FORWARDED || this == DELIVERED || this == FAILED;
    }
}
