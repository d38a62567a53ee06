package dev.jepoll.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/**
 * The receiving side's bookkeeping: a node's messages, some lost and some repeated on the way,
 * are delivered once each in order, and every line is either delivered or counted as a gap.
 */
class SequencesProperties {
    @Property
    void everyLineIsDeliveredOnceOrCountedAsAGap(
            @ForAll @Size(min = 1, max = 60) List<@IntRange(min = 1, max = 9) Integer> messageSizes,
            @ForAll @Size(max = 60) List<@IntRange(min = 0, max = 2) Integer> fates) {
        // fate per message: 0 arrives, 1 lost, 2 arrives twice; the first always arrives (before it, the
        // receiver had not heard of the node: it joined then), and so does the last (after it, nothing shows a gap)
        Sequences sequences = new Sequences();
        long first = 1;
        long delivered = 0;
        List<Long> deliveredFirsts = new ArrayList<>();
        for (int i = 0; i < messageSizes.size(); i++) {
            int size = messageSizes.get(i);
            Frame frame = new Frame(42, first, size);
            int fate = i == 0 || i == messageSizes.size() - 1 || i >= fates.size() ? 0 : fates.get(i);
            if (fate != 1 && sequences.accept(frame)) {
                delivered += size;
                deliveredFirsts.add(first);
            }
            if (fate == 2) { // a repeat right away, or later: the same to the receiver
                assertFalse(sequences.accept(frame), "a repeat is not delivered again");
            }
            first += size;
        }
        long total = first - 1;
        assertEquals(total, delivered + sequences.gaps(), "delivered + gaps = every line said");
        assertEquals(deliveredFirsts.stream().sorted().toList(), deliveredFirsts, "in order");
        long repeated = 0;
        for (int i = 1; i < messageSizes.size() - 1 && i < fates.size(); i++) {
            if (fates.get(i) == 2) {
                repeated += messageSizes.get(i);
            }
        }
        assertEquals(repeated, sequences.duplicates());
    }

    @Test
    void aNodeHeardForTheFirstTimeHasNoGapBehindIt() {
        Sequences sequences = new Sequences();
        assertTrue(sequences.accept(new Frame(1, 500, 2)), "joined late: starts where the node is");
        assertEquals(0, sequences.gaps());
        assertTrue(sequences.accept(new Frame(1, 505, 1)));
        assertEquals(3, sequences.gaps(), "lines 502..504");
    }

    @Test
    void nodesAreCountedApart() {
        Sequences sequences = new Sequences();
        assertTrue(sequences.accept(new Frame(1, 1, 5)));
        assertTrue(sequences.accept(new Frame(2, 1, 5)), "another node's line 1 is not a repeat");
        assertFalse(sequences.accept(new Frame(1, 3, 1)));
        assertEquals(1, sequences.duplicates());
    }
}
