package org.agentnet.ars;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class IdSetTest {

    /** The set's IDs in order, each with its number, and its bitmap holding exactly those numbers. */
    private static void assertHolds(TreeMap<String, Integer> expected, IdSet set, int numbers) {
        assertEquals(expected.size(), set.size());
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < set.size(); i++) {
            ids.add(set.get(i));
            assertEquals(expected.get(set.get(i)), set.doc(i), set.get(i));
        }
        assertEquals(List.copyOf(expected.keySet()), ids, "ID order");
        for (int doc = 0; doc < numbers; doc++) {
            assertEquals(expected.containsValue(doc), set.contains(doc), "number " + doc);
        }
        assertEquals(expected.size(), set.members().getCardinality());
    }

    @Test
    void idsStayInOrderWithTheirNumbersAndTheBitmapFollowsEveryChange() {
        Random random = new Random(3);
        int numbers = 5000;
        TreeMap<String, Integer> expected = new TreeMap<>();
        // a bulk load, then single changes; the numbers of the IDs: a fixed, shuffled mapping
        Map<String, Integer> numberOf = new java.util.HashMap<>();
        List<Integer> free = new ArrayList<>();
        for (int doc = 0; doc < numbers; doc++) {
            free.add(doc);
        }
        java.util.Collections.shuffle(free, random);
        for (int i = 0; i < numbers; i++) {
            numberOf.put(java.util.UUID.nameUUIDFromBytes(new byte[] {(byte) i, (byte) (i >> 8)}).toString(), free.get(i));
        }
        List<String> all = List.copyOf(numberOf.keySet());
        List<String> loaded = all.subList(0, 1500);
        IdSet set = IdSet.of(loaded.toArray(String[]::new), loaded.stream().mapToInt(numberOf::get).toArray());
        loaded.forEach(id -> expected.put(id, numberOf.get(id)));
        assertHolds(expected, set, numbers);
        for (int step = 0; step < 3000; step++) {
            String id = all.get(random.nextInt(all.size()));
            IdSet before = set;
            if (random.nextBoolean()) {
                set = set.with(id, numberOf.get(id));
                if (expected.put(id, numberOf.get(id)) != null) {
                    assertSame(before, set, "already held: the same set");
                }
            } else {
                set = set.without(id);
                if (expected.remove(id) == null) {
                    assertSame(before, set, "not held: the same set");
                }
            }
            if (step % 100 == 0) {
                assertHolds(expected, set, numbers);
                assertFalse(set == before && before.size() != expected.size());
            }
        }
        assertHolds(expected, set, numbers);
    }

    @Test
    void aSetIsNeverChangedByTheSetsMadeFromIt() {
        IdSet one = IdSet.of(new String[] {"b", "a"}, new int[] {7, 3});
        IdSet two = one.with("c", 9);
        IdSet three = two.without("a");
        assertTrue(one.contains(3) && one.contains(7) && !one.contains(9));
        assertTrue(two.contains(3) && two.contains(7) && two.contains(9));
        assertTrue(!three.contains(3) && three.contains(7) && three.contains(9));
        assertEquals(0, one.firstAfter(""));
        assertEquals(1, one.firstAfter("a"));
        assertEquals("b", one.get(one.firstAfter("a")));
        assertEquals(7, one.doc(one.firstAfter("a")));
        IdSet renumbered = two.with("a", 4);
        assertTrue(renumbered.contains(4) && !renumbered.contains(3), "an ID given a new number loses its old one");
        assertTrue(two.contains(3) && !two.contains(4));
        assertSame(IdSet.EMPTY, IdSet.of(new String[0], new int[0]));
        assertSame(IdSet.EMPTY, IdSet.of(new String[] {"a"}, new int[] {1}).without("a"));
        assertThrows(IllegalArgumentException.class, () -> IdSet.of(new String[] {"a", "a"}, new int[] {1, 2}));
    }

    /** The bitset is made once per set and holds exactly the set's numbers; a changed set makes its own. */
    @Test
    void theBitsetHoldsExactlyTheMembersOfItsSet() {
        IdSet set = IdSet.of(new String[] {"a", "b", "c", "d"}, new int[] {0, 63, 64, 4097});
        long[] bits = set.bits();
        assertSame(bits, set.bits());
        for (int doc = 0; doc < bits.length * 64; doc++) {
            assertEquals(set.contains(doc), (bits[doc >>> 6] & (1L << doc)) != 0, "number " + doc);
        }
        IdSet smaller = set.without("c");
        assertFalse((smaller.bits()[1] & 1L) != 0);
        assertTrue((set.bits()[1] & 1L) != 0);
    }
}
