package org.agentnet.bench.ars;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;
import java.nio.charset.StandardCharsets;
import org.agentnet.ars.AgentProfile;
import org.agentnet.ars.AgentSkill;
import org.agentnet.ars.Protocol;

/**
 * The agents of the discovery benchmark, made up deterministically: agent {@code i} of a seed is
 * always the same, whatever was loaded before, so "load up to 100,000" adds agents 10,000 to
 * 99,999 to the 10,000 already there. Skills, tags and description words are drawn Zipf-like
 * (weight 1/rank), so a few are common and most are rare, as in any real catalogue; the query
 * terms of the benchmark ({@link #commonSkills()}, {@link #rareTags()}, {@link #textQueries()})
 * are picked by rank from the same vocabularies.
 */
public final class ArsCorpus {

    public static final long DEFAULT_SEED = 20261126L;
    /** The origin node of the loaded agents is this prefix and the domain's index. */
    public static final String ORIGIN_PREFIX = "bench-loader-";
    public static final int SKILLS = 1000;
    public static final int TAGS = 300;
    public static final int WORDS = 2000;
    public static final List<String> DOMAINS = List.of("travel.bench.example", "finance.bench.example",
            "health.bench.example", "retail.bench.example", "logistics.bench.example", "media.bench.example",
            "energy.bench.example", "legal.bench.example", "edu.bench.example", "gov.bench.example");
    /** Languages and their weights (English most common). */
    private static final String[] LANGUAGES = {"en", "en-GB", "en-US", "zh-CN", "fr", "de", "es", "ja", "pt-BR", "ar"};
    private static final double[] LANGUAGE_WEIGHTS = {30, 10, 10, 12, 8, 8, 8, 5, 5, 4};
    private static final Protocol[] PROTOCOLS = Protocol.values();
    private static final double[] PROTOCOL_WEIGHTS = {30, 25, 8, 10, 6, 6, 6, 3, 2, 8}; // Protocol order: HTTP first
    private static final String[] SYLLABLES = {"ka", "lo", "mi", "ne", "ru", "ta", "vo", "zi", "pa", "de", "bo", "fu",
            "ga", "hi", "jo", "ku", "le", "ma", "no", "pi", "ro", "se", "ti", "ve", "wa", "ye", "zu", "co", "da", "fe"};

    private final long seed;
    private final String[] skillIds = new String[SKILLS];
    private final String[] tags = new String[TAGS];
    private final String[] words = new String[WORDS];
    private final Zipf skillRanks = new Zipf(SKILLS);
    private final Zipf tagRanks = new Zipf(TAGS);
    private final Zipf wordRanks = new Zipf(WORDS);

    public ArsCorpus(long seed) {
        this.seed = seed;
        // distinct pronounceable words ending in a vowel (no plural folding, Words.singular)
        Set<String> made = new LinkedHashSet<>();
        SplittableRandom random = new SplittableRandom(seed);
        while (made.size() < WORDS + SKILLS + TAGS) {
            int syllables = 2 + random.nextInt(2);
            StringBuilder word = new StringBuilder();
            for (int s = 0; s < syllables; s++) {
                word.append(SYLLABLES[random.nextInt(SYLLABLES.length)]);
            }
            made.add(word.toString());
        }
        List<String> all = new ArrayList<>(made);
        for (int i = 0; i < WORDS; i++) {
            words[i] = all.get(i);
        }
        for (int i = 0; i < SKILLS; i++) {
            skillIds[i] = "skill-" + all.get(WORDS + i);
        }
        for (int i = 0; i < TAGS; i++) {
            tags[i] = "tag-" + all.get(WORDS + SKILLS + i);
        }
    }

    /** One loaded agent: its row values and its profile (no addresses: it is of another origin). */
    public record LoadedAgent(String id, String originNode, String domain, String agentUri, boolean online,
                              String gatewayAddress, AgentProfile profile) {
    }

