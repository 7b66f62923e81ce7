package org.agentnet.common.config;

import java.util.Locale;

/**
 * How strict the node is about its own set-up ({@code agentnet.mode}): {@code development} (the
 * default) makes what is missing (an operator password is generated and printed once);
 * {@code production} refuses to start on a set-up that is only fit for trying the node out, such
 * as an operator account whose password nobody chose (docs/security.md "Production mode").
 */
public enum RunMode {
    DEVELOPMENT, PRODUCTION;

    public static final String KEY = "agentnet.mode";

    public static RunMode parse(String value) {
        String text = value == null ? "" : value.strip().toUpperCase(Locale.ROOT);
        if (text.isEmpty()) {
            return DEVELOPMENT;
        }
        try {
            return valueOf(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(KEY + " must be development or production, was '" + value + "'");
        }
    }
}
