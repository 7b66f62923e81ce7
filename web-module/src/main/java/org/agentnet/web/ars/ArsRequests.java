package org.agentnet.web.ars;

import jakarta.json.JsonObject;
import jakarta.ws.rs.core.EntityTag;
import org.agentnet.ars.AgentCards;
import org.agentnet.ars.AgentProfile;
import org.agentnet.ars.ProfileJson;
import org.agentnet.common.error.AgentnetException;
import org.agentnet.common.error.ProblemType;

/** What the ARS resources share: the profile in a body, and ETags (who calls: {@link org.agentnet.web.security.Callers}). */
public final class ArsRequests {

    private ArsRequests() {
    }

    /** The profile in a registration or update body: the ARS's own form, or an A2A Agent Card. */
    static AgentProfile profile(String body) {
        if (body == null || body.isBlank()) {
            throw new AgentnetException(ProblemType.VALIDATION_FAILED, "the request needs a profile (JSON object)");
        }
        JsonObject json = ProfileJson.parse(body);
        return AgentCards.isCard(json) ? AgentCards.read(json) : ProfileJson.readProfile(json, true);
    }

    public static EntityTag etag(long revision) {
        return new EntityTag(Long.toString(revision));
    }

    /** The revision an If-Match header names; null without one. One that names no revision never matches. */
    public static Long ifMatch(String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        String tag = header.strip();
        if (tag.startsWith("W/")) {
            tag = tag.substring(2);
        }
        if (tag.length() >= 2 && tag.startsWith("\"") && tag.endsWith("\"")) {
            tag = tag.substring(1, tag.length() - 1);
        }
        try {
            return Long.parseLong(tag);
        } catch (NumberFormatException e) {
            return -1L;
        }
    }
}
