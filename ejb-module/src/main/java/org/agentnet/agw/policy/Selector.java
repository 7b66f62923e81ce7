package org.agentnet.agw.policy;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Pattern;
import org.agentnet.aca.AgentIdentity;
import org.agentnet.ars.AgentSkill;
import org.agentnet.common.config.NodeSettings;
import org.agentnet.common.text.Fields;

/**
 * One entry of a policy's {@code subjects} (who acts) or {@code objects} (which agents or
 * capabilities), docs/agw.md "Access policies". Every field given must match (AND); a field left
 * out matches anything. At least one field is required, so that "everything" is always written
 * explicitly ({@code {"domain": "*"}}).
 * <ul>
 * <li>{@code domain}: a DNS name, {@code *.example.com} (every subdomain at any depth, not
 *     example.com itself) or {@code *} (any domain);</li>
 * <li>{@code organization}: the organization of the certificate (the second part of the agent URI),
 *     exact, ignoring case; needs {@code domain} (an organization name means something within a
 *     domain; {@code "domain": "*"} says "in any domain" explicitly);</li>
 * <li>{@code agent}: one agent (or gateway) by its certificate URI,
 *     {@code agent://<domain>/<organization>/<name>}; alone, or with {@code capability} (objects);</li>
 * <li>objects only: {@code agentId} (the ARS resource ID, what relay targets) and {@code capability}
 *     (a skill id or tag as the ARS holds it, ignoring case; {@code travel.*} for every one starting
 *     with {@code travel.}).</li>
 * </ul>
 */
public final class Selector {

