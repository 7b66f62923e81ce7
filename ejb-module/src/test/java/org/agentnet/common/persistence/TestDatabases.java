package org.agentnet.common.persistence;

import static org.junit.jupiter.api.Assertions.fail;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.apache.derby.jdbc.EmbeddedDataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Throw-away databases for tests of the schema and of code that talks JDBC: an in-memory Derby
 * database always, a fresh PostgreSQL database when the build runs with {@code -Dagentnet.db=postgresql}
 * (and then an unreachable PostgreSQL fails the test).
 */
public final class TestDatabases {

    static {
        // keep derby.log out of the module's folder
        if (System.getProperty("derby.stream.error.file") == null) {
            System.setProperty("derby.stream.error.file", "target/derby.log");
        }
    }

    private TestDatabases() {
    }

    /** The database kinds this run covers: Derby always, PostgreSQL when asked for. */
    public static Stream<Kind> databases() {
        String wanted = System.getProperty("agentnet.db", "derby").trim();
        return switch (wanted) {
            case "", "derby" -> Stream.of(Kind.DERBY);
            case "postgresql" -> Stream.of(Kind.DERBY, Kind.POSTGRESQL);
            default -> throw new IllegalStateException("agentnet.db must be derby or postgresql, was '" + wanted + "'");
        };
    }

    /** A database that exists for one test and is dropped after it. */
    public interface TestDatabase extends AutoCloseable {
        DataSource dataSource();

        @Override
        void close() throws SQLException;
    }

    public enum Kind {
        DERBY {
            @Override
            public TestDatabase create() {
                String name = "memory:agentnet_unit_" + randomSuffix();
                EmbeddedDataSource dataSource = new EmbeddedDataSource();
                dataSource.setDatabaseName(name);
                dataSource.setCreateDatabase("create");
                return new TestDatabase() {
                    @Override
                    public DataSource dataSource() {
                        return dataSource;
                    }

                    @Override
                    public void close() throws SQLException {
                        EmbeddedDataSource drop = new EmbeddedDataSource();
                        drop.setDatabaseName(name);
                        drop.setConnectionAttributes("drop=true");
                        try {
                            drop.getConnection().close();
                            fail("Derby did not drop " + name);
                        } catch (SQLException dropped) {
                            if (!"08006".equals(dropped.getSQLState())) { // 08006: database dropped
                                throw dropped;
                            }
                        }
                    }
                };
            }
        },
        POSTGRESQL {
            @Override
            public TestDatabase create() throws SQLException {
                String host = env("PGHOST", "127.0.0.1");
                int port = Integer.parseInt(env("PGPORT", "5432"));
                String user = env("PGUSER", "postgres");
                String name = "agentnet_unit_" + randomSuffix();
                PGSimpleDataSource admin = postgres(host, port, user, "postgres");
                try (Connection connection = admin.getConnection(); Statement statement = connection.createStatement()) {
                    statement.execute("CREATE DATABASE " + name);
                } catch (SQLException unreachable) {
                    throw new SQLException("agentnet.db=postgresql but PostgreSQL at " + host + ":" + port + " as "
                            + user + " cannot create a database (run scripts/postgresql-setup.sh): "
                            + unreachable.getMessage(), unreachable.getSQLState(), unreachable);
                }
                PGSimpleDataSource dataSource = postgres(host, port, user, name);
                return new TestDatabase() {
                    @Override
                    public DataSource dataSource() {
                        return dataSource;
                    }

                    @Override
                    public void close() throws SQLException {
                        try (Connection connection = admin.getConnection();
                             Statement statement = connection.createStatement()) {
                            statement.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
                        }
                    }
                };
            }

            private PGSimpleDataSource postgres(String host, int port, String user, String database) {
                PGSimpleDataSource dataSource = new PGSimpleDataSource();
                dataSource.setServerNames(new String[] {host});
                dataSource.setPortNumbers(new int[] {port});
                dataSource.setUser(user);
                dataSource.setDatabaseName(database);
                dataSource.setConnectTimeout(10);
                dataSource.setLoginTimeout(10);
                return dataSource;
            }

            private String env(String name, String fallback) {
                String value = System.getenv(name);
                return value == null || value.isBlank() ? fallback : value;
            }
        };

        public abstract TestDatabase create() throws SQLException;

        private static String randomSuffix() {
            return Long.toHexString(new SecureRandom().nextLong() & Long.MAX_VALUE);
        }
    }
}
