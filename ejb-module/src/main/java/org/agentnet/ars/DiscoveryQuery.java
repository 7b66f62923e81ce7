package org.agentnet.ars;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.agentnet.common.text.Fields;

/**
 * A discovery request (draft 3.2.3), normalized: capability ids or tags, protocols, languages,
 * domains and statuses, each a set whose values are OR-ed, all fields AND-ed; {@code words} the
 * text query. Values may be repeated parameters or comma-separated. Limits are in docs/ars.md.
 */
public record DiscoveryQuery(Set<String> capabilities, Set<String> protocols, Set<String> languages, Set<String> domains,
                             Set<AgentStatus> statuses, List<String> words) {

    public static final int MAX_VALUES = 16;
    public static final int MAX_VALUE = 64;
    public static final int MAX_TEXT = 256;
    public static final int MAX_WORDS = 8;
    public static final int DEFAULT_LIMIT = 20;
    public static final int MAX_LIMIT = 100;
    private static final Pattern DOMAIN = Pattern.compile("[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?");

    public DiscoveryQuery {
        capabilities = Set.copyOf(capabilities);
        protocols = Set.copyOf(protocols);
        languages = Set.copyOf(languages);
        domains = Set.copyOf(domains);
        statuses = statuses.isEmpty() ? Set.of(AgentStatus.ONLINE) : Set.copyOf(statuses);
        words = List.copyOf(words);
    }

    public static DiscoveryQuery parse(List<String> capability, List<String> protocol, List<String> language,
                                       List<String> domain, List<String> status, String q) {
        Set<String> capabilities = new LinkedHashSet<>();
        for (String value : values("capability", capability, MAX_VALUE)) {
            Fields.require(value.codePoints().noneMatch(Fields::isControl), "capability contains control characters");
            capabilities.add(value.toLowerCase(Locale.ROOT));
        }
        Set<String> protocols = new LinkedHashSet<>();
        values("protocol", protocol, MAX_VALUE).forEach(p -> protocols.add(Protocol.parse(p).canonical()));
        Set<String> languages = new LinkedHashSet<>();
        values("language", language, MAX_VALUE).forEach(l -> languages.add(AgentProfile.languageTag(l).toLowerCase(Locale.ROOT)));
        Set<String> domains = new LinkedHashSet<>();
        for (String value : values("domain", domain, 253)) {
            String lower = value.toLowerCase(Locale.ROOT);
            Fields.require(DOMAIN.matcher(lower).matches(), "domain '" + value + "' is not a DNS name");
            domains.add(lower);
        }
        Set<AgentStatus> statuses = EnumSet.noneOf(AgentStatus.class);
        for (String value : values("status", status, MAX_VALUE)) {
            AgentStatus parsed;
            try {
                parsed = AgentStatus.valueOf(value.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                parsed = null;
            }
            Fields.require(parsed != null && parsed.discoverable(),
                    "status '" + value + "' cannot be discovered: use ONLINE (the default) or OFFLINE");
            statuses.add(parsed);
        }
        return new DiscoveryQuery(capabilities, protocols, languages, domains, statuses, words(q));
    }

    /** A text that identifies the query (a cursor belongs to one query). */
    public String key() {
        return String.join("|", new TreeSet<>(capabilities).toString(), new TreeSet<>(protocols).toString(),
                new TreeSet<>(languages).toString(), new TreeSet<>(domains).toString(),
                new TreeSet<>(statuses).toString(), words.toString());
    }

    public boolean ranked() {
        return !words.isEmpty();
    }

    private static List<String> words(String q) {
        if (q == null) {
            return List.of();
        }
        Fields.require(q.length() <= MAX_TEXT, "q is longer than " + MAX_TEXT + " characters");
        Fields.require(q.codePoints().noneMatch(Fields::isControl), "q contains control characters");
        List<String> words = new ArrayList<>(new LinkedHashSet<>(Words.of(q)));
        Fields.require(!q.isBlank() && !words.isEmpty(), "q has no words to search for (letters or digits)");
        Fields.require(words.size() <= MAX_WORDS, "q has more than " + MAX_WORDS + " different words");
        return words;
    }

    private static List<String> values(String field, List<String> raw, int maxLength) {
        List<String> values = new ArrayList<>();
        if (raw == null) {
            return values;
        }
        for (String parameter : raw) {
            Fields.require(parameter != null && parameter.length() <= MAX_VALUES * (maxLength + 1),
                    field + " is too long");
            for (String value : parameter.split(",", -1)) {
                String trimmed = value.strip();
                Fields.require(!trimmed.isEmpty(), field + " has an empty value");
                Fields.require(trimmed.length() <= maxLength, field + " value is longer than " + maxLength + " characters");
                values.add(trimmed);
            }
        }
        Fields.require(values.size() <= MAX_VALUES, field + " has more than " + MAX_VALUES + " values");
        return values;
    }
}