    public static final int MAX_URI = 512;
    public static final int MAX_CAPABILITY = 64;
    private static final Pattern DNS = NodeSettings.DNS_NAME;
    private static final Pattern AGENT_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,35}");

    /** Whether the selector says who acts or what is acted on (which fields it may use). */
    public enum Role { SUBJECT, OBJECT }

    private final String domain;
    private final String organization;
    private final String agent;
    private final String agentId;
    private final String capability;
    // derived, for matching without allocation
    private final String encodedOrganization;
    private final String domainSuffix;
    private final String agentDomain;
    private final String capabilityPrefix;

    private Selector(String domain, String organization, String agent, String agentId, String capability) {
        this.domain = domain;
        this.organization = organization;
        this.agent = agent;
        this.agentId = agentId;
        this.capability = capability;
        this.encodedOrganization = organization == null ? null
                : URLEncoder.encode(organization, StandardCharsets.UTF_8).replace("+", "%20");
        this.domainSuffix = domain != null && domain.startsWith("*.") ? domain.substring(1) : null;
        this.agentDomain = agent == null ? null : URI.create(agent).getHost().toLowerCase(Locale.ROOT);
        this.capabilityPrefix = capability != null && capability.endsWith("*")
                ? capability.substring(0, capability.length() - 1) : null;
    }

    /**
     * A checked selector; {@code where} names it in problems ("subjects[0]"). Fails with a
     * validation-failed problem for a field the role does not allow, a malformed value, or none.
     */
    public static Selector of(Role role, String where, String domain, String organization, String agent, String agentId,
                              String capability) {
        String d = domain == null ? null : checkedDomain(where + ".domain", domain);
        String o = Fields.optionalPrintable(where + ".organization", organization, AgentIdentity.MAX_ORGANIZATION);
        Fields.require(organization == null || o != null, where + ".organization must not be blank");
        String a = agent == null ? null : checkedAgentUri(where + ".agent", agent);
        String id = null;
        String c = null;
        if (role == Role.SUBJECT) {
            Fields.require(agentId == null, where + ": agentId names an object; a subject is named by domain, organization or agent (its certificate URI)");
            Fields.require(capability == null, where + ": capability names an object; a subject is named by domain, organization or agent");
        } else {
            if (agentId != null) {
                id = agentId.strip();
                Fields.require(AGENT_ID.matcher(id).matches(), where + ".agentId is not an agent ID (1-36 letters, digits, '.', '_' or '-')");
            }
            c = capability == null ? null : checkedCapability(where + ".capability", capability);
        }
        Fields.require(d != null || o != null || a != null || id != null || c != null,
                where + " needs at least one of domain, organization, agent" + (role == Role.OBJECT ? ", agentId, capability" : "")
                        + " (use {\"domain\": \"*\"} for anyone)");
        Fields.require(o == null || d != null, where + ": organization needs domain (\"*\" for any domain)");
        Fields.require(a == null || (d == null && o == null && id == null),
                where + ": agent names one agent; leave out domain, organization and agentId");
        Fields.require(id == null || (d == null && o == null), where + ": agentId names one agent; leave out domain and organization");
        return new Selector(d, o, a, id, c);
    }

    private static String checkedDomain(String field, String value) {
        String text = value.strip().toLowerCase(Locale.ROOT);
        if (text.equals("*")) {
            return text;
        }
        String name = text.startsWith("*.") ? text.substring(2) : text;
        Fields.require(DNS.matcher(name).matches(), field + " '" + value.strip()
                + "' is not a DNS name, *.<DNS name> or *");
        return text;
    }

    private static String checkedAgentUri(String field, String value) {
        String text = value.strip();
        Fields.require(!text.isEmpty() && text.length() <= MAX_URI, field + " must be an agent URI of at most " + MAX_URI + " characters");
        Fields.require(text.codePoints().noneMatch(Fields::isControl), field + " contains control characters");
        try {
            URI uri = new URI(text);
            String[] path = uri.getRawPath() == null ? new String[0] : uri.getRawPath().split("/", -1);
            Fields.require(("agent".equals(uri.getScheme()) || "agw".equals(uri.getScheme())) && uri.getHost() != null
                            && DNS.matcher(uri.getHost().toLowerCase(Locale.ROOT)).matches()
                            && uri.getRawQuery() == null && uri.getRawFragment() == null && uri.getRawUserInfo() == null
                            && uri.getPort() == -1 && path.length == 3 && path[0].isEmpty() && !path[1].isEmpty() && !path[2].isEmpty(),
                    field + " '" + text + "' is not an agent URI such as agent://example.com/Acme%20Corp/planner");
        } catch (URISyntaxException e) {
            throw new org.agentnet.common.error.AgentnetException(org.agentnet.common.error.ProblemType.VALIDATION_FAILED,
                    field + " '" + text + "' is not a URI");
        }
        return text;
    }

    private static String checkedCapability(String field, String value) {
        String text = value.strip().toLowerCase(Locale.ROOT);
        Fields.require(!text.isEmpty() && text.length() <= MAX_CAPABILITY, field + " must be 1 to " + MAX_CAPABILITY + " characters");
        Fields.require(!text.equals("*"), field + ": leave capability out to mean any capability");
        String stem = text.endsWith("*") ? text.substring(0, text.length() - 1) : text;
        Fields.require(stem.indexOf('*') < 0, field + ": '*' is allowed only at the end (a prefix)");
        Fields.require(stem.codePoints().noneMatch(Fields::isControl) && stem.indexOf(',') < 0,
                field + " contains control characters or a comma");
        return text;
    }

    public String domain() {
        return domain;
    }

    public String organization() {
        return organization;
    }

    public String agent() {
        return agent;
    }

    public String agentId() {
        return agentId;
    }

    public String capability() {
        return capability;
    }

    // ---- matching -------------------------------------------------------------------------------

    /** Whether the selector names the caller. */
    boolean matches(Requester subject) {
        return (domain == null || domainMatches(subject.domain()))
                && (organization == null || organizationMatches(subject.uri()))
                && (agent == null || agent.equals(subject.uri()));
    }

    /** Whether the selector names the agent acted on. */
    boolean matches(Target target) {
        return (domain == null || domainMatches(target.domain()))
                && (organization == null || organizationMatches(target.uri()))
                && (agent == null || agent.equals(target.uri()))
                && (agentId == null || agentId.equals(target.id()))
                && (capability == null || capabilityMatches(target));
    }

    /**
     * Whether the selector names every agent of a region of the registry: those of domain {@code d}
     * (null: any domain) holding the capability {@code c} (null: any). Only selectors of domain and
     * capability alone can; they decide whether a whole query is denied.
     */
    boolean covers(String d, String c) {
        if (organization != null || agent != null || agentId != null) {
            return false;
        }
        if (domain != null && !domain.equals("*") && (d == null || !domainMatches(d))) {
            return false;
        }
        return capability == null || (c != null && capabilityMatches(c));
    }

    /** Whether the selector may name some agent of domain {@code d} (null: any domain). */
    boolean overlaps(String d) {
        if (d == null) {
            return true;
        }
        if (agent != null) {
            return agentDomain.equalsIgnoreCase(d);
        }
        return domain == null || domainMatches(d);
    }

    boolean domainMatches(String candidate) {
        if (candidate == null) {
            return false;
        }
        if (domain.equals("*")) {
            return true;
        }
        if (domainSuffix != null) {
            int at = candidate.length() - domainSuffix.length();
            return at > 0 && candidate.regionMatches(true, at, domainSuffix, 0, domainSuffix.length());
        }
        return domain.equalsIgnoreCase(candidate);
    }

    /** The organization part of agent://domain/organization/name, compared encoded as the ACA writes it. */
    private boolean organizationMatches(String uri) {
        if (uri == null) {
            return false;
        }
        int scheme = uri.indexOf("://");
        int hostEnd = scheme < 0 ? -1 : uri.indexOf('/', scheme + 3);
        int orgEnd = hostEnd < 0 ? -1 : uri.indexOf('/', hostEnd + 1);
        if (orgEnd < 0) {
            return false;
        }
        int length = orgEnd - hostEnd - 1;
        return length == encodedOrganization.length() && uri.regionMatches(true, hostEnd + 1, encodedOrganization, 0, length);
    }

    private boolean capabilityMatches(Target target) {
        if (target.profile() == null) {
            return false;
        }
        for (AgentSkill skill : target.profile().skills()) {
            if (capabilityMatches(skill.id())) {
                return true;
            }
            for (String tag : skill.tags()) {
                if (capabilityMatches(tag)) {
                    return true;
                }
            }
        }
        return false;
    }

    private boolean capabilityMatches(String value) {
        if (capabilityPrefix != null) {
            return value.regionMatches(true, 0, capabilityPrefix, 0, capabilityPrefix.length());
        }
        return value.equalsIgnoreCase(capability);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Selector s && java.util.Objects.equals(domain, s.domain)
                && java.util.Objects.equals(organization, s.organization) && java.util.Objects.equals(agent, s.agent)
                && java.util.Objects.equals(agentId, s.agentId) && java.util.Objects.equals(capability, s.capability);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(domain, organization, agent, agentId, capability);
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder("{");
        append(text, "domain", domain);
        append(text, "organization", organization);
        append(text, "agent", agent);
        append(text, "agentId", agentId);
        append(text, "capability", capability);
        return text.append('}').toString();
    }

    private static void append(StringBuilder text, String name, String value) {
        if (value != null) {
            text.append(text.length() > 1 ? ", " : "").append(name).append('=').append(value);
        }
    }
}
