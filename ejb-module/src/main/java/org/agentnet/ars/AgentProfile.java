package org.agentnet.ars;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.agentnet.aca.AgentIdentity;
import org.agentnet.common.text.Fields;

/**
 * What an agent tells the ARS about itself (draft 3.2.1): its identifier, a description of its
 * capabilities, skills, the protocols, data formats and natural languages it supports, and where
 * it is reached. Every field is checked here (limits in docs/ars.md), so a profile that exists is
 * a valid one. Organization may be left out: it is then the certificate's.
 */
public record AgentProfile(String name, String organization, String description, String version,
                           List<AgentSkill> skills, List<Protocol> protocols, List<String> dataFormats,
                           List<String> languages, List<AgentAddress> addresses) {

    public static final int MAX_DESCRIPTION = 2000;
    public static final int MAX_VERSION = 32;
    public static final int MAX_SKILLS = 32;
    public static final int MAX_PROTOCOLS = 16;
    public static final int MAX_DATA_FORMATS = 16;
    public static final int MAX_LANGUAGES = 16;
    public static final int MAX_ADDRESSES = 8;
    /** A media type without parameters, e.g. application/json (RFC 6838 names). */
    static final Pattern MEDIA_TYPE = Pattern.compile(
            "[a-z0-9][a-z0-9!#$&^_.+-]{0,62}/[a-z0-9][a-z0-9!#$&^_.+-]{0,62}");
    /** An ISO 639 language (2-3 letters; BCP 47's 5-8 letter ones are unassigned) and subtags. */
    private static final Pattern LANGUAGE = Pattern.compile("[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*");

    public AgentProfile {
        Fields.require(name != null && AgentIdentity.AGENT_NAME.matcher(name).matches(),
                "name is required: the agent name of the certificate (1-64 letters, digits, '.', '_' or '-')");
        organization = Fields.optionalPrintable("organization", organization, AgentIdentity.MAX_ORGANIZATION);
        description = Fields.printable("description", description, MAX_DESCRIPTION);
        version = Fields.optionalPrintable("version", version, MAX_VERSION);
        skills = bounded("skills", skills, MAX_SKILLS);
        Fields.require(!skills.isEmpty(), "skills must list at least one skill");
        Fields.require(skills.stream().map(AgentSkill::id).distinct().count() == skills.size(), "skills have duplicate ids");
        protocols = distinct("protocols", protocols, MAX_PROTOCOLS, p -> p);
        Fields.require(!protocols.isEmpty(), "protocols must name at least one protocol");
        dataFormats = distinct("dataFormats", dataFormats, MAX_DATA_FORMATS, AgentProfile::mediaType);
        languages = distinct("languages", languages, MAX_LANGUAGES, AgentProfile::languageTag);
        addresses = bounded("addresses", addresses, MAX_ADDRESSES);
        for (AgentAddress address : addresses) {
            Fields.require(protocols.contains(address.protocol()), "address " + address.url() + " speaks "
                    + address.protocol().canonical() + ", which is not among the protocols");
        }
    }

    /** The same profile under the organization of the certificate, when the agent left it out. */
    public AgentProfile withOrganization(String certified) {
        return organization != null ? this : new AgentProfile(name, certified, description, version, skills, protocols,
                dataFormats, languages, addresses);
    }

    /** The same profile without communication addresses: what is kept of an agent of another origin. */
    public AgentProfile withoutAddresses() {
        return addresses.isEmpty() ? this : new AgentProfile(name, organization, description, version, skills, protocols,
                dataFormats, languages, List.of());
    }

    /** A BCP 47 language tag in its canonical case (en, zh-CN, sr-Latn-RS); "und" and malformed tags are refused. */
    public static String languageTag(String value) {
        String text = Fields.printable("language", value, 35);
        Fields.require(LANGUAGE.matcher(text).matches(), "language '" + text + "' is not a BCP 47 language tag");
        String canonical = Locale.forLanguageTag(text).toLanguageTag();
        Fields.require(!"und".equals(canonical) && canonical.equalsIgnoreCase(text),
                "language '" + text + "' is not a well-formed BCP 47 language tag");
        return canonical;
    }

    static String mediaType(String value) {
        String text = Fields.printable("data format", value, 127).toLowerCase(Locale.ROOT);
        Fields.require(MEDIA_TYPE.matcher(text).matches(), "data format '" + text + "' is not a media type such as application/json");
        return text;
    }

    private static <T> List<T> bounded(String field, List<T> values, int max) {
        if (values == null) {
            return List.of();
        }
        Fields.require(values.size() <= max, field + " has more than " + max + " entries");
        Fields.require(values.stream().allMatch(java.util.Objects::nonNull), field + " has an empty entry");
        return List.copyOf(values);
    }

    private static <T> List<T> distinct(String field, List<T> values, int max, Function<T, T> check) {
        List<T> checked = bounded(field, values, max);
        Set<T> distinct = new LinkedHashSet<>();
        for (T value : checked) {
            distinct.add(check.apply(value));
        }
        return List.copyOf(new ArrayList<>(distinct));
    }
}
