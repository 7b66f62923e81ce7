package org.agentnet.common.persistence;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.Calendar;
import java.util.TimeZone;

/**
 * Instants in plain JDBC as Hibernate stores them here ({@code hibernate.jdbc.time_zone=UTC},
 * {@link UtcTimestampContributor}): a TIMESTAMP in UTC, read and written with a Calendar of its own
 * per value (Derby's driver sets the calendar's fields, so one shared calendar mixes the times of
 * concurrent threads).
 */
public final class UtcTimestamps {

    private static final TimeZone UTC = TimeZone.getTimeZone("UTC");

    private UtcTimestamps() {
    }

    /** Binds the instant (or SQL NULL) as a UTC timestamp. */
    public static void set(PreparedStatement statement, int index, Instant at) throws SQLException {
        if (at == null) {
            statement.setNull(index, Types.TIMESTAMP);
        } else {
            statement.setTimestamp(index, Timestamp.from(at), Calendar.getInstance(UTC));
        }
    }

    /** The UTC timestamp of the column as an instant, or null. */
    public static Instant get(ResultSet row, int column) throws SQLException {
        Timestamp at = row.getTimestamp(column, Calendar.getInstance(UTC));
        return at == null ? null : at.toInstant();
    }
}
