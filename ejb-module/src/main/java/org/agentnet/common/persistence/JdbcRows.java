package org.agentnet.common.persistence;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;

/**
 * One row's values bound to a plain JDBC statement's parameters, in order, as Hibernate binds
 * them here: strings (null: SQL NULL), enums by name, longs, and instants as UTC timestamps
 * ({@link #utc}, which keeps a null instant a timestamp's NULL).
 */
public final class JdbcRows {

    /** An instant (or null) to be bound as a UTC timestamp ({@link UtcTimestamps}). */
    public record Utc(Instant at) {
    }

    private JdbcRows() {
    }

    public static Utc utc(Instant at) {
        return new Utc(at);
    }

    public static void bind(PreparedStatement statement, Object... values) throws SQLException {
        for (int i = 0; i < values.length; i++) {
            Object value = values[i];
            if (value == null || value instanceof String) {
                statement.setString(i + 1, (String) value);
            } else if (value instanceof Utc time) {
                UtcTimestamps.set(statement, i + 1, time.at());
            } else if (value instanceof Enum<?> constant) {
                statement.setString(i + 1, constant.name());
            } else if (value instanceof Long number) {
                statement.setLong(i + 1, number);
            } else {
                throw new IllegalArgumentException("no JDBC binding for " + value.getClass().getName());
            }
        }
    }
}
