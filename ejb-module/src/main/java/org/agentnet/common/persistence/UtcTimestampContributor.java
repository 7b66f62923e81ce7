package org.agentnet.common.persistence;

import java.sql.CallableStatement;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Calendar;
import java.util.TimeZone;
import java.util.logging.Logger;
import org.hibernate.boot.model.TypeContributions;
import org.hibernate.boot.model.TypeContributor;
import org.hibernate.service.ServiceRegistry;
import org.hibernate.type.SqlTypes;
import org.hibernate.type.descriptor.ValueBinder;
import org.hibernate.type.descriptor.ValueExtractor;
import org.hibernate.type.descriptor.WrapperOptions;
import org.hibernate.type.descriptor.java.JavaType;
import org.hibernate.type.descriptor.jdbc.BasicBinder;
import org.hibernate.type.descriptor.jdbc.BasicExtractor;
import org.hibernate.type.descriptor.jdbc.TimestampUtcAsJdbcTimestampJdbcType;
import org.hibernate.type.descriptor.jdbc.spi.JdbcTypeRegistry;

/**
 * Instants on a database without time zones (Derby) read and written with a UTC Calendar of their
 * own. Hibernate 6.6's type for them ({@link TimestampUtcAsJdbcTimestampJdbcType}) passes one static
 * Calendar to every {@code setTimestamp}/{@code getTimestamp}, and Derby's driver sets that
 * calendar's fields: two threads at once mixed their times, one got the date, hours, minutes or
 * seconds of the other and kept its own microseconds (an AGW peer's createdAt moved by +86 s,
 * -786 s, +28 min 14 s during the bad-input campaign; written back by the next update of the row).
 * Fixed upstream later (HHH-20355). Replaces that type only where the dialect chose it: PostgreSQL
 * binds an OffsetDateTime, without a calendar. Registered through
 * {@code META-INF/services/org.hibernate.boot.model.TypeContributor}.
 */
public class UtcTimestampContributor implements TypeContributor {

    private static final Logger LOG = Logger.getLogger(UtcTimestampContributor.class.getName());
    private static final TimeZone UTC = TimeZone.getTimeZone("UTC");

    @Override
    public void contribute(TypeContributions contributions, ServiceRegistry serviceRegistry) {
        JdbcTypeRegistry registry = contributions.getTypeConfiguration().getJdbcTypeRegistry();
        if (registry.findDescriptor(SqlTypes.TIMESTAMP_UTC) instanceof TimestampUtcAsJdbcTimestampJdbcType chosen
                && !(chosen instanceof OwnCalendar)) {
            registry.addDescriptor(OwnCalendar.INSTANCE);
            LOG.info("Instants are read and written with a UTC calendar per value (not Hibernate's shared one)");
        }
    }

    /** Hibernate's type with a new Calendar per value. */
    static final class OwnCalendar extends TimestampUtcAsJdbcTimestampJdbcType {

        static final OwnCalendar INSTANCE = new OwnCalendar();

        @Override
        public <X> ValueBinder<X> getBinder(JavaType<X> javaType) {
            return new BasicBinder<>(javaType, this) {
                @Override
                protected void doBind(PreparedStatement st, X value, int index, WrapperOptions options) throws SQLException {
                    st.setTimestamp(index, timestamp(javaType, value, options), Calendar.getInstance(UTC));
                }

                @Override
                protected void doBind(CallableStatement st, X value, String name, WrapperOptions options) throws SQLException {
                    st.setTimestamp(name, timestamp(javaType, value, options), Calendar.getInstance(UTC));
                }
            };
        }

        @Override
        public <X> ValueExtractor<X> getExtractor(JavaType<X> javaType) {
            return new BasicExtractor<>(javaType, this) {
                @Override
                protected X doExtract(ResultSet rs, int paramIndex, WrapperOptions options) throws SQLException {
                    return instant(javaType, rs.getTimestamp(paramIndex, Calendar.getInstance(UTC)), options);
                }

                @Override
                protected X doExtract(CallableStatement statement, int index, WrapperOptions options) throws SQLException {
                    return instant(javaType, statement.getTimestamp(index, Calendar.getInstance(UTC)), options);
                }

                @Override
                protected X doExtract(CallableStatement statement, String name, WrapperOptions options) throws SQLException {
                    return instant(javaType, statement.getTimestamp(name, Calendar.getInstance(UTC)), options);
                }
            };
        }

        private static <X> Timestamp timestamp(JavaType<X> javaType, X value, WrapperOptions options) {
            return Timestamp.from(javaType.unwrap(value, Instant.class, options));
        }

        private static <X> X instant(JavaType<X> javaType, Timestamp timestamp, WrapperOptions options) {
            return javaType.wrap(timestamp == null ? null : timestamp.toInstant(), options);
        }
    }
}
