package org.agentnet.common.persistence;

import java.util.logging.Logger;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.hibernate.boot.Metadata;
import org.hibernate.boot.spi.BootstrapContext;
import org.hibernate.engine.jdbc.connections.spi.ConnectionProvider;
import org.hibernate.engine.spi.SessionFactoryImplementor;
import org.hibernate.integrator.spi.Integrator;
import org.hibernate.service.spi.SessionFactoryServiceRegistry;

/**
 * Applies the Flyway migrations of the {@code database} module while Hibernate builds the
 * persistence unit: integrators run before Hibernate validates the schema
 * ({@code hibernate.hbm2ddl.auto=validate}), so the schema is always migrated first, on the
 * very data source the persistence unit uses. Registered through
 * {@code META-INF/services/org.hibernate.integrator.spi.Integrator}.
 * <p>
 * Liberty serves class path folders in a form Flyway can only scan when the folder holds a
 * marker file, hence the empty {@code db/migration/flyway.location}.
 */
public class FlywayMigrationIntegrator implements Integrator {

    private static final Logger LOG = Logger.getLogger(FlywayMigrationIntegrator.class.getName());

    /** Where the database module keeps its versioned scripts. */
    public static final String MIGRATIONS = "classpath:db/migration";

    @Override
    public void integrate(Metadata metadata, BootstrapContext bootstrapContext,
                          SessionFactoryImplementor sessionFactory) {
        DataSource dataSource = sessionFactory.getServiceRegistry()
                .requireService(ConnectionProvider.class)
                .unwrap(DataSource.class);
        migrate(dataSource);
    }

    /** Brings the schema behind {@code dataSource} to the newest version; used at start and by tests. */
    public static MigrateResult migrate(DataSource dataSource) {
        MigrateResult result = Flyway.configure(FlywayMigrationIntegrator.class.getClassLoader())
                .dataSource(dataSource)
                .locations(MIGRATIONS)
                .callbackLocations(MIGRATIONS)
                .failOnMissingLocations(true)
                // Liberty's persistent timer store may create its TIMERS_* tables in the same
                // schema before the application first starts: start the history at version 0
                // then instead of refusing a "non-empty schema"
                .baselineOnMigrate(true)
                .baselineVersion("0")
                .validateMigrationNaming(true)
                .load()
                .migrate();
        LOG.info(() -> result.migrationsExecuted == 0 ? "Database schema is up to date"
                : "Database schema migrated to version " + result.targetSchemaVersion + " ("
                + result.migrationsExecuted + " migrations applied)");
        return result;
    }

    @Override
    public void disintegrate(SessionFactoryImplementor sessionFactory, SessionFactoryServiceRegistry serviceRegistry) {
        // nothing to release
    }
}
