package org.agentnet.ars;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Predicate;
import org.roaringbitmap.BitSetUtil;
import org.roaringbitmap.IntIterator;
import org.roaringbitmap.RoaringBitmap;

/**
 * Discovery's in-memory index of the registered agents (draft 3.2.3): an inverted index per
 * filter field (capability id or tag, protocol, language and its prefixes, domain, status) of
 * sorted ID sets, and a word index for the ranked text query (BM25 over name, skills and
 * descriptions). Filters intersect by walking the smallest field's IDs in order and probing the
 * others, so a page costs about {@code limit} probes when the filters are not rare together.
 * The text query walks its words' holders (agents by a dense number, with the word's weight in
 * each) in impact order and keeps the best {@code limit + 1}, stopping when no holder left can
 * enter them; an agent the filters leave out is passed over by a bit test. Each agent's discovery view (ProfileJson.view) is rendered once,
 * when it is indexed, so a page is answered by copying bytes.
 * Readers share a read lock; a change takes the write lock for the few sets it touches.
 * Deregistered agents leave the index; a change older than the one applied (by revision) is ignored.
 */
public final class AgentIndex {

    /** Where a page ends: ranked queries order by score (descending), then ID; the others by ID. */
    public record Position(double score, String id) {
        public static final Position START = new Position(Double.POSITIVE_INFINITY, "");
    }

    /** A match: the agent, its text score (0 without a text query) and its view as UTF-8 JSON. */
    public record Hit(Agent agent, double score, byte[] view) {
    }

    /** A page of hits and the position after its last hit, null when there is no more. */
    public record Page(List<Hit> hits, Position next) {
    }

    enum Field { CAPABILITY, PROTOCOL, LANGUAGE, DOMAIN, STATUS }

    // BM25 parameters, and how much more a word counts in the name and in skill ids, names and tags
    private static final double K1 = 1.2;
    private static final double B = 0.75;
    private static final int NAME_WEIGHT = 3;
    private static final int SKILL_WEIGHT = 2;
    /**
     * How far above a bound a score must stay to be pruned: far above rounding, as bounds and
     * partial scores are summed in another order than the scores.
     */
    private static final double MARGIN = 1 + 1e-9;
    /**
     * The text query scores each admitted agent instead of walking the words' holders when the
     * filters admit fewer than the holders over this many per word.
     */
    private static final int FEW_ADMITTED = 32;
    /** A word held by at least one agent in this many numbers is also kept as bits (Postings.of). */
    private static final int DENSE = 16;
    /** Recently removed agents' revisions, so that a late, older change cannot bring one back. */
    private static final int REMOVED_MEMORY = 10_000;

    /** One indexed agent: its number in the postings, its words (the index's own instances), its view. */
    private record Entry(Agent agent, int doc, String[] words, int[] frequencies, int length, byte[] view) {
        Entry numbered(int number) {
            return new Entry(agent, number, words, frequencies, length, view);
        }
    }

