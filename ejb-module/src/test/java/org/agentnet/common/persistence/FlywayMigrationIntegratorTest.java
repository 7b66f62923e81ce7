package org.agentnet.common.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import jakarta.persistence.Column;
import java.lang.reflect.Field;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.agentnet.agw.policy.AccessPolicy;
import org.agentnet.agw.policy.PeerAgreement;
import org.agentnet.agw.policy.PolicyState;
import org.agentnet.common.jobs.ScheduledJobRecord;
import org.agentnet.common.persistence.TestDatabases.Kind;
import org.agentnet.common.persistence.TestDatabases.TestDatabase;
import org.agentnet.node.diagnostics.RelayProbe;
import org.agentnet.node.diagnostics.RelayProbeState;
import org.flywaydb.core.api.output.MigrateResult;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Applies the real migrations of the database module. Always on an in-memory Derby database; also
 * on a throw-away PostgreSQL database when the build runs with {@code -Dagentnet.db=postgresql},
 * and then an unreachable PostgreSQL fails the build.
 */
class FlywayMigrationIntegratorTest {

    static {
        // keep derby.log out of the module's folder
        if (System.getProperty("derby.stream.error.file") == null) {
            System.setProperty("derby.stream.error.file", "target/derby.log");
        }
    }

    /** The database kinds this run covers: Derby always, PostgreSQL when asked for. */
    static Stream<Kind> databases() {
        return TestDatabases.databases();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void createsTheTablesWithTheExpectedColumns(Kind kind) throws Exception {
        try (TestDatabase db = kind.create()) {
            MigrateResult result = FlywayMigrationIntegrator.migrate(db.dataSource());

            assertTrue(result.success);
            assertTrue(result.migrationsExecuted >= 1, "migrations applied: " + result.migrationsExecuted);
            assertNotNull(result.targetSchemaVersion);

            try (Connection connection = db.dataSource().getConnection()) {
                assertEquals(expectedScheduledJob(), columns(connection, "scheduled_job"));
                assertEquals(expectedRelayProbe(), columns(connection, "relay_probe"));
                assertEquals(List.of("name"), primaryKey(connection, "scheduled_job"));
                assertEquals(List.of("id"), primaryKey(connection, "relay_probe"));
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void theEntitiesMatchTheMigratedTables(Kind kind) throws Exception {
        try (TestDatabase db = kind.create()) {
            FlywayMigrationIntegrator.migrate(db.dataSource());
            try (Connection connection = db.dataSource().getConnection()) {
                assertEntityMatches(ScheduledJobRecord.class, columns(connection, "scheduled_job"));
                assertEntityMatches(RelayProbe.class, columns(connection, "relay_probe"));
                assertEntityMatches(AccessPolicy.class, columns(connection, "agw_policy"));
                assertEntityMatches(PeerAgreement.class, columns(connection, "agw_peer_agreement"));
                assertEntityMatches(PolicyState.class, columns(connection, "agw_policy_state"));
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void thePolicyChangeCounterStartsAtZeroAndPolicyNamesAreUnique(Kind kind) throws Exception {
        try (TestDatabase db = kind.create()) {
            FlywayMigrationIntegrator.migrate(db.dataSource());
            try (Connection connection = db.dataSource().getConnection();
                 Statement statement = connection.createStatement()) {
                try (ResultSet row = statement.executeQuery("SELECT id, changes FROM agw_policy_state")) {
                    assertTrue(row.next());
                    assertEquals(1, row.getInt(1));
                    assertEquals(0, row.getLong(2));
                    assertTrue(!row.next(), "one row");
                }
                String insert = "INSERT INTO agw_policy (id, name, effect, actions, subjects, objects, enabled, created_at,"
                        + " updated_at, updated_by, version) VALUES ('%s', 'same', '%s', 'MESSAGE', '[]', '[]', 1,"
                        + " CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 'test', 0)";
                statement.executeUpdate(insert.formatted(UUID.randomUUID(), "DENY"));
                SQLException duplicate = assertThrows(SQLException.class,
                        () -> statement.executeUpdate(insert.formatted(UUID.randomUUID(), "DENY")));
                assertTrue(duplicate.getSQLState().startsWith("23"), duplicate.toString());
                SQLException effect = assertThrows(SQLException.class,
                        () -> statement.executeUpdate(insert.replace("'same'", "'other'").formatted(UUID.randomUUID(), "MAYBE")));
                assertTrue(effect.getSQLState().startsWith("23"), effect.toString());
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void migratingAgainAppliesNothing(Kind kind) throws Exception {
        try (TestDatabase db = kind.create()) {
            MigrateResult first = FlywayMigrationIntegrator.migrate(db.dataSource());
            assertTrue(first.migrationsExecuted >= 1);

            MigrateResult second = FlywayMigrationIntegrator.migrate(db.dataSource());

            assertTrue(second.success);
            assertEquals(0, second.migrationsExecuted);
            assertEquals(first.targetSchemaVersion, second.initialSchemaVersion);
            try (Connection connection = db.dataSource().getConnection()) {
                assertEquals(expectedRelayProbe(), columns(connection, "relay_probe"));
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void relayProbeStateRefusesAnUnknownState(Kind kind) throws Exception {
        try (TestDatabase db = kind.create()) {
            FlywayMigrationIntegrator.migrate(db.dataSource());
            try (Connection connection = db.dataSource().getConnection()) {
                for (RelayProbeState state : RelayProbeState.values()) {
                    insertProbe(connection, state.name()); // every state of the entity is allowed
                }

                SQLException refused = assertThrows(SQLException.class, () -> insertProbe(connection, "LOST"));

                assertTrue(refused.getSQLState() != null && refused.getSQLState().startsWith("23"),
                        "an integrity constraint violation, was SQLState " + refused.getSQLState() + ": " + refused);
                assertThrows(SQLException.class, () -> insertProbe(connection, "sent"), "the check is case-sensitive");
                try (Statement statement = connection.createStatement();
                     ResultSet count = statement.executeQuery("SELECT COUNT(*) FROM relay_probe")) {
                    count.next();
                    assertEquals(RelayProbeState.values().length, count.getInt(1));
                }
            }
        }
    }

    // -- expectations

    /** name -> type, size (0 when not checked), nullable */
    private record ColumnSpec(int type, int size, boolean nullable) {
    }

    private static Map<String, ColumnSpec> expectedScheduledJob() {
        Map<String, ColumnSpec> columns = new LinkedHashMap<>();
        columns.put("name", new ColumnSpec(Types.VARCHAR, 64, false));
        columns.put("interval_seconds", new ColumnSpec(Types.BIGINT, 0, false));
        columns.put("fire_count", new ColumnSpec(Types.BIGINT, 0, false));
        columns.put("last_started_at", new ColumnSpec(Types.TIMESTAMP, 0, true));
        columns.put("last_finished_at", new ColumnSpec(Types.TIMESTAMP, 0, true));
        columns.put("last_outcome", new ColumnSpec(Types.VARCHAR, 16, true));
        columns.put("last_error", new ColumnSpec(Types.VARCHAR, 1000, true));
        columns.put("version", new ColumnSpec(Types.BIGINT, 0, false));
        return columns;
    }

    private static Map<String, ColumnSpec> expectedRelayProbe() {
        Map<String, ColumnSpec> columns = new LinkedHashMap<>();
        columns.put("id", new ColumnSpec(Types.VARCHAR, 36, false));
        columns.put("requested_at", new ColumnSpec(Types.TIMESTAMP, 0, false));
        columns.put("requested_by", new ColumnSpec(Types.VARCHAR, 128, false));
        columns.put("fail_deliveries", new ColumnSpec(Types.INTEGER, 0, false));
        columns.put("state", new ColumnSpec(Types.VARCHAR, 16, false));
        columns.put("delivery_attempts", new ColumnSpec(Types.INTEGER, 0, false));
        columns.put("settled_at", new ColumnSpec(Types.TIMESTAMP, 0, true));
        columns.put("version", new ColumnSpec(Types.BIGINT, 0, false));
        return columns;
    }

    /** Every mapped field has its column; a String column is as long as the entity declares. */
    private static void assertEntityMatches(Class<?> entity, Map<String, ColumnSpec> table) {
        int mapped = 0;
        for (Field field : entity.getDeclaredFields()) {
            Column column = field.getAnnotation(Column.class);
            if (column == null) {
                continue;
            }
            mapped++;
            ColumnSpec spec = table.get(column.name());
            assertNotNull(spec, entity.getSimpleName() + "." + field.getName() + " has no column " + column.name());
            if (field.getType() == String.class || field.getType().isEnum()) {
                assertEquals(column.length(), spec.size(), "length of " + column.name());
            }
            if (!column.nullable()) {
                assertEquals(false, spec.nullable(), column.name() + " is NOT NULL");
            }
        }
        assertEquals(table.size(), mapped, entity.getSimpleName() + " maps every column of its table");
    }

    // -- database helpers

    private static Map<String, ColumnSpec> columns(Connection connection, String table) throws SQLException {
        DatabaseMetaData meta = connection.getMetaData();
        Map<String, ColumnSpec> columns = new LinkedHashMap<>();
        try (ResultSet rs = meta.getColumns(null, connection.getSchema(), identifier(meta, table), null)) {
            while (rs.next()) {
                int type = rs.getInt("DATA_TYPE");
                int size = type == Types.VARCHAR ? rs.getInt("COLUMN_SIZE") : 0;
                columns.put(rs.getString("COLUMN_NAME").toLowerCase(Locale.ROOT),
                        new ColumnSpec(type, size, "YES".equals(rs.getString("IS_NULLABLE"))));
            }
        }
        assertTrue(!columns.isEmpty(), "table " + table + " exists in schema " + connection.getSchema());
        return columns;
    }

    private static List<String> primaryKey(Connection connection, String table) throws SQLException {
        DatabaseMetaData meta = connection.getMetaData();
        List<String> key = new ArrayList<>();
        try (ResultSet rs = meta.getPrimaryKeys(null, connection.getSchema(), identifier(meta, table))) {
            while (rs.next()) {
                key.add(rs.getString("COLUMN_NAME").toLowerCase(Locale.ROOT));
            }
        }
        return key;
    }

    private static String identifier(DatabaseMetaData meta, String name) throws SQLException {
        return meta.storesUpperCaseIdentifiers() ? name.toUpperCase(Locale.ROOT) : name.toLowerCase(Locale.ROOT);
    }

    private static void insertProbe(Connection connection, String state) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO relay_probe (id, requested_at, requested_by, fail_deliveries, state,"
                        + " delivery_attempts, settled_at, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            insert.setString(1, UUID.randomUUID().toString());
            insert.setTimestamp(2, Timestamp.from(Instant.parse("2025-01-01T00:00:00Z")));
            insert.setString(3, "unit-test");
            insert.setInt(4, 0);
            insert.setString(5, state);
            insert.setInt(6, 0);
            insert.setTimestamp(7, null);
            insert.setLong(8, 0);
            insert.executeUpdate();
        }
    }
}
