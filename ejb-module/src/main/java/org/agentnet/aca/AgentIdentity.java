package org.agentnet.aca;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import org.agentnet.common.text.Fields;

/**
 * The identity materials of a certificate application (draft 3.1.1): who the agent is, who made
 * it, what it may do. Every field is checked here, so an identity that exists is a valid one.
 */
public record AgentIdentity(CertificateProfile profile, String agentName, String organization, String developer,
                            String functionType, List<String> permissionScope, List<String> skills) {

    public static final Pattern AGENT_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    public static final Pattern TOKEN = Pattern.compile("[a-z][a-z0-9:._-]{0,63}");
    public static final Pattern SKILL = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    public static final int MAX_ORGANIZATION = 128;
    public static final int MAX_DEVELOPER = 256;
    public static final int MAX_SCOPES = 32;
    public static final int MAX_SKILLS = 64;

    public AgentIdentity {
        Objects.requireNonNull(profile, "profile");
        Fields.require(agentName != null && AGENT_NAME.matcher(agentName).matches(),
                "agentName must be 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit");
        organization = Fields.printable("organization", organization, MAX_ORGANIZATION);
        developer = Fields.printable("developer", developer, MAX_DEVELOPER);
        Fields.require(functionType != null && TOKEN.matcher(functionType).matches(),
                "functionType must be a lower-case token such as 'assistant'");
        permissionScope = Fields.tokens("permissionScope", permissionScope, TOKEN, MAX_SCOPES);
        Fields.require(!permissionScope.isEmpty(), "permissionScope must name at least one scope");
        skills = Fields.tokens("skills", skills == null ? List.of() : skills, SKILL, MAX_SKILLS);
    }

    /** The URI subjectAltName naming the agent uniquely: scheme, domain, organization, name. */
    public URI uri(String domain) {
        return URI.create(profile.uriScheme() + "://" + domain + "/"
                + URLEncoder.encode(organization, StandardCharsets.UTF_8).replace("+", "%20") + "/" + agentName);
    }
}
