package org.agentnet.agw.access;

import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.io.StringReader;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.agentnet.ars.AgentAddress;
import org.agentnet.ars.Protocol;

/** An agent's access record at this gateway (draft 3.3.1; table {@code agw_access}). */
@Entity
@Table(name = "agw_access")
public class AccessRecord {

    @Id
    @Column(name = "agent_id", length = 36)
    private String agentId;

    @Column(name = "agent_uri", nullable = false, length = 512)
    private String agentUri;

    @Column(name = "certificate_serial", nullable = false, length = 64)
    private String certificateSerial;

    /** JSON array of {url, protocol}. */
    @Column(name = "addresses", nullable = false, length = 8000)
    private String addresses;

    /** Canonical protocol names, comma-separated. */
    @Column(name = "protocols", nullable = false, length = 1000)
    private String protocols;

    @Column(name = "heartbeat_seconds", nullable = false)
    private int heartbeatSeconds;

    @Enumerated(EnumType.STRING)
    @Column(name = "status", nullable = false, length = 24)
    private HeartbeatState status;

    @Column(name = "status_detail", length = 256)
    private String statusDetail;

    @Column(name = "last_heartbeat", nullable = false)
    private Instant lastHeartbeat;

    @Column(name = "accessed_at", nullable = false)
    private Instant accessedAt;

    @Column(name = "updated_at", nullable = false)
    private Instant updatedAt;

    protected AccessRecord() {
        // JPA
    }

    static AccessRecord create(String agentId, String agentUri, Instant now) {
        AccessRecord record = new AccessRecord();
        record.agentId = agentId;
        record.agentUri = agentUri;
        record.accessedAt = now;
        return record;
    }

    /** The agent (re)accessed: its certificate, addresses, protocols and interval; it is RUNNING from now. */
    void accessed(String serial, List<AgentAddress> newAddresses, List<Protocol> newProtocols, int interval, Instant now) {
        JsonArrayBuilder array = Json.createArrayBuilder();
        newAddresses.forEach(a -> array.add(Json.createObjectBuilder().add("url", a.url()).add("protocol", a.protocol().canonical())));
        certificateSerial = serial;
        addresses = array.build().toString();
        protocols = String.join(",", newProtocols.stream().map(Protocol::canonical).toList());
        heartbeatSeconds = interval;
        status = HeartbeatState.RUNNING;
        statusDetail = null;
        lastHeartbeat = now;
        updatedAt = now;
    }

    /** What the write-behind knows of the agent's heartbeats. */
    void heartbeat(Instant last, HeartbeatState state, String detail) {
        if (last.isAfter(lastHeartbeat)) {
            lastHeartbeat = last;
        }
        status = state;
        statusDetail = detail;
    }

    public String agentId() {
        return agentId;
    }

    public String agentUri() {
        return agentUri;
    }

    /** The serial of the certificate the agent last accessed the gateway with. */
    public String certificateSerial() {
        return certificateSerial;
    }

    public int heartbeatSeconds() {
        return heartbeatSeconds;
    }

    public HeartbeatState status() {
        return status;
    }

    public String statusDetail() {
        return statusDetail;
    }

    public Instant lastHeartbeat() {
        return lastHeartbeat;
    }

    public AccessView view(int holdIntervals) {
        List<AgentAddress> list;
        try (var reader = Json.createReader(new StringReader(addresses))) {
            list = reader.readArray().stream().map(JsonValue::asJsonObject)
                    .map((JsonObject a) -> new AgentAddress(a.getString("url"), Protocol.parse(a.getString("protocol")))).toList();
        }
        return new AccessView(agentId, agentUri, certificateSerial, list,
                Arrays.stream(protocols.split(",")).map(Protocol::parse).toList(), heartbeatSeconds,
                heartbeatSeconds * holdIntervals, status, statusDetail, lastHeartbeat, accessedAt, updatedAt);
    }
}
