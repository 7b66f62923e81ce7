package org.agentnet.ars;

/** What the latest change of an agent was, as the change feed reports it. */
public enum ChangeKind {
    REGISTERED, UPDATED, STATUS, DEREGISTERED
}
