package org.agentnet.ars;

import java.util.Arrays;
import org.roaringbitmap.BitSetUtil;
import org.roaringbitmap.RoaringBitmap;

/**
 * An immutable set of indexed agents (the holders of one value of a filter field), kept two ways:
 * their IDs as a sorted array with each one's number in the index beside it, for iterating in ID
 * order from any position (discovery's paging order), and their numbers as a bitmap
 * ({@link RoaringBitmap}), so that whether an agent is in the set is a bit test by its number, not
 * a binary search over String IDs. A change makes a new set; {@link AgentIndex} swaps it in under
 * its write lock.
 */
final class IdSet {

    static final IdSet EMPTY = new IdSet(new String[0], new int[0], new RoaringBitmap());

    private final String[] ids;
    /** {@code docs[i]}: the number of the agent {@code ids[i]}. */
    private final int[] docs;
    private final RoaringBitmap members;
    /** The members as a plain bitset, made on first use ({@link #bits}); the set never changes. */
    private volatile long[] bits;

    private IdSet(String[] ids, int[] docs, RoaringBitmap members) {
        this.ids = ids;
        this.docs = docs;
        this.members = members;
    }

    /** A set of the given agents, {@code ids[i]} numbered {@code docs[i]}, distinct IDs (sorted here once, for bulk loading). */
    static IdSet of(String[] ids, int[] docs) {
        if (ids.length != docs.length) {
            throw new IllegalArgumentException("as many numbers as IDs");
        }
        if (ids.length == 0) {
            return EMPTY;
        }
        Integer[] order = new Integer[ids.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> ids[a].compareTo(ids[b]));
        String[] sortedIds = new String[ids.length];
        int[] sortedDocs = new int[ids.length];
        for (int i = 0; i < order.length; i++) {
            sortedIds[i] = ids[order[i]];
            sortedDocs[i] = docs[order[i]];
            if (i > 0 && sortedIds[i].equals(sortedIds[i - 1])) {
                throw new IllegalArgumentException("agent " + sortedIds[i] + " given twice");
            }
        }
        return new IdSet(sortedIds, sortedDocs, bitmap(sortedDocs));
    }

    private static RoaringBitmap bitmap(int[] docs) {
        RoaringBitmap bitmap = RoaringBitmap.bitmapOf(docs);
        bitmap.runOptimize();
        return bitmap;
    }

    int size() {
        return ids.length;
    }

    String get(int index) {
        return ids[index];
    }

    /** The number of the agent at {@code index} (ID order). */
    int doc(int index) {
        return docs[index];
    }

    /** Whether the agent numbered {@code doc} is in the set. */
    boolean contains(int doc) {
        return members.contains(doc);
    }

    /**
     * The numbers of the agents in the set as a bitset (a word per 64 numbers), made once per set:
     * the text query tests a bit for each agent it visits, and the default {@code status=ONLINE} is
     * the same set for every query until an agent's status changes. Not to be changed.
     */
    long[] bits() {
        long[] made = bits;
        if (made == null) {
            made = BitSetUtil.toLongArray(members);
            bits = made;
        }
        return made;
    }

    /** The numbers of the agents in the set; not to be changed. */
    RoaringBitmap members() {
        return members;
    }

    /** The index of the first ID greater than {@code id} ("" is before every ID). */
    int firstAfter(String id) {
        int at = Arrays.binarySearch(ids, id);
        return at >= 0 ? at + 1 : -at - 1;
    }

    /** With the agent {@code id} numbered {@code doc} (this set when it already holds that ID with that number). */
    IdSet with(String id, int doc) {
        int at = Arrays.binarySearch(ids, id);
        if (at >= 0) {
            if (docs[at] == doc) {
                return this;
            }
            int[] renumbered = docs.clone();
            renumbered[at] = doc;
            return new IdSet(ids, renumbered, bitmap(renumbered));
        }
        int insert = -at - 1;
        String[] grown = new String[ids.length + 1];
        int[] grownDocs = new int[ids.length + 1];
        System.arraycopy(ids, 0, grown, 0, insert);
        System.arraycopy(docs, 0, grownDocs, 0, insert);
        grown[insert] = id;
        grownDocs[insert] = doc;
        System.arraycopy(ids, insert, grown, insert + 1, ids.length - insert);
        System.arraycopy(docs, insert, grownDocs, insert + 1, ids.length - insert);
        RoaringBitmap members = this.members.clone();
        members.add(doc);
        return new IdSet(grown, grownDocs, members);
    }

    IdSet without(String id) {
        int at = Arrays.binarySearch(ids, id);
        if (at < 0) {
            return this;
        }
        if (ids.length == 1) {
            return EMPTY;
        }
        String[] shrunk = new String[ids.length - 1];
        int[] shrunkDocs = new int[ids.length - 1];
        System.arraycopy(ids, 0, shrunk, 0, at);
        System.arraycopy(docs, 0, shrunkDocs, 0, at);
        System.arraycopy(ids, at + 1, shrunk, at, ids.length - at - 1);
        System.arraycopy(docs, at + 1, shrunkDocs, at, ids.length - at - 1);
        RoaringBitmap members = this.members.clone();
        members.remove(docs[at]);
        return new IdSet(shrunk, shrunkDocs, members);
    }
}
