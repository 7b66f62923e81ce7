package org.agentnet.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A further agentnet node for tests that need more than one (ARS-ARS synchronization, two
 * domains peering through their gateways, a node killed and restarted): another Liberty server
 * in the build's Liberty install, running the same EAR and server configuration as the build's
 * node, with its own ports, its own database (a Derby database in its directory, or its own
 * PostgreSQL database on the PostgreSQL build), its own keystores and so its own ACA (or, made by
 * {@link #createSharingDatabase}, the build's node's database and ACA: a second node of its domain), and the
 * settings the test gives it as environment variables in its {@code server.env}
 * (MicroProfile Config: {@code AGENTNET_DOMAIN_NAME} for {@code agentnet.domain.name}).
 *
 * <p>The k-th peer node (k = 0, 1, ...) listens on {@code it.peer.port.base + 2k} (HTTP) and
 * {@code + 2k + 1} (HTTPS). {@link #create} always starts from nothing: an earlier node of that
 * name is stopped and deleted, its database dropped. The server stays on disk after the test
 * (its logs are evidence); {@code .ci/run} kills any server left running under its clone.
 */
public final class PeerNode implements AutoCloseable {

    /** How long a peer node may take to start: {@code -Dit.peer.start-patience} (ISO-8601), 4 minutes unless given. */
    private static final Duration START_PATIENCE = Duration.parse(System.getProperty("it.peer.start-patience", "PT4M"));
    /** How long a Liberty command (server start, stop) may take: {@code -Dit.peer.command-patience}, 3 minutes unless given. */
    private static final Duration COMMAND_PATIENCE = Duration.parse(System.getProperty("it.peer.command-patience", "PT3M"));

    private final String name;
    private final int httpPort;
    private final int httpsPort;
    private final Path serverDir;
    private final boolean sharing;

    private PeerNode(String name, int index, boolean sharing) {
        if (!name.matches("[a-z][a-z0-9]{0,15}")) {
            throw new IllegalArgumentException("peer node name: " + name);
        }
        int base = Integer.parseInt(System.getProperty("it.peer.port.base", "9090"));
        this.name = name;
        this.sharing = sharing;
        this.httpPort = base + 2 * index;
        this.httpsPort = base + 2 * index + 1;
        this.serverDir = NodeServer.serverDir().resolveSibling(serverName());
    }

    /**
     * Creates (anew) and configures the peer node number {@code index} under the given short
     * name, e.g. {@code create("b", 0, Map.of("AGENTNET_DOMAIN_NAME", "b.example"))}. Its ACA
     * publishes CRL and OCSP locations on its own HTTP port unless the environment says otherwise.
     */
    public static PeerNode create(String name, int index, Map<String, String> environment) {
        PeerNode node = new PeerNode(name, index, false);
        node.createServer(environment);
        return node;
    }

    /**
     * Creates (anew) the peer node number {@code index} as a second node of the build's node's own
     * domain, the way DESIGN.md 2 scales a domain out: the same database and the same ACA (its CA
     * keystore and the password that protects it); its own ports, TLS key, operator password and
     * messaging engine. Only a PostgreSQL build can do it (embedded Derby is one server's); the
     * caller checks {@link #canShareDatabase()} first.
     */
    public static PeerNode createSharingDatabase(String name, int index, Map<String, String> environment) {
        if (!canShareDatabase()) {
            throw new IllegalStateException("the build's node runs on embedded Derby, which no other server can open: "
                    + "two nodes on one database need the PostgreSQL build (-Dagentnet.db=postgresql)");
        }
        PeerNode node = new PeerNode(name, index, true);
        node.createServer(environment);
        Path security = node.serverDir.resolve("resources/security");
        try {
            Files.createDirectories(security);
            Files.copy(NodeServer.serverDir().resolve("resources/security/aca-ca.p12"), security.resolve("aca-ca.p12"),
                    StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("could not give " + node.serverName() + " the ACA's keystore", e);
        }
        // the CA keystore is protected by the server's keystore password (agentnet.aca.keystore.password's default)
        node.environment(Map.of("keystore_password", new String(NodeServer.keystorePassword())));
        return node;
    }

    /** Whether the build's node runs on a database another server can share: PostgreSQL, not embedded Derby. */
    public static boolean canShareDatabase() {
        return "postgresql".equals(mainBootstrap().getProperty("agentnet.db"));
    }

    private static Properties mainBootstrap() {
        Properties bootstrap = new Properties();
        try (var in = Files.newBufferedReader(NodeServer.serverDir().resolve("bootstrap.properties"))) {
            bootstrap.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bootstrap;
    }

    /** The Liberty server's name; it carries the port so that parallel builds never share one. */
    public String serverName() {
        return "peer-" + name + "-" + httpPort;
    }

    public Path serverDir() {
        return serverDir;
    }

    public URI http(String path) {
        return URI.create("http://localhost:" + httpPort + path);
    }

    public URI https(String path) {
        return URI.create("https://localhost:" + httpsPort + path);
    }

    /** A client that verifies this node's HTTPS certificate, presenting the given client certificate if any. */
    public HttpClient client(KeyStore clientKeys, char[] clientKeyPassword) {
        return NodeServer.client(serverDir, clientKeys, clientKeyPassword);
    }

    public HttpClient client() {
        return client(null, null);
    }

    public String adminAuthorization() {
        return NodeServer.basic("admin", NodeServer.adminPassword(serverDir));
    }

    /** Starts the server and waits until the node reports ready. */
    public PeerNode start() {
        liberty("start");
        try {
            AwaitNodeReady.untilReady(this::client, https("/health/ready"), START_PATIENCE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return this;
    }

    /** Starts the server without waiting for the node (for a node that is expected not to become ready). */
    public PeerNode startOnly() {
        liberty("start");
        return this;
    }

    /** Adds or replaces variables of the server's {@code server.env}; they count from its next start. */
    public void environment(Map<String, String> changes) {
        Path file = serverDir.resolve("server.env");
        try {
            List<String> lines = new ArrayList<>(Files.readAllLines(file, StandardCharsets.UTF_8));
            lines.removeIf(line -> changes.keySet().stream().anyMatch(key -> line.startsWith(key + "=")));
            changes.forEach((key, value) -> lines.add(key + "=" + value));
            Files.write(file, lines, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("could not change the environment of " + serverName(), e);
        }
    }

    /** Stops the server the orderly way (Liberty's {@code server stop}). */
    public void stop() {
        liberty("stop");
    }

    /** Kills the server's JVM with SIGKILL, as a crash would, and waits until it is gone. */
    public void kill() {
        Path pidFile = serverDir.resolveSibling(".pid").resolve(serverName() + ".pid");
        try {
            long pid = Long.parseLong(Files.readString(pidFile).trim());
            ProcessHandle process = ProcessHandle.of(pid)
                    .orElseThrow(() -> new IllegalStateException(serverName() + " is not running (pid " + pid + ")"));
            process.destroyForcibly();
            process.onExit().get(1, TimeUnit.MINUTES);
            Files.deleteIfExists(pidFile);
        } catch (IOException e) {
            throw new UncheckedIOException("no PID file of " + serverName(), e);
        } catch (Exception e) {
            throw new IllegalStateException("could not kill " + serverName(), e);
        }
    }

    public boolean isRunning() {
        return liberty("status", false) == 0;
    }

    @Override
    public void close() {
        if (isRunning()) {
            stop();
        }
    }

    // ---- creation ----------------------------------------------------------------------------

    private void createServer(Map<String, String> environment) {
        if (Files.isDirectory(serverDir)) {
            close();
            deleteRecursively(serverDir);
        }
        liberty("create");
        Path main = NodeServer.serverDir();
        try {
            for (String file : List.of("server.xml", "application.xml", "db-derby.xml", "db-postgresql.xml", "jvm.options")) {
                Files.copy(main.resolve(file), serverDir.resolve(file), StandardCopyOption.REPLACE_EXISTING);
            }
            Files.createDirectories(serverDir.resolve("apps"));
            Files.copy(main.resolve("apps/agentnet.ear"), serverDir.resolve("apps/agentnet.ear"));

            Properties bootstrap = mainBootstrap();
            bootstrap.setProperty("agentnet.http.port", Integer.toString(httpPort));
            bootstrap.setProperty("agentnet.https.port", Integer.toString(httpsPort));
            // where peer gateways reach this node (the build's node announces its own URL the same way)
            bootstrap.setProperty("agentnet.agw.peer.base-url", https("").toString());
            if ("postgresql".equals(bootstrap.getProperty("agentnet.db")) && !sharing) {
                String database = bootstrap.getProperty("agentnet.db.name") + "_" + name;
                freshPostgresqlDatabase(database, bootstrap.getProperty("agentnet.db.user"));
                bootstrap.setProperty("agentnet.db.name", database);
            }
            try (var out = Files.newBufferedWriter(serverDir.resolve("bootstrap.properties"))) {
                bootstrap.store(out, "peer node " + name + " of the integration tests (PeerNode)");
            }

            Map<String, String> env = new LinkedHashMap<>();
            env.put("AGENTNET_NODE_NAME", name);
            env.put("AGENTNET_ACA_PUBLIC_URL", http("").toString());
            env.putAll(environment);
            StringBuilder serverEnv = new StringBuilder(Files.readString(serverDir.resolve("server.env")));
            if (!serverEnv.isEmpty() && serverEnv.charAt(serverEnv.length() - 1) != '\n') {
                serverEnv.append('\n');
            }
            env.forEach((key, value) -> serverEnv.append(key).append('=').append(value).append('\n'));
            Files.writeString(serverDir.resolve("server.env"), serverEnv, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("could not configure " + serverName(), e);
        }
    }

    /** The repository's own set-up script, so that the peer's database is made like the build's. */
    private static void freshPostgresqlDatabase(String database, String role) {
        Path script = Path.of(System.getProperty("it.repository.dir"), "scripts", "postgresql-setup.sh");
        run(List.of(script.toString(), "--fresh", database, role), true);
    }

    private int liberty(String action) {
        return liberty(action, true);
    }

    private int liberty(String action, boolean mustSucceed) {
        Path script = NodeServer.serverDir().getParent().getParent().getParent().resolve("bin/server");
        return run(List.of(script.toString(), action, serverName()), mustSucceed);
    }

    private static int run(List<String> command, boolean mustSucceed) {
        try {
            Path output = Files.createTempFile("peer-node", ".log");
            Process process = new ProcessBuilder(new ArrayList<>(command))
                    .redirectErrorStream(true)
                    .redirectOutput(output.toFile())
                    .start();
            if (!process.waitFor(COMMAND_PATIENCE.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not finish within " + COMMAND_PATIENCE);
            }
            String log = Files.readString(output);
            Files.delete(output);
            if (mustSucceed && process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed (" + process.exitValue() + "):\n" + log);
            }
            return process.exitValue();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not delete " + dir, e);
        }
    }
}
