package org.agentnet.common.config;

import java.util.Locale;

/** The components of the draft (section 2.1) that a node can run; each can be switched off. */
public enum Component {
    ACA, ARS, AGW, TASK;

    /** The MicroProfile Config key that switches the component on or off. */
    public String enabledKey() {
        return "agentnet." + id() + ".enabled";
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
