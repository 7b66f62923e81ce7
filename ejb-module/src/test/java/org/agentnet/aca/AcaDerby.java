package org.agentnet.aca;

import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.SharedCacheMode;
import jakarta.persistence.ValidationMode;
import jakarta.persistence.spi.ClassTransformer;
import jakarta.persistence.spi.PersistenceUnitInfo;
import jakarta.persistence.spi.PersistenceUnitTransactionType;
import java.net.URL;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Function;
import javax.sql.DataSource;
import org.apache.derby.jdbc.EmbeddedDataSource;
import org.hibernate.jpa.HibernatePersistenceProvider;
import org.hibernate.type.descriptor.WrapperOptions;
import org.hibernate.type.descriptor.java.JavaType;
import org.hibernate.type.format.FormatMapper;

/**
 * An in-memory Derby database with the real schema (Flyway migrations) and a resource-local
 * persistence unit over the given entities, for tests of the ACA's database side (and of other
 * components': {@code AgwPeerTimesOnDerbyTest}).
 */
public final class AcaDerby implements AutoCloseable {

    static {
        if (System.getProperty("derby.stream.error.file") == null) {
            System.setProperty("derby.stream.error.file", "target/derby.log");
        }
    }

    private final String databaseName = "memory:aca" + UUID.randomUUID().toString().replace("-", "");
    public final EntityManagerFactory factory;

    public AcaDerby(Class<?>... entities) {
        EmbeddedDataSource dataSource = new EmbeddedDataSource();
        dataSource.setDatabaseName(databaseName);
        dataSource.setCreateDatabase("create");
        factory = new HibernatePersistenceProvider().createContainerEntityManagerFactory(unit(dataSource, List.of(entities)), Map.of());
    }

    /** Runs the work in a transaction of a new entity manager and commits it (rolls back on failure). */
    public <T> T inTransaction(Function<EntityManager, T> work) {
        EntityManager em = factory.createEntityManager();
        try {
            em.getTransaction().begin();
            T result = work.apply(em);
            em.getTransaction().commit();
            return result;
        } finally {
            if (em.getTransaction().isActive()) {
                em.getTransaction().rollback();
            }
            em.close();
        }
    }

    @Override
    public void close() {
        factory.close();
        EmbeddedDataSource drop = new EmbeddedDataSource();
        drop.setDatabaseName(databaseName);
        drop.setConnectionAttributes("drop=true");
        try (Connection ignored = drop.getConnection()) {
            // dropping answers with an exception
        } catch (SQLException expected) {
            // 08006: database dropped
        }
    }

    /** No entity here has JSON columns. */
    private static final FormatMapper NO_FORMAT_MAPPER = new FormatMapper() {
        @Override
        public <T> T fromString(CharSequence text, JavaType<T> type, WrapperOptions options) {
            throw new UnsupportedOperationException();
        }

        @Override
        public <T> String toString(T value, JavaType<T> type, WrapperOptions options) {
            throw new UnsupportedOperationException();
        }
    };

    /** The persistence unit of persistence.xml, reduced to what these tests use and made resource-local. */
    private static PersistenceUnitInfo unit(DataSource dataSource, List<Class<?>> classes) {
        Properties properties = new Properties();
        properties.setProperty("hibernate.hbm2ddl.auto", "validate");
        properties.setProperty("hibernate.jdbc.time_zone", "UTC");
        properties.setProperty("hibernate.jdbc.batch_size", "50");
        properties.setProperty("hibernate.order_inserts", "true");
        // the Jakarta JSON-B API is on the test class path without an implementation (the server has one)
        properties.put("hibernate.type.json_format_mapper", NO_FORMAT_MAPPER);
        return new PersistenceUnitInfo() {
            @Override
            public String getPersistenceUnitName() {
                return "aca-test";
            }

            @Override
            public String getPersistenceProviderClassName() {
                return HibernatePersistenceProvider.class.getName();
            }

            @Override
            public PersistenceUnitTransactionType getTransactionType() {
                return PersistenceUnitTransactionType.RESOURCE_LOCAL;
            }

            @Override
            public DataSource getJtaDataSource() {
                return null;
            }

            @Override
            public DataSource getNonJtaDataSource() {
                return dataSource;
            }

            @Override
            public List<String> getMappingFileNames() {
                return List.of();
            }

            @Override
            public List<URL> getJarFileUrls() {
                return List.of();
            }

            @Override
            public URL getPersistenceUnitRootUrl() {
                return null;
            }

            @Override
            public List<String> getManagedClassNames() {
                return classes.stream().map(Class::getName).toList();
            }

            @Override
            public boolean excludeUnlistedClasses() {
                return true;
            }

            @Override
            public SharedCacheMode getSharedCacheMode() {
                return SharedCacheMode.NONE;
            }

            @Override
            public ValidationMode getValidationMode() {
                return ValidationMode.NONE;
            }

            @Override
            public Properties getProperties() {
                return properties;
            }

            @Override
            public String getPersistenceXMLSchemaVersion() {
                return "3.0";
            }

            @Override
            public ClassLoader getClassLoader() {
                return AcaDerby.class.getClassLoader();
            }

            @Override
            public void addTransformer(ClassTransformer transformer) {
                // no enhancement in tests
            }

            @Override
            public ClassLoader getNewTempClassLoader() {
                return null;
            }
        };
    }
}
