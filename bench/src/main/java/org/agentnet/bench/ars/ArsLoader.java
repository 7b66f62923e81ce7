package org.agentnet.bench.ars;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Locale;
import org.agentnet.ars.ProfileJson;

/**
 * Fills the bench server's embedded Derby database with {@link ArsCorpus} agents, while the
 * server is stopped (registering 100,000 agents through the API would need 100,000 ACA
 * certificates). They are stored as records synchronized from other ARSs (draft 3.5): of another
 * origin ({@code local_origin = 0}, one origin node per domain, increasing {@code origin_seq}),
 * with the gateway address of their domain and no private addresses, which is what the node keeps
 * of such agents, so no change-feed rows are due. The profile JSON is written by the
 * application's own {@link ProfileJson} from a checked {@code AgentProfile}.
 *
 * <p>Usage: {@code ArsLoader <server dir> <total agents> [seed]}: adds the agents missing up to
 * the total (agent i of the seed is always the same). Refuses a running server: its PID file, and
 * Derby's own lock (it will not boot a database another JVM has open).
 */
public final class ArsLoader {

    private static final int BATCH = 1000;

    private ArsLoader() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            throw new IllegalArgumentException("usage: ArsLoader <server dir> <total agents> [seed]");
        }
        Path serverDir = Path.of(args[0]).toAbsolutePath();
        int total = Integer.parseInt(args[1]);
        long seed = args.length > 2 ? Long.parseLong(args[2]) : ArsCorpus.DEFAULT_SEED;
        Path pidFile = serverDir.getParent().resolve(".pid").resolve(serverDir.getFileName() + ".pid");
        if (Files.exists(pidFile)) {
            String pid = Files.readString(pidFile).replaceAll("[^0-9]", "");
            if (!pid.isEmpty() && ProcessHandle.of(Long.parseLong(pid)).map(ProcessHandle::isAlive).orElse(false)) {
                throw new IllegalStateException("the server is running (PID " + pid + " in " + pidFile + "): stop it first");
            }
        }
        Path database = serverDir.resolve("data/agentnet");
        if (!Files.isDirectory(database)) {
            throw new IllegalStateException("no database in " + database + ": start the server once to create it");
        }
        load("jdbc:derby:" + database, total, seed);
    }

    static void load(String url, int total, long seed) throws SQLException {
        ArsCorpus corpus = new ArsCorpus(seed);
        long started = System.nanoTime();
        // no create=true: the schema must be the application's (Flyway made it at the first start)
        try (Connection db = DriverManager.getConnection(url)) {
            db.setAutoCommit(false);
            int present = present(db);
            if (present > total) {
                throw new IllegalStateException("the database already holds " + present + " loaded agents, more than " + total);
            }
            Timestamp now = Timestamp.from(Instant.now());
            try (PreparedStatement insert = db.prepareStatement("INSERT INTO ars_agent (id, origin_node, local_origin, domain,"
                    + " agent_uri, live_uri, status, status_reason, profile, gateway_address, origin_seq, registered_at,"
                    + " updated_at, version) VALUES (?, ?, 0, ?, ?, NULL, ?, NULL, ?, ?, ?, ?, ?, 0)")) {
                for (int i = present; i < total; i++) {
                    ArsCorpus.LoadedAgent agent = corpus.agent(i);
                    String profile = ProfileJson.profile(agent.profile()).toString();
                    if (profile.length() > ProfileJson.MAX_STORED_LENGTH) {
                        throw new IllegalStateException("agent " + i + ": profile of " + profile.length() + " characters");
                    }
                    insert.setString(1, agent.id());
                    insert.setString(2, agent.originNode());
                    insert.setString(3, agent.domain());
                    insert.setString(4, agent.agentUri());
                    insert.setString(5, agent.online() ? "ONLINE" : "OFFLINE");
                    insert.setString(6, profile);
                    insert.setString(7, agent.gatewayAddress());
                    insert.setLong(8, i + 1L); // the origin's seq: one change per agent
                    insert.setTimestamp(9, now);
                    insert.setTimestamp(10, now);
                    insert.addBatch();
                    if ((i + 1 - present) % BATCH == 0 || i == total - 1) {
                        insert.executeBatch();
                        db.commit();
                    }
                }
            }
            System.out.printf(Locale.ROOT, "[bench] ARS loader: %d agents added to the %d present, %d in all, in %.1f s%n",
                    total - present, present, total, (System.nanoTime() - started) / 1e9);
        }
        shutdown(url);
    }

    private static int present(Connection db) throws SQLException {
        try (PreparedStatement count = db.prepareStatement("SELECT COUNT(*) FROM ars_agent WHERE origin_node LIKE ?")) {
            count.setString(1, ArsCorpus.ORIGIN_PREFIX + "%");
            try (ResultSet rs = count.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    /** Closes the database cleanly (a checkpoint), so the server boots it without recovery. */
    private static void shutdown(String url) {
        try {
            DriverManager.getConnection(url + ";shutdown=true").close();
        } catch (SQLException expected) {
            // Derby reports a clean shutdown as SQLState 08006
            if (!"08006".equals(expected.getSQLState())) {
                throw new IllegalStateException("Derby did not shut the database down: " + expected.getMessage(), expected);
            }
        }
    }
}
