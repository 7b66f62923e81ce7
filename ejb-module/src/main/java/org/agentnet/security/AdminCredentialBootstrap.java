package org.agentnet.security;

import jakarta.annotation.PostConstruct;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Makes sure the operator account {@code admin} of Liberty's basic registry has a password that
 * was never committed. server.xml declares the registry without users; this writes the user into
 * {@code configDropins/overrides/admin-user.xml}, which Liberty merges and applies at once:
 * <ul>
 * <li>with {@code AGENTNET_ADMIN_PASSWORD} in the environment, the file only refers to that
 *     variable, so the secret stays out of every file;</li>
 * <li>otherwise, on first start, a random password is generated, written there (owner-only) and
 *     printed once in the log; later starts keep it.</li>
 * </ul>
 */
@Singleton
@Startup
public class AdminCredentialBootstrap {

    private static final Logger LOG = Logger.getLogger(AdminCredentialBootstrap.class.getName());

    public static final String PASSWORD_ENV = "AGENTNET_ADMIN_PASSWORD";
    static final String ADMIN_USER = "admin";
    static final String OPERATORS_GROUP = "operators";
    static final String FILE_NAME = "admin-user.xml";
    private static final String ENV_REFERENCE = "${env." + PASSWORD_ENV + "}";

    @Inject
    @ConfigProperty(name = "agentnet.server.config.dir")
    Optional<String> serverConfigDir;

    private final Map<String, String> environment;

    public AdminCredentialBootstrap() {
        this(System.getenv());
    }

    AdminCredentialBootstrap(Map<String, String> environment) {
        this.environment = environment;
    }

    @PostConstruct
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    void ensureAdminUser() {
        if (serverConfigDir.isEmpty()) {
            LOG.warning("agentnet.server.config.dir is not set: the admin user must be configured in server.xml");
            return;
        }
        ensureAdminUser(ServerFiles.overrides(serverConfigDir.get(), FILE_NAME));
    }

    /** @return the password generated now, or null when none had to be generated */
    String ensureAdminUser(Path file) {
        String fromEnvironment = environment.get(PASSWORD_ENV);
        try {
            if (fromEnvironment != null && !fromEnvironment.isBlank()) {
                ServerFiles.write(file, registryXml(ENV_REFERENCE));
                LOG.info(() -> "operator account '" + ADMIN_USER + "' uses the password in " + PASSWORD_ENV);
                return null;
            }
            if (Files.exists(file) && !Files.readString(file, StandardCharsets.UTF_8).contains(ENV_REFERENCE)) {
                return null; // generated on an earlier start
            }
            String generated = generatePassword();
            ServerFiles.write(file, registryXml(generated));
            LOG.warning("Generated the password of operator account '" + ADMIN_USER + "': " + generated
                    + "  (printed this once; stored owner-readable in " + file
                    + "; set " + PASSWORD_ENV + " to choose your own)");
            return generated;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the operator account to " + file, e);
        }
    }

    static String generatePassword() {
        byte[] bytes = new byte[18];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static String registryXml(String password) {
        return """
                <?xml version="1.0" encoding="UTF-8"?>
                <!-- Written by agentnet at start (AdminCredentialBootstrap). Never commit this file. -->
                <server>
                    <basicRegistry id="basic" realm="agentnet">
                        <user name="%s" password="%s"/>
                        <group name="%s">
                            <member name="%s"/>
                        </group>
                    </basicRegistry>
                </server>
                """.formatted(ADMIN_USER, password, OPERATORS_GROUP, ADMIN_USER);
    }
}