    /**
     * The agents holding a word, by number (ascending), with the word's weighted frequency in each
     * and each one's text length, both in one int ({@link #pack}: one read where the text query needs
     * both, not a table by number, and 4 bytes a posting less than two arrays: 573 against 595 MB at
     * 100,000 agents); and the same holders in impact order (higher frequency first, then shorter text,
     * then lower number), in which the text query walks them: in that order a holder's share of a
     * score never rises within a run of equal frequencies, whatever the average length is, so the
     * first holder of each run bounds what the rest can add.
     */
    private record Postings(String word, int[] docs, int[] packed, int[] impactDocs, int[] impactPacked, long[] holders,
                            int[] ranks) {
        static Postings empty(String word) {
            return of(word, new int[0], new int[0], new int[0], new int[0]);
        }

        /**
         * With a word held by at least one agent in {@link #DENSE} numbers, also its holders as bits and,
         * before each 64 numbers, how many hold it: the text query looks such a word up for an agent
         * found in another word's list with a bit test in a table a few kilobytes long, where a binary
         * search in the list misses the cache at nearly every step (10 queries' common words do not fit).
         */
        static Postings of(String word, int[] docs, int[] packed, int[] impactDocs, int[] impactPacked) {
            long[] holders = null;
            int[] ranks = null;
            if (docs.length > 0 && (long) docs.length * DENSE >= docs[docs.length - 1] + 1L) {
                holders = new long[(docs[docs.length - 1] >>> 6) + 1];
                for (int doc : docs) {
                    holders[doc >>> 6] |= 1L << doc;
                }
                ranks = new int[holders.length];
                int count = 0;
                for (int i = 0; i < holders.length; i++) {
                    ranks[i] = count;
                    count += Long.bitCount(holders[i]);
                }
            }
            return new Postings(word, docs, packed, impactDocs, impactPacked, holders, ranks);
        }

        /** Where the agent numbered {@code doc} is in {@link #docs}; -1 when it does not hold the word. */
        int indexOf(int doc) {
            if (holders == null) {
                int at = Arrays.binarySearch(docs, doc);
                return at < 0 ? -1 : at;
            }
            int slot = doc >>> 6;
            if (slot >= holders.length) {
                return -1;
            }
            long bits = holders[slot];
            long bit = 1L << doc;
            return (bits & bit) == 0 ? -1 : ranks[slot] + Long.bitCount(bits & (bit - 1));
        }

        /** Both orders of the holders given by number (ascending) with their packed values. */
        static Postings of(String word, int[] docs, int[] packed) {
            long[] keys = new long[docs.length];
            for (int i = 0; i < docs.length; i++) {
                keys[i] = impactKey(packed[i], docs[i]);
            }
            Arrays.sort(keys);
            int[] impactDocs = new int[keys.length];
            int[] impactPacked = new int[keys.length];
            for (int i = 0; i < keys.length; i++) {
                impactDocs[i] = (int) keys[i];
                impactPacked[i] = (int) (keys[i] >>> 32) ^ 0xFFFF0000;
            }
            return of(word, docs, packed, impactDocs, impactPacked);
        }

        Postings with(int doc, int frequency, int length) {
            int value = pack(frequency, length);
            int at = Arrays.binarySearch(docs, doc);
            int[] byNumber = docs;
            int[] values;
            int[] byImpact = impactDocs;
            int[] impactValues = impactPacked;
            if (at >= 0) {
                if (packed[at] == value) {
                    return this;
                }
                int old = impactSearch(byImpact, impactValues, packed[at], doc);
                byImpact = removed(byImpact, old);
                impactValues = removed(impactValues, old);
                values = packed.clone();
                values[at] = value;
            } else {
                byNumber = inserted(docs, -at - 1, doc);
                values = inserted(packed, -at - 1, value);
            }
            int impactAt = -impactSearch(byImpact, impactValues, value, doc) - 1;
            return of(word, byNumber, values, inserted(byImpact, impactAt, doc), inserted(impactValues, impactAt, value));
        }

        /** Without the doc; null when nothing is left. */
        Postings without(int doc) {
            int at = Arrays.binarySearch(docs, doc);
            if (at < 0) {
                return this;
            }
            if (docs.length == 1) {
                return null;
            }
            int impactAt = impactSearch(impactDocs, impactPacked, packed[at], doc);
            return of(word, removed(docs, at), removed(packed, at), removed(impactDocs, impactAt),
                    removed(impactPacked, impactAt));
        }

        /** Where the holder is in an impact order, or -(where it would go) - 1. */
        private static int impactSearch(int[] impactDocs, int[] impactPacked, int value, int doc) {
            long key = impactKey(value, doc);
            int low = 0;
            int high = impactDocs.length - 1;
            while (low <= high) {
                int middle = (low + high) >>> 1;
                long here = impactKey(impactPacked[middle], impactDocs[middle]);
                if (here < key) {
                    low = middle + 1;
                } else if (here > key) {
                    high = middle - 1;
                } else {
                    return middle;
                }
            }
            return -(low + 1);
        }

        /**
         * A holder's place in the impact order as one ascending number: the frequency's bits inverted
         * (higher first), the length's kept (shorter first), then the agent's number.
         */
        static long impactKey(int packed, int doc) {
            return ((packed ^ 0xFFFF0000) & 0xFFFFFFFFL) << 32 | doc;
        }

        /**
         * A holder's frequency (high 16 bits) and text length (low 16 bits). Both fit: a stored profile
         * is at most {@link ProfileJson#MAX_STORED_LENGTH} characters, so its weighted word count stays
         * under 3 x 14,000 (the name's weight, words of at least one letter and a separator); the clamp
         * only guards that reasoning.
         */
        static int pack(int frequency, int length) {
            return Math.min(frequency, 0xFFFF) << 16 | Math.min(length, 0xFFFF);
        }

        static int frequency(int packed) {
            return packed >>> 16;
        }

        static int length(int packed) {
            return packed & 0xFFFF;
        }

        private static int[] inserted(int[] values, int at, int value) {
            int[] grown = new int[values.length + 1];
            System.arraycopy(values, 0, grown, 0, at);
            grown[at] = value;
            System.arraycopy(values, at, grown, at + 1, values.length - at);
            return grown;
        }

        private static int[] removed(int[] values, int at) {
            int[] shrunk = new int[values.length - 1];
            System.arraycopy(values, 0, shrunk, 0, at);
            System.arraycopy(values, at + 1, shrunk, at, values.length - at - 1);
            return shrunk;
        }
    }

    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final Map<String, Entry> entries = new HashMap<>();
    private final EnumMap<Field, Map<String, IdSet>> fields = new EnumMap<>(Field.class);
    private final Map<String, Postings> wordIndex = new HashMap<>();
    /** Entries by number; numbers of removed agents are used again. */
    private Entry[] byDoc = new Entry[0];
    /** Agents' IDs by number: the text query compares a candidate's ID without reading its entry (two cache misses fewer). */
    private String[] idByDoc = new String[0];
    private final ArrayDeque<Integer> freeDocs = new ArrayDeque<>();
    private int nextDoc;
    private long totalLength;
    private final Map<String, Long> removed = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
            return size() > REMOVED_MEMORY;
        }
    };

    public AgentIndex() {
        for (Field field : Field.values()) {
            fields.put(field, new HashMap<>());
        }
    }

    /** Replaces the whole content (start-up), building each set once. */
    public void load(Collection<Agent> agents) {
        Map<Field, Map<String, List<Entry>>> terms = new EnumMap<>(Field.class);
        Map<String, List<Entry>> words = new HashMap<>();
        Map<String, Entry> loaded = new HashMap<>();
        List<Entry> numbered = new ArrayList<>();
        long length = 0;
        for (Agent agent : agents) {
            if (agent.status() == AgentStatus.DEREGISTERED) {
                continue;
            }
            Entry entry = entry(agent).numbered(numbered.size());
            Entry replaced = loaded.put(agent.id(), entry);
            if (replaced != null) {
                throw new IllegalArgumentException("agent " + agent.id() + " given twice");
            }
            numbered.add(entry);
            length += entry.length();
            terms(agent).forEach((field, values) -> values.forEach(value ->
                    terms.computeIfAbsent(field, f -> new HashMap<>()).computeIfAbsent(value, v -> new ArrayList<>()).add(entry)));
            for (String word : entry.words()) {
                words.computeIfAbsent(word, w -> new ArrayList<>()).add(entry);
            }
        }
        Map<String, Postings> postings = new HashMap<>();
        words.forEach((word, holders) -> {
            int[] docs = new int[holders.size()];
            int[] packed = new int[holders.size()];
            for (int i = 0; i < docs.length; i++) {
                Entry holder = holders.get(i);
                int at = Arrays.binarySearch(holder.words(), word);
                docs[i] = holder.doc();
                packed[i] = Postings.pack(holder.frequencies()[at], holder.length());
                holder.words()[at] = word; // one instance of each word, the index's
            }
            // ascending: holders were added in number order
            postings.put(word, Postings.of(word, docs, packed));
        });
        lock.writeLock().lock();
        try {
            entries.clear();
            entries.putAll(loaded);
            byDoc = numbered.toArray(new Entry[0]);
            idByDoc = new String[byDoc.length];
            for (Entry entry : byDoc) {
                idByDoc[entry.doc()] = entry.agent().id();
            }
            nextDoc = byDoc.length;
            freeDocs.clear();
            totalLength = length;
            for (Field field : Field.values()) {
                Map<String, IdSet> sets = fields.get(field);
                sets.clear();
                terms.getOrDefault(field, Map.of()).forEach((value, holders) -> sets.put(value, IdSet.of(
                        holders.stream().map(holder -> holder.agent().id()).toArray(String[]::new),
                        holders.stream().mapToInt(Entry::doc).toArray())));
            }
            wordIndex.clear();
            wordIndex.putAll(postings);
            removed.clear();
        } finally {
            lock.writeLock().unlock();
        }
    }

    /**
     * Applies the state of one agent: indexes it, re-indexes it, or removes it when deregistered.
     * Answers false when the index already holds this revision or a later one.
     */
    public boolean apply(Agent agent) {
        // the words and the view are made before the lock: readers wait only for the swap
        Entry made = agent.status() == AgentStatus.DEREGISTERED ? null : entry(agent);
        lock.writeLock().lock();
        try {
            Entry old = entries.get(agent.id());
            long known = old != null ? old.agent().revision() : removed.getOrDefault(agent.id(), -1L);
            if (agent.revision() <= known) {
                return false;
            }
            if (old != null) {
                unindex(old);
            }
            if (made == null) {
                removed.put(agent.id(), agent.revision());
                if (old != null) {
                    freeDocs.push(old.doc());
                }
                return true;
            }
            removed.remove(agent.id());
            Entry entry = made.numbered(old != null ? old.doc() : number());
            entries.put(agent.id(), entry);
            byDoc[entry.doc()] = entry;
            idByDoc[entry.doc()] = agent.id();
            totalLength += entry.length();
            terms(agent).forEach((field, values) -> values.forEach(value ->
                    fields.get(field).merge(value, IdSet.EMPTY.with(agent.id(), entry.doc()), (a, b) -> a.with(agent.id(), entry.doc()))));
            String[] words = entry.words();
            for (int i = 0; i < words.length; i++) {
                Postings postings = wordIndex.get(words[i]);
                postings = postings == null ? Postings.empty(words[i]) : postings;
                words[i] = postings.word();
                wordIndex.put(postings.word(), postings.with(entry.doc(), entry.frequencies()[i], entry.length()));
            }
            return true;
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** A free number for a new agent, growing the table when none is free. Under the write lock. */
    private int number() {
        Integer free = freeDocs.poll();
        if (free != null) {
            return free;
        }
        if (nextDoc == byDoc.length) {
            byDoc = Arrays.copyOf(byDoc, Math.max(64, byDoc.length * 2));
            idByDoc = Arrays.copyOf(idByDoc, byDoc.length);
        }
        return nextDoc++;
    }

    public Optional<Agent> get(String id) {
        lock.readLock().lock();
        try {
            Entry entry = entries.get(id);
            return entry == null ? Optional.empty() : Optional.of(entry.agent());
        } finally {
            lock.readLock().unlock();
        }
    }

    public int size() {
        lock.readLock().lock();
        try {
            return entries.size();
        } finally {
            lock.readLock().unlock();
        }
    }

    /** The page of at most {@code limit} matches after {@code after}. */
    public Page search(DiscoveryQuery query, Position after, int limit) {
        return search(query, after, limit, null);
    }

    /**
     * The page of at most {@code limit} matches after {@code after} that {@code visible} accepts
     * (null: all): access control filters during the walk, so a page is as full as it can be and
     * its cursor is right. {@code visible} is asked only for agents that match the query; for a text
     * query, only for the best ones when they are all visible ({@link #rankedVisible}).
     */
    public Page search(DiscoveryQuery query, Position after, int limit, Predicate<Agent> visible) {
        lock.readLock().lock();
        try {
            List<List<IdSet>> groups = new ArrayList<>();
            for (Map.Entry<Field, Set<String>> filter : filters(query).entrySet()) {
                if (filter.getValue().isEmpty()) {
                    continue;
                }
                List<IdSet> sets = new ArrayList<>();
                for (String value : filter.getValue()) {
                    IdSet set = fields.get(filter.getKey()).get(value);
                    if (set != null) {
                        sets.add(set);
                    }
                }
                if (sets.isEmpty()) {
                    return new Page(List.of(), null);
                }
                groups.add(sets);
            }
            return query.ranked() ? page(rankedVisible(query.words(), groups, after, limit, visible), limit)
                    : ordered(groups, after, limit, visible);
        } finally {
            lock.readLock().unlock();
        }
    }

    private Page ordered(List<List<IdSet>> groups, Position after, int limit, Predicate<Agent> visible) {
        groups.sort(Comparator.comparingLong(AgentIndex::size));
        List<IdSet> driver = groups.get(0);
        List<List<IdSet>> probes = groups.subList(1, groups.size());
        List<Hit> hits = new ArrayList<>();
        // walk the driver's IDs in order (a merge when it has several values), probing the others
        int[] positions = new int[driver.size()];
        for (int i = 0; i < driver.size(); i++) {
            positions[i] = driver.get(i).firstAfter(after.id());
        }
        while (hits.size() <= limit) {
            String smallest = null;
            int doc = -1;
            for (int i = 0; i < driver.size(); i++) {
                if (positions[i] < driver.get(i).size()) {
                    String candidate = driver.get(i).get(positions[i]);
                    if (smallest == null || candidate.compareTo(smallest) < 0) {
                        smallest = candidate;
                        doc = driver.get(i).doc(positions[i]);
                    }
                }
            }
            if (smallest == null) {
                break;
            }
            for (int i = 0; i < driver.size(); i++) {
                if (positions[i] < driver.get(i).size() && driver.get(i).get(positions[i]).equals(smallest)) {
                    positions[i]++;
                }
            }
            if (matches(doc, probes)) {
                Entry entry = byDoc[doc];
                if (visible == null || visible.test(entry.agent())) {
                    hits.add(new Hit(entry.agent(), 0, entry.view()));
                }
            }
        }
        return page(hits, limit);
    }

    /**
     * The best {@code limit + 1} ranked hits after the position that {@code visible} accepts, in rank
     * order. Access control is asked last: the best hits are found without it, and when all of them
     * are visible they are the answer (the visible hits are a subset of all, so the best of all, when
     * visible, are the best visible ones). Asking it during the walk would ask it for every agent that
     * enters the best ones on the way, hundreds a query where the page holds twenty. Only when one of
     * them is hidden is the walk made again with it, each agent decided at most once.
     */
    private List<Hit> rankedVisible(List<String> words, List<List<IdSet>> groups, Position after, int limit,
                                    Predicate<Agent> visible) {
        List<Hit> best = ranked(words, groups, after, limit, null);
        if (visible == null) {
            return best;
        }
        Map<String, Boolean> decided = new HashMap<>();
        boolean allVisible = true;
        for (Hit hit : best) {
            boolean shown = visible.test(hit.agent());
            decided.put(hit.agent().id(), shown);
            allVisible &= shown;
        }
        if (allVisible) {
            return best;
        }
        return ranked(words, groups, after, limit, agent -> decided.computeIfAbsent(agent.id(), id -> visible.test(agent)));
    }

    /**
     * The ranked page: the best {@code limit + 1} after the position, found by walking the query's
     * words' holders in impact order (the threshold algorithm): each step visits the next holder of
     * the word whose unvisited holders could add the most, scores it whole (the other words looked up
     * by number), and the walk ends once the page is full and what the unvisited holders could reach
     * together stays below its worst score. Holders of high frequency in short texts come first, so a
     * two-word query over 100,000 agents visits about a third of its rarer word's holders and few of
     * the common word's, where a walk by number visits them all. A word's share of a score is
     * computed the same way whichever list the agent was found in, and the score is the shares' sum in
     * the query's word order, so pages and cursors do not depend on the order of the walk. When the
     * filters admit few agents, each of them is scored instead (the walk would pass over most holders).
     */
    private List<Hit> ranked(List<String> words, List<List<IdSet>> groups, Position after, int limit, Predicate<Agent> visible) {
        int documents = entries.size();
        if (documents == 0) {
            return List.of();
        }
        // BM25's length normalization K1 * (1 - B + B * length / average) as a multiply-add
        double averageLength = Math.max(1.0, (double) totalLength / documents);
        double normBase = K1 * (1 - B);
        double normPerLength = K1 * B / averageLength;
        List<ImpactWalk> found = new ArrayList<>();
        for (String word : new LinkedHashSet<>(words)) {
            Postings postings = wordIndex.get(word);
            if (postings != null) {
                found.add(new ImpactWalk(postings, documents, normBase, normPerLength));
            }
        }
        int n = found.size();
        ImpactWalk[] walks = found.toArray(new ImpactWalk[0]);
        Best best = new Best(limit + 1, after, visible);
        RoaringBitmap admittedSet = admitted(groups);
        long postings = 0;
        for (ImpactWalk walk : walks) {
            postings += walk.size();
        }
        if (admittedSet != null && (long) admittedSet.getCardinality() * n * FEW_ADMITTED < postings) {
            // filters that admit few agents: each of them scored, where the walk would pass over most holders
            scoreEach(admittedSet, walks, best);
        } else {
            // the agents the filters admit as a bitset (a word per 64 numbers): one outside is passed over before it is scored;
            // a single set (the default status=ONLINE alone) keeps its own
            long[] admitted = admittedSet == null ? null
                    : groups.size() == 1 && groups.get(0).size() == 1 ? groups.get(0).get(0).bits()
                    : BitSetUtil.toLongArray(admittedSet);
            walk(walks, admitted, best);
        }
        List<Hit> hits = new ArrayList<>(best.size);
        for (int i = 0; i < best.size; i++) {
            Entry entry = byDoc[best.docs[i]];
            hits.add(new Hit(entry.agent(), best.scores[i], entry.view()));
        }
        hits.sort(AgentIndex::rank);
        return hits;
    }

    /**
     * The threshold algorithm: the next holder of the word whose unvisited holders could add the most,
     * scored whole (the other words looked up by number), until what the unvisited holders could reach
     * together stays below the worst of the best.
     */
    private static void walk(ImpactWalk[] walks, long[] admitted, Best best) {
        int n = walks.length;
        // most[w]: the most word w adds to any score; an agent whose visited share and the others' most
        // cannot reach the best is dropped without looking the others up
        double[] most = new double[n];
        double mostTotal = 0;
        for (int w = 0; w < n; w++) {
            most[w] = walks[w].bound();
            mostTotal += most[w];
        }
        while (true) {
            int pick = -1;
            double pickBound = 0;
            double reachable = 0;
            for (int w = 0; w < n; w++) {
                double bound = walks[w].bound();
                reachable += bound;
                if (bound > pickBound) {
                    pickBound = bound;
                    pick = w;
                }
            }
            // every holder visited, or none left that could enter the best (far below: bounds are summed in another order)
            if (pick < 0 || reachable * MARGIN < best.threshold()) {
                return;
            }
            ImpactWalk walk = walks[pick];
            int doc = walk.doc();
            double norm = walk.norm(walk.packed());
            double own = walk.share(walk.packed(), norm);
            walk.advance();
            if (admitted != null && ((doc >>> 6) >= admitted.length || (admitted[doc >>> 6] & (1L << doc)) == 0)) {
                continue;
            }
            if ((own + mostTotal - most[pick]) * MARGIN < best.threshold()) {
                continue;
            }
            // the other words looked up; an agent that another word's walk has passed already was offered then
            double score = 0;
            boolean offered = false;
            for (int w = 0; w < n && !offered; w++) {
                if (w == pick) {
                    score += own;
                    continue;
                }
                int at = walks[w].indexOf(doc);
                if (at >= 0) {
                    int packed = walks[w].packedAt(at);
                    offered = walks[w].passed(packed, doc);
                    score += walks[w].share(packed, norm);
                }
            }
            if (!offered) {
                best.offer(score, doc);
            }
        }
    }

    /** Each admitted agent that holds a word of the query, scored. */
    private static void scoreEach(RoaringBitmap admitted, ImpactWalk[] walks, Best best) {
        int n = walks.length;
        int[] at = new int[n];
        for (IntIterator agents = admitted.getIntIterator(); agents.hasNext(); ) {
            int doc = agents.next();
            double norm = -1; // the agent's, from the first word it holds
            for (int w = 0; w < n; w++) {
                at[w] = walks[w].indexOf(doc);
                if (at[w] >= 0 && norm < 0) {
                    norm = walks[w].norm(walks[w].packedAt(at[w]));
                }
            }
            if (norm < 0) {
                continue;
            }
            double score = 0;
            for (int w = 0; w < n; w++) {
                score += at[w] < 0 ? 0 : walks[w].share(walks[w].packedAt(at[w]), norm);
            }
            best.offer(score, doc);
        }
    }

    /**
     * One word of a text query, its holders walked in impact order, with a bound on what the holders
     * not yet visited can add to a score: the share of the next one, or of the first holder of a later
     * run of equal frequencies (a lower frequency in a shorter text) when that is more.
     */
    private static final class ImpactWalk {
        private final Postings postings;
        /** idf * (K1 + 1): a share is weight * tf / (tf + norm). */
        private final double weight;
        private final double normBase;
        private final double normPerLength;
        /** Where each run of equal frequencies ends (exclusive), and the most a holder of a later run adds. */
        private final int[] runEnds;
        private final double[] laterMost;
        private int position;
        private int run;

        ImpactWalk(Postings postings, int documents, double normBase, double normPerLength) {
            this.postings = postings;
            this.normBase = normBase;
            this.normPerLength = normPerLength;
            int size = postings.docs().length;
            weight = Math.log(1 + (documents - size + 0.5) / (size + 0.5)) * (K1 + 1);
            int[] impactPacked = postings.impactPacked();
            int[] ends = new int[8];
            double[] firsts = new double[8];
            int runs = 0;
            for (int start = 0; start < size; runs++) {
                if (runs == ends.length) {
                    ends = Arrays.copyOf(ends, runs * 2);
                    firsts = Arrays.copyOf(firsts, runs * 2);
                }
                firsts[runs] = share(impactPacked[start]);
                start = runEnd(impactPacked, start, size, Postings.frequency(impactPacked[start]));
                ends[runs] = start;
            }
            runEnds = Arrays.copyOf(ends, runs);
            laterMost = new double[runs];
            double later = 0;
            for (int r = runs - 1; r >= 0; r--) {
                laterMost[r] = later;
                later = Math.max(later, firsts[r]);
            }
        }

        /** The first index after {@code start} whose frequency is below {@code frequency} (binary search: frequencies descend). */
        private static int runEnd(int[] impactPacked, int start, int size, int frequency) {
            int low = start + 1;
            int high = size;
            while (low < high) {
                int middle = (low + high) >>> 1;
                if (Postings.frequency(impactPacked[middle]) >= frequency) {
                    low = middle + 1;
                } else {
                    high = middle;
                }
            }
            return low;
        }

        /** The most an unvisited holder can add; 0 when all are visited. */
        double bound() {
            if (position >= postings.impactDocs().length) {
                return 0;
            }
            return Math.max(share(postings.impactPacked()[position]), laterMost[run]);
        }

        int doc() {
            return postings.impactDocs()[position];
        }

        int packed() {
            return postings.impactPacked()[position];
        }

        void advance() {
            position++;
            if (position == runEnds[run] && run < runEnds.length - 1) {
                run++;
            }
        }

        /**
         * Whether the walk has visited this holder (with its packed frequency and length) already: the
         * holders before the next one in impact order. An agent holding several words is scored by the
         * first walk to reach it; when that walk passed it over (filters, or a bound below the best
         * then), its score could not have entered the best, nor can it now.
         */
        boolean passed(int packed, int doc) {
            return position >= postings.impactDocs().length
                    || Postings.impactKey(packed, doc) < Postings.impactKey(packed(), doc());
        }

        int size() {
            return postings.docs().length;
        }

        /** Where the agent is among the holders by number; -1 when it does not hold the word. */
        int indexOf(int doc) {
            return postings.indexOf(doc);
        }

        /** The frequency and length of the holder at a place by number. */
        int packedAt(int at) {
            return postings.packed()[at];
        }

        double share(int packed, double norm) {
            int tf = Postings.frequency(packed);
            return weight * tf / (tf + norm);
        }

        private double share(int packed) {
            return share(packed, norm(packed));
        }

        /** BM25's length normalization of the holder's text, K1 * (1 - B + B * length / average), as a multiply-add. */
        double norm(int packed) {
            return normBase + normPerLength * Postings.length(packed);
        }
    }

    /**
     * The best scored agents so far, at most {@code capacity}, as a heap of numbers and scores whose
     * root is the worst of them (lowest score, then highest ID): the text query offers it hundreds of
     * candidates, so no object is made for one until the page is known.
     */
    private final class Best {
        final double[] scores;
        final int[] docs;
        int size;
        private final Position after;
        private final Predicate<Agent> visible;
        /** The worst score of the best once there are as many as wanted; until then none. */
        private double threshold = Double.NEGATIVE_INFINITY;

        Best(int capacity, Position after, Predicate<Agent> visible) {
            scores = new double[capacity];
            docs = new int[capacity];
            this.after = after;
            this.visible = visible;
        }

        double threshold() {
            return threshold;
        }

        /** Takes the scored agent if it comes after the position, is visible, and beats the worst of the best. */
        void offer(double score, int doc) {
            // the ID, and then the entry (cache misses), are read only for an agent that may enter the best ones
            if (score > after.score() || score < threshold) {
                return;
            }
            if (score == after.score() && idByDoc[doc].compareTo(after.id()) <= 0) {
                return;
            }
            if (full() && !beats(score, doc)) {
                return;
            }
            if (visible != null && !visible.test(byDoc[doc].agent())) {
                return;
            }
            add(score, doc);
            if (full()) {
                threshold = worstScore();
            }
        }

        boolean full() {
            return size == docs.length;
        }

        double worstScore() {
            return scores[0];
        }


        /** Whether the agent ranks before the worst of the best (higher score, then lower ID). */
        boolean beats(double score, int doc) {
            return score > scores[0] || (score == scores[0] && idByDoc[doc].compareTo(idByDoc[docs[0]]) < 0);
        }

        /** Adds the agent, dropping the worst when full (the caller checked that it {@link #beats} it). */
        void add(double score, int doc) {
            if (full()) {
                scores[0] = score;
                docs[0] = doc;
                down(0);
            } else {
                scores[size] = score;
                docs[size] = doc;
                up(size++);
            }
        }

        /** Whether the entry at {@code i} ranks after the one at {@code j}. */
        private boolean worse(int i, int j) {
            return scores[i] < scores[j] || (scores[i] == scores[j] && idByDoc[docs[i]].compareTo(idByDoc[docs[j]]) > 0);
        }

        private void up(int i) {
            while (i > 0) {
                int parent = (i - 1) >>> 1;
                if (!worse(i, parent)) {
                    return;
                }
                swap(i, parent);
                i = parent;
            }
        }

        private void down(int i) {
            while (true) {
                int child = 2 * i + 1;
                if (child >= size) {
                    return;
                }
                if (child + 1 < size && worse(child + 1, child)) {
                    child++;
                }
                if (!worse(child, i)) {
                    return;
                }
                swap(i, child);
                i = child;
            }
        }

        private void swap(int i, int j) {
            double score = scores[i];
            scores[i] = scores[j];
            scores[j] = score;
            int doc = docs[i];
            docs[i] = docs[j];
            docs[j] = doc;
        }
    }

    /** The ranked order: higher score first, then lower ID. */
    private static int rank(Hit a, Hit b) {
        int byScore = Double.compare(b.score(), a.score());
        return byScore != 0 ? byScore : a.agent().id().compareTo(b.agent().id());
    }

    private static Page page(List<Hit> hits, int limit) {
        if (hits.size() <= limit) {
            return new Page(List.copyOf(hits), null);
        }
        Hit last = hits.get(limit - 1);
        return new Page(List.copyOf(hits.subList(0, limit)), new Position(last.score(), last.agent().id()));
    }

    /** The numbers of the agents that are in a set of every group; null when there is no group (all are). */
    private static RoaringBitmap admitted(List<List<IdSet>> groups) {
        RoaringBitmap admitted = null;
        for (List<IdSet> group : groups) {
            RoaringBitmap any = group.size() == 1 ? group.get(0).members()
                    : RoaringBitmap.or(group.stream().map(IdSet::members).iterator());
            // new bitmaps: the sets' own are never changed
            admitted = admitted == null ? any : RoaringBitmap.and(admitted, any);
        }
        return admitted;
    }

    /** Whether the agent numbered {@code doc} is in a set of every group (bit tests). */
    private static boolean matches(int doc, List<List<IdSet>> groups) {
        for (List<IdSet> group : groups) {
            boolean any = false;
            for (IdSet set : group) {
                if (set.contains(doc)) {
                    any = true;
                    break;
                }
            }
            if (!any) {
                return false;
            }
        }
        return true;
    }

    private static long size(List<IdSet> group) {
        return group.stream().mapToLong(IdSet::size).sum();
    }

    private void unindex(Entry old) {
        String id = old.agent().id();
        entries.remove(id);
        totalLength -= old.length();
        terms(old.agent()).forEach((field, values) -> values.forEach(value -> shrink(fields.get(field), value, id)));
        for (String word : old.words()) {
            Postings postings = wordIndex.get(word);
            if (postings != null) {
                Postings smaller = postings.without(old.doc());
                if (smaller == null) {
                    wordIndex.remove(word);
                } else {
                    wordIndex.put(word, smaller);
                }
            }
        }
        byDoc[old.doc()] = null;
        idByDoc[old.doc()] = null;
    }

    private static void shrink(Map<String, IdSet> sets, String key, String id) {
        IdSet set = sets.get(key);
        if (set != null) {
            IdSet smaller = set.without(id);
            if (smaller.size() == 0) {
                sets.remove(key);
            } else {
                sets.put(key, smaller);
            }
        }
    }

    private static Map<Field, Set<String>> filters(DiscoveryQuery query) {
        Map<Field, Set<String>> filters = new EnumMap<>(Field.class);
        filters.put(Field.CAPABILITY, query.capabilities());
        filters.put(Field.PROTOCOL, query.protocols());
        filters.put(Field.LANGUAGE, query.languages());
        filters.put(Field.DOMAIN, query.domains());
        Set<String> statuses = new LinkedHashSet<>();
        query.statuses().forEach(s -> statuses.add(s.name()));
        filters.put(Field.STATUS, statuses);
        return filters;
    }

    /** The values an agent is found by, per field, as queries write them (lower case; languages with their prefixes). */
    static Map<Field, Set<String>> terms(Agent agent) {
        Map<Field, Set<String>> terms = new EnumMap<>(Field.class);
        AgentProfile profile = agent.profile();
        Set<String> capabilities = new LinkedHashSet<>();
        for (AgentSkill skill : profile.skills()) {
            capabilities.add(skill.id().toLowerCase(Locale.ROOT));
            skill.tags().forEach(tag -> capabilities.add(tag.toLowerCase(Locale.ROOT)));
        }
        terms.put(Field.CAPABILITY, capabilities);
        Set<String> protocols = new LinkedHashSet<>();
        profile.protocols().forEach(p -> protocols.add(p.canonical()));
        terms.put(Field.PROTOCOL, protocols);
        Set<String> languages = new LinkedHashSet<>();
        for (String language : profile.languages()) {
            String lower = language.toLowerCase(Locale.ROOT);
            for (int dash = lower.indexOf('-'); dash > 0; dash = lower.indexOf('-', dash + 1)) {
                languages.add(lower.substring(0, dash));
            }
            languages.add(lower);
        }
        terms.put(Field.LANGUAGE, languages);
        terms.put(Field.DOMAIN, Set.of(agent.domain().toLowerCase(Locale.ROOT)));
        terms.put(Field.STATUS, Set.of(agent.status().name()));
        return terms;
    }

    /** The agent's words with their weighted frequencies (name x3; skill ids, names and tags x2; descriptions x1). */
    private Entry entry(Agent agent) {
        Map<String, Integer> counts = new TreeMap<>();
        AgentProfile profile = agent.profile();
        count(counts, profile.name(), NAME_WEIGHT);
        count(counts, profile.description(), 1);
        for (AgentSkill skill : profile.skills()) {
            count(counts, skill.id(), SKILL_WEIGHT);
            count(counts, skill.name(), SKILL_WEIGHT);
            skill.tags().forEach(tag -> count(counts, tag, SKILL_WEIGHT));
            count(counts, skill.description(), 1);
        }
        String[] words = new String[counts.size()];
        int[] frequencies = new int[counts.size()];
        int i = 0;
        int length = 0;
        for (Map.Entry<String, Integer> count : counts.entrySet()) {
            words[i] = count.getKey();
            frequencies[i] = count.getValue();
            length += count.getValue();
            i++;
        }
        return new Entry(agent, -1, words, frequencies, length,
                ProfileJson.view(agent).toString().getBytes(StandardCharsets.UTF_8));
    }

    private static void count(Map<String, Integer> counts, String text, int weight) {
        for (String word : Words.of(text)) {
            counts.merge(word, weight, Integer::sum);
        }
    }
}
