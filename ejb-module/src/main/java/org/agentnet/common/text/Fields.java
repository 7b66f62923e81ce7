package org.agentnet.common.text;

import java.util.List;
import java.util.regex.Pattern;
import org.agentnet.common.error.AgentnetException;
import org.agentnet.common.error.ProblemType;

/**
 * Checks of the fields a client sends, each failing with a {@code validation-failed} problem
 * that names the field: shared by every component's domain records, so that a record that exists
 * holds valid values.
 */
public final class Fields {

    private Fields() {
    }

    public static void require(boolean condition, String detail) {
        if (!condition) {
            throw new AgentnetException(ProblemType.VALIDATION_FAILED, detail);
        }
    }

    /** A required text of at most {@code max} characters without control characters, stripped. */
    public static String printable(String field, String value, int max) {
        require(value != null && !value.isBlank(), field + " is required");
        return optionalPrintable(field, value, max);
    }

    /** Like {@link #printable}, but null or blank is allowed (and becomes null). */
    public static String optionalPrintable(String field, String value, int max) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String trimmed = value.strip();
        require(trimmed.length() <= max, field + " is longer than " + max + " characters");
        require(trimmed.codePoints().noneMatch(Fields::isControl), field + " contains control characters");
        return trimmed;
    }

    /** Whether a code point is a control or formatting character (never accepted in text fields). */
    public static boolean isControl(int codePoint) {
        return Character.isISOControl(codePoint) || Character.getType(codePoint) == Character.FORMAT;
    }

    /** A list of at most {@code max} distinct entries, each matching {@code pattern}. */
    public static List<String> tokens(String field, List<String> values, Pattern pattern, int max) {
        require(values != null, field + " is required");
        require(values.size() <= max, field + " has more than " + max + " entries");
        for (String value : values) {
            require(value != null && pattern.matcher(value).matches(), field + " entry '" + value + "' is not allowed");
        }
        require(values.stream().distinct().count() == values.size(), field + " has duplicate entries");
        return List.copyOf(values);
    }
}
