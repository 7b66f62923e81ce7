package org.agentnet.web;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.agentnet.common.error.AgentnetException;
import org.agentnet.common.error.ProblemType;

/**
 * The opaque paging cursor of every listing endpoint (DESIGN.md 5): the position after which
 * the next page starts, as base64url text. Clients must not build or read them.
 */
public final class Cursor {

    private static final char SEPARATOR = '\n';

    private Cursor() {
    }

    public static String encode(String... position) {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString(String.join(String.valueOf(SEPARATOR), position).getBytes(StandardCharsets.UTF_8));
    }

    /** The position's parts; a cursor that was not made by {@link #encode} is a 400 problem. */
    public static String[] decode(String cursor, int parts) {
        try {
            String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            String[] position = text.split(String.valueOf(SEPARATOR), -1);
            if (position.length != parts) {
                throw invalid();
            }
            return position;
        } catch (IllegalArgumentException e) {
            throw invalid();
        }
    }

    /** A position in a listing ordered by time, then id (the start: EPOCH and ""). */
    public record TimePosition(java.time.Instant at, String id) {
        public static final TimePosition START = new TimePosition(java.time.Instant.EPOCH, "");

        public String encode() {
            return Cursor.encode(at.toString(), id);
        }

        /** The position of a cursor, or the start when there is none. */
        public static TimePosition of(String cursor) {
            if (cursor == null) {
                return START;
            }
            String[] position = decode(cursor, 2);
            try {
                return new TimePosition(java.time.Instant.parse(position[0]), position[1]);
            } catch (java.time.format.DateTimeParseException e) {
                throw invalid();
            }
        }
    }

    public static AgentnetException invalid() {
        return new AgentnetException(ProblemType.VALIDATION_FAILED, "cursor is not a cursor this API gave out");
    }
}
