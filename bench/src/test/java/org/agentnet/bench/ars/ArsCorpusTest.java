package org.agentnet.bench.ars;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Locale;
import org.agentnet.ars.AgentSkill;
import org.agentnet.ars.ProfileJson;
import org.junit.jupiter.api.Test;

/** The loaded agents: the same for a seed, valid profiles, and query terms as common or rare as documented. */
class ArsCorpusTest {

    private final ArsCorpus corpus = new ArsCorpus(ArsCorpus.DEFAULT_SEED);

    @Test
    void anAgentIsTheSameWhateverWasMadeBefore() {
        ArsCorpus.LoadedAgent late = new ArsCorpus(ArsCorpus.DEFAULT_SEED).agent(12_345);
        corpus.agent(1);
        assertEquals(late, corpus.agent(12_345));
        assertTrue(!corpus.agent(1).id().equals(corpus.agent(2).id()));
    }

    @Test
    void queryTermsAreAsCommonAsDocumented() {
        int agents = 10_000;
        int common = 0;
        int rare = 0;
        int commonWord = 0;
        int rareWord = 0;
        int longest = 0;
        String skill = corpus.commonSkills().get(0);
        String tag = corpus.rareTags().get(0);
        String[] words = corpus.textQueries().get(0).split(" ");
        for (int i = 0; i < agents; i++) {
            var profile = corpus.agent(i).profile();
            longest = Math.max(longest, ProfileJson.profile(profile).toString().length());
            common += profile.skills().stream().anyMatch(s -> s.id().equals(skill)) ? 1 : 0;
            rare += profile.skills().stream().anyMatch(s -> s.tags().contains(tag)) ? 1 : 0;
            String text = (profile.description() + " " + String.join(" ",
                    profile.skills().stream().map(AgentSkill::description).toList())).toLowerCase(Locale.ROOT);
            commonWord += List.of(text.split("[ .]+")).contains(words[0]) ? 1 : 0;
            rareWord += List.of(text.split("[ .]+")).contains(words[1]) ? 1 : 0;
        }
        System.out.printf("of %d: common skill %d, rare tag %d, common word %d, rare word %d; longest profile %d%n",
                agents, common, rare, commonWord, rareWord, longest);
        assertTrue(common > agents / 20, "common skill in " + common);
        assertTrue(rare > 0 && rare < agents / 200, "rare tag in " + rare);
        assertTrue(commonWord > agents / 10 && commonWord < agents / 2, "common word in " + commonWord);
        assertTrue(rareWord > agents / 200 && rareWord < agents / 20, "rare word in " + rareWord);
        assertTrue(longest < ProfileJson.MAX_STORED_LENGTH);
    }
}