    public LoadedAgent agent(int index) {
        SplittableRandom random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + index);
        int domainIndex = random.nextInt(DOMAINS.size());
        String domain = DOMAINS.get(domainIndex);
        String organization = "Bench Org " + random.nextInt(200);
        String name = "agent-" + index;
        List<AgentSkill> skills = new ArrayList<>();
        Set<String> skillIdsTaken = new LinkedHashSet<>();
        int skillCount = 1 + random.nextInt(5);
        while (skills.size() < skillCount) {
            String id = skillIds[skillRanks.draw(random)];
            if (!skillIdsTaken.add(id)) {
                continue;
            }
            Set<String> skillTags = new LinkedHashSet<>();
            int tagCount = random.nextInt(4);
            for (int t = 0; t < tagCount; t++) {
                skillTags.add(tags[tagRanks.draw(random)]);
            }
            skills.add(new AgentSkill(id, "Skill " + id.substring(6), text(random, 6 + random.nextInt(10)),
                    List.copyOf(skillTags)));
        }
        Set<Protocol> protocols = new LinkedHashSet<>();
        int protocolCount = 1 + random.nextInt(3);
        for (int p = 0; p < protocolCount; p++) {
            protocols.add(PROTOCOLS[weighted(random, PROTOCOL_WEIGHTS)]);
        }
        Set<String> languages = new LinkedHashSet<>();
        int languageCount = 1 + random.nextInt(3);
        for (int l = 0; l < languageCount; l++) {
            languages.add(LANGUAGES[weighted(random, LANGUAGE_WEIGHTS)]);
        }
        List<String> dataFormats = random.nextInt(3) == 0 ? List.of("application/json", "text/plain")
                : List.of("application/json");
        AgentProfile profile = new AgentProfile(name, organization, text(random, 15 + random.nextInt(26)),
                "1." + random.nextInt(10) + ".0", skills, List.copyOf(protocols), dataFormats, List.copyOf(languages),
                List.of());
        String id = UUID.nameUUIDFromBytes((seed + "/" + index).getBytes(StandardCharsets.UTF_8)).toString();
        String agentUri = "agent://" + domain + "/" + organization.replace(" ", "%20") + "/" + name;
        boolean online = random.nextInt(10) != 0; // one in ten OFFLINE
        return new LoadedAgent(id, ORIGIN_PREFIX + domainIndex, domain, agentUri, online,
                "https://agw." + domain + "/a2a", profile);
    }

    /** The ten most common skill ids (Zipf ranks 1-10; the first is held by a third of the agents). */
    public List<String> commonSkills() {
        return List.of(skillIds).subList(0, 10);
    }

    /** Ten rare tags (ranks 251-260 of 300): about 0.3 % of the agents carry one. */
    public List<String> rareTags() {
        return List.of(tags).subList(250, 260);
    }

    /**
     * Ten two-word text queries: a fairly common word (ranks 21-30, in about a quarter of the
     * agents) with a rarer one (ranks 201-210, about 3 %), as a person would type "invoice reconciliation".
     */
    public List<String> textQueries() {
        List<String> queries = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            queries.add(words[20 + i] + " " + words[200 + i]);
        }
        return queries;
    }

    private String text(SplittableRandom random, int length) {
        StringBuilder text = new StringBuilder();
        for (int w = 0; w < length; w++) {
            if (w > 0) {
                text.append(' ');
            }
            text.append(words[wordRanks.draw(random)]);
        }
        text.setCharAt(0, Character.toUpperCase(text.charAt(0)));
        return text.append('.').toString();
    }

    private static int weighted(SplittableRandom random, double[] weights) {
        double total = 0;
        for (double w : weights) {
            total += w;
        }
        double x = random.nextDouble() * total;
        for (int i = 0; i < weights.length; i++) {
            x -= weights[i];
            if (x < 0) {
                return i;
            }
        }
        return weights.length - 1;
    }

    /** Ranks 0..n-1 with probability proportional to 1/(rank+1). */
    private static final class Zipf {
        private final double[] cumulative;

        Zipf(int n) {
            cumulative = new double[n];
            double sum = 0;
            for (int i = 0; i < n; i++) {
                sum += 1.0 / (i + 1);
                cumulative[i] = sum;
            }
        }

        int draw(SplittableRandom random) {
            double x = random.nextDouble() * cumulative[cumulative.length - 1];
            int at = java.util.Arrays.binarySearch(cumulative, x);
            return Math.min(at >= 0 ? at : -at - 1, cumulative.length - 1);
        }
    }
}
