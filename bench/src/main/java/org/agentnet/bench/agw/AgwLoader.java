package org.agentnet.bench.agw;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.agentnet.ars.AgentProfile;
import org.agentnet.ars.AgentSkill;
import org.agentnet.ars.ProfileJson;
import org.agentnet.ars.Protocol;

/**
 * Fills the bench server's embedded Derby database with agents that are <b>registered</b> at this
 * node's ARS (of its own origin: {@code local_origin = 1}, {@code origin_node} = the node's ID,
 * {@code ONLINE}, live) <b>and accessed</b> at its gateway (an {@code agw_access} row: RUNNING, last
 * heartbeat = now, the given heartbeat interval), so that the node's heartbeat table holds them after
 * its next start. This is what {@code POST /api/v1/ars/agents} and {@code POST /api/v1/agw/access}
 * would have left, without 100,000 ACA certificates: the loaded agents hold no certificate (their
 * {@code certificate_serial} names the loader) and never send a heartbeat themselves; the
 * benchmark's own agents do (issued, registered and accessed through the API in its set-up).
 * No change-feed rows are written: the heartbeat benchmark has no peers to synchronize with.
 *
 * <p>Usage: {@code AgwLoader <server dir> <total agents> <heartbeat interval seconds> [domain]}: adds
 * the agents missing up to the total (agent i is always the same). The interval must not exceed
 * the server's {@code agentnet.agw.heartbeat.interval} (what an access would have agreed); run.sh
 * sets both so that no loaded agent is silenced during the run. Refuses a running server.
 */
public final class AgwLoader {

    /** The organization of the loaded agents (their agent URIs are {@code agent://<domain>/Bench%20Heartbeats/hb-<i>}). */
    public static final String ORGANIZATION = "Bench Heartbeats";
    public static final String SERIAL_PREFIX = "bench-loader-";
    private static final int BATCH = 1000;

    private AgwLoader() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 3) {
            throw new IllegalArgumentException("usage: AgwLoader <server dir> <total agents> <heartbeat interval seconds> [domain]");
        }
        Path serverDir = Path.of(args[0]).toAbsolutePath();
        int total = Integer.parseInt(args[1]);
        int interval = Integer.parseInt(args[2]);
        String domain = args.length > 3 ? args[3] : "local.agentnet";
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
        load("jdbc:derby:" + database, total, interval, domain);
    }

    /** Agent i's ARS resource ID. */
    public static String agentId(int index) {
        return UUID.nameUUIDFromBytes(("agw-bench/" + index).getBytes(StandardCharsets.UTF_8)).toString();
    }

    static void load(String url, int total, int interval, String domain) throws SQLException {
        long started = System.nanoTime();
        try (Connection db = DriverManager.getConnection(url)) {
            db.setAutoCommit(false);
            String node = nodeId(db);
            int present = present(db);
            if (present > total) {
                throw new IllegalStateException("the database already holds " + present + " loaded accessed agents, more than " + total);
            }
            Timestamp now = Timestamp.from(Instant.now());
            try (PreparedStatement agent = db.prepareStatement("INSERT INTO ars_agent (id, origin_node, local_origin, domain,"
                    + " agent_uri, live_uri, status, status_reason, profile, gateway_address, origin_seq, registered_at,"
                    + " updated_at, version) VALUES (?, ?, 1, ?, ?, ?, 'ONLINE', NULL, ?, NULL, NULL, ?, ?, 0)");
                 PreparedStatement access = db.prepareStatement("INSERT INTO agw_access (agent_id, agent_uri, certificate_serial,"
                    + " addresses, protocols, heartbeat_seconds, status, status_detail, last_heartbeat, accessed_at, updated_at)"
                    + " VALUES (?, ?, ?, ?, 'HTTP', ?, 'RUNNING', NULL, ?, ?, ?)")) {
                for (int i = present; i < total; i++) {
                    String id = agentId(i);
                    String name = "hb-" + i;
                    String uri = "agent://" + domain + "/" + ORGANIZATION.replace(" ", "%20") + "/" + name;
                    AgentProfile profile = new AgentProfile(name, ORGANIZATION, "Heartbeat benchmark agent " + i, "1.0.0",
                            List.of(new AgentSkill("heartbeat", "Heartbeat", "Keeps itself online", List.of("bench"))),
                            List.of(Protocol.parse("HTTP")), List.of("application/json"), List.of("en"), List.of());
                    agent.setString(1, id);
                    agent.setString(2, node);
                    agent.setString(3, domain);
                    agent.setString(4, uri);
                    agent.setString(5, uri);
                    agent.setString(6, ProfileJson.profile(profile).toString());
                    agent.setTimestamp(7, now);
                    agent.setTimestamp(8, now);
                    agent.addBatch();
                    access.setString(1, id);
                    access.setString(2, uri);
                    access.setString(3, SERIAL_PREFIX + i);
                    access.setString(4, "[{\"url\":\"https://" + name + ".agents.example/hb\",\"protocol\":\"HTTP\"}]");
                    access.setInt(5, interval);
                    access.setTimestamp(6, now);
                    access.setTimestamp(7, now);
                    access.setTimestamp(8, now);
                    access.addBatch();
                    if ((i + 1 - present) % BATCH == 0 || i == total - 1) {
                        agent.executeBatch();
                        access.executeBatch();
                        db.commit();
                    }
                }
            }
            System.out.printf(Locale.ROOT, "[bench] AGW loader: %d registered and accessed agents added to the %d present, %d in all"
                    + " (node %s, interval %d s), in %.1f s%n", total - present, present, total, node, interval,
                    (System.nanoTime() - started) / 1e9);
        }
        shutdown(url);
    }

    private static String nodeId(Connection db) throws SQLException {
        try (PreparedStatement query = db.prepareStatement("SELECT node_id FROM node_identity WHERE id = 1");
             ResultSet rs = query.executeQuery()) {
            if (!rs.next()) {
                throw new IllegalStateException("no node identity in the database: start the server once first");
            }
            return rs.getString(1);
        }
    }

    private static int present(Connection db) throws SQLException {
        try (PreparedStatement count = db.prepareStatement("SELECT COUNT(*) FROM agw_access WHERE certificate_serial LIKE ?")) {
            count.setString(1, SERIAL_PREFIX + "%");
            try (ResultSet rs = count.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    private static void shutdown(String url) {
        try {
            DriverManager.getConnection(url + ";shutdown=true").close();
        } catch (SQLException expected) {
            if (!"08006".equals(expected.getSQLState())) {
                throw new IllegalStateException("Derby did not shut the database down: " + expected.getMessage(), expected);
            }
        }
    }
}
