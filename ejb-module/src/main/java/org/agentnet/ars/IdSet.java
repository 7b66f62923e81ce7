package org.agentnet.ars;

import java.util.Arrays;
import java.util.Collection;

/**
 * An immutable set of agent IDs kept as a sorted array: four bytes an entry, membership by binary
 * search, and iteration in ID order from any position (discovery's paging order). A change makes a
 * new set; {@link AgentIndex} swaps it in under its write lock.
 */
final class IdSet {

    static final IdSet EMPTY = new IdSet(new String[0]);

    private final String[] ids;

    private IdSet(String[] ids) {
        this.ids = ids;
    }

    /** A set of the given IDs (sorted here once, for bulk loading). */
    static IdSet of(Collection<String> values) {
        String[] sorted = values.stream().distinct().sorted().toArray(String[]::new);
        return sorted.length == 0 ? EMPTY : new IdSet(sorted);
    }

    int size() {
        return ids.length;
    }

    String get(int index) {
        return ids[index];
    }

    boolean contains(String id) {
        return Arrays.binarySearch(ids, id) >= 0;
    }

    /** The index of the first ID greater than {@code id} ("" is before every ID). */
    int firstAfter(String id) {
        int at = Arrays.binarySearch(ids, id);
        return at >= 0 ? at + 1 : -at - 1;
    }

    IdSet with(String id) {
        int at = Arrays.binarySearch(ids, id);
        if (at >= 0) {
            return this;
        }
        int insert = -at - 1;
        String[] grown = new String[ids.length + 1];
        System.arraycopy(ids, 0, grown, 0, insert);
        grown[insert] = id;
        System.arraycopy(ids, insert, grown, insert + 1, ids.length - insert);
        return new IdSet(grown);
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
        System.arraycopy(ids, 0, shrunk, 0, at);
        System.arraycopy(ids, at + 1, shrunk, at, ids.length - at - 1);
        return new IdSet(shrunk);
    }
}
