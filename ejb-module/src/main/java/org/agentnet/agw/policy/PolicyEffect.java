package org.agentnet.agw.policy;

/** Whether a matching policy allows or denies; a matching DENY always wins (docs/agw.md "Evaluation"). */
public enum PolicyEffect {
    ALLOW, DENY
}
