package org.agentnet.ars;

import static org.agentnet.ars.ProfileJson.JSON;
import static org.agentnet.ars.ProfileJson.array;
import static org.agentnet.ars.ProfileJson.objects;
import static org.agentnet.ars.ProfileJson.string;
import static org.agentnet.ars.ProfileJson.strings;

import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.agentnet.common.text.Fields;

/**
 * A2A Agent Cards: a registered agent rendered as one (the v0.3 fields the a2a-java 0.3 client
 * requires, plus the v1.0 {@code supportedInterfaces}), and a card accepted as a registration
 * profile. A2A has no natural languages, so a card registers none.
 */
public final class AgentCards {

    public static final String PROTOCOL_VERSION = "0.3.0";
    static final String INTERFACE_VERSION = "0.3";
    static final String DEFAULT_MODE = "text/plain";
    static final int MAX_MODES = AgentProfile.MAX_DATA_FORMATS;

    private AgentCards() {
    }

    /** Whether a registration body is an A2A Agent Card rather than an ARS profile: cards must have defaultInputModes. */
    public static boolean isCard(JsonObject body) {
        return body.containsKey("defaultInputModes");
    }

    /**
     * The profile of a card: name, description, version, provider organization, skills; its
     * interfaces (url + preferredTransport, additionalInterfaces, supportedInterfaces) become
     * addresses and protocols; its input and output modes the data formats.
     */
    public static AgentProfile read(JsonObject card) {
        List<AgentAddress> addresses = new ArrayList<>();
        String url = string(card, "url");
        if (url != null) {
            addresses.add(address(url, string(card, "preferredTransport")));
        }
        objects(card, "additionalInterfaces", AgentProfile.MAX_ADDRESSES,
                i -> addresses.add(address(string(i, "url"), string(i, "transport"))));
        objects(card, "supportedInterfaces", AgentProfile.MAX_ADDRESSES,
                i -> addresses.add(address(string(i, "url"), string(i, "protocolBinding"))));
        List<AgentAddress> distinct = addresses.stream().distinct().toList();
        Fields.require(distinct.size() <= AgentProfile.MAX_ADDRESSES,
                "the card has more than " + AgentProfile.MAX_ADDRESSES + " interfaces");
        Set<Protocol> protocols = new LinkedHashSet<>();
        distinct.forEach(a -> protocols.add(a.protocol()));
        Set<String> modes = new LinkedHashSet<>(strings(card, "defaultInputModes", MAX_MODES));
        modes.addAll(strings(card, "defaultOutputModes", MAX_MODES));
        JsonValue provider = card.get("provider");
        String organization = provider instanceof JsonObject p ? string(p, "organization") : null;
        List<AgentSkill> skills = objects(card, "skills", AgentProfile.MAX_SKILLS, skill -> new AgentSkill(
                string(skill, "id"), string(skill, "name"), string(skill, "description"),
                strings(skill, "tags", AgentSkill.MAX_TAGS)));
        return new AgentProfile(string(card, "name"), organization, string(card, "description"), string(card, "version"),
                skills, List.copyOf(protocols), List.copyOf(modes), List.of(), distinct);
    }

    /**
     * The card of an agent. Its interfaces are the agent's addresses (A2A ones by their binding,
     * others by the protocol's name: A2A bindings are open strings); an agent of another origin is
     * reached through its domain's gateway, so its card names that address.
     */
    public static JsonObject card(Agent agent) {
        AgentProfile profile = agent.profile();
        List<String[]> interfaces = new ArrayList<>(); // url, binding
        if (!agent.local() && agent.gatewayAddress() != null) {
            interfaces.add(new String[] {agent.gatewayAddress(), Protocol.A2A_JSONRPC.a2aBinding().orElseThrow()});
        } else {
            profile.addresses().stream().filter(a -> a.protocol().a2aBinding().isPresent())
                    .forEach(a -> interfaces.add(new String[] {a.url(), a.protocol().a2aBinding().orElseThrow()}));
            profile.addresses().stream().filter(a -> a.protocol().a2aBinding().isEmpty())
                    .forEach(a -> interfaces.add(new String[] {a.url(), a.protocol().canonical()}));
        }
        List<String> modes = profile.dataFormats().isEmpty() ? List.of(DEFAULT_MODE) : profile.dataFormats();
        JsonArrayBuilder skills = JSON.createArrayBuilder();
        for (AgentSkill skill : profile.skills()) {
            skills.add(JSON.createObjectBuilder().add("id", skill.id()).add("name", skill.name())
                    .add("description", skill.description()).add("tags", array(skill.tags())));
        }
        var card = JSON.createObjectBuilder()
                .add("protocolVersion", PROTOCOL_VERSION)
                .add("name", profile.name())
                .add("description", profile.description())
                .add("version", profile.version() == null ? "1.0.0" : profile.version());
        if (!interfaces.isEmpty()) {
            card.add("url", interfaces.get(0)[0]).add("preferredTransport", interfaces.get(0)[1]);
            JsonArrayBuilder additional = JSON.createArrayBuilder();
            JsonArrayBuilder supported = JSON.createArrayBuilder();
            for (String[] i : interfaces) {
                additional.add(JSON.createObjectBuilder().add("url", i[0]).add("transport", i[1]));
                supported.add(JSON.createObjectBuilder().add("url", i[0]).add("protocolBinding", i[1])
                        .add("protocolVersion", INTERFACE_VERSION));
            }
            card.add("additionalInterfaces", additional).add("supportedInterfaces", supported);
        }
        return card.add("capabilities", JSON.createObjectBuilder().add("streaming", false)
                        .add("pushNotifications", false).add("stateTransitionHistory", false))
                .add("defaultInputModes", array(modes))
                .add("defaultOutputModes", array(modes))
                .add("skills", skills)
                .build();
    }

    private static AgentAddress address(String url, String binding) {
        String name = binding == null ? "JSONRPC" : binding;
        Protocol protocol = Protocol.ofA2aBinding(name).orElseGet(() -> Protocol.parse(name));
        return new AgentAddress(url, protocol);
    }
}
