package dev.jepoll.reactor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Totals add up, peaks keep the largest, closes are counted by reason, and all of it prints as one line. */
class CountersTest {

    @Test
    void aPeakKeepsTheLargestValueSeen() {
        Counters c = new Counters();
        c.max(Counter.PEAK_PENDING_BYTES, 5);
        c.max(Counter.PEAK_PENDING_BYTES, 3);
        assertEquals(5, c.get(Counter.PEAK_PENDING_BYTES));
        c.max(Counter.PEAK_PENDING_BYTES, 7);
        assertEquals(7, c.get(Counter.PEAK_PENDING_BYTES));
    }

    @Test
    void severalLoopsAddTheirTotalsAndKeepTheLargestPeak() {
        Counters a = new Counters();
        Counters b = new Counters();
        a.add(Counter.READS, 3);
        b.add(Counter.READS, 4);
        a.max(Counter.PEAK_PENDING_BYTES, 5);
        b.max(Counter.PEAK_PENDING_BYTES, 9);
        a.closed(CloseReason.PEER_CLOSED);
        b.closed(CloseReason.PEER_CLOSED);
        b.closed(CloseReason.PEER_CLOSED);
        b.closed(CloseReason.SLOW_CONSUMER);

        Counters sum = Counters.sum(List.of(a, b));
        assertEquals(7, sum.get(Counter.READS));
        assertEquals(9, sum.get(Counter.PEAK_PENDING_BYTES), "a peak is not a total");
        assertEquals(3, sum.closes(CloseReason.PEER_CLOSED));
        assertEquals(1, sum.closes(CloseReason.SLOW_CONSUMER));
        assertEquals(4, sum.totalCloses());
        assertEquals(3, a.get(Counter.READS), "the parts are left as they were");
    }

    @Test
    void aSnapshotHoldsEveryCounter() {
        Counters c = new Counters();
        c.add(Counter.WAKEUPS, 2);
        Map<Counter, Long> snapshot = c.snapshot();
        assertEquals(Counter.values().length, snapshot.size());
        assertEquals(2L, snapshot.get(Counter.WAKEUPS));
        assertEquals(0L, snapshot.get(Counter.READS));
    }

    @Test
    void theSummaryNamesEveryCounterAndOnlyTheReasonsThatClosedSomething() {
        Counters c = new Counters();
        c.add(Counter.WAKEUPS, 3);
        c.closed(CloseReason.PEER_CLOSED);
        c.closed(CloseReason.SLOW_CONSUMER);
        c.closed(CloseReason.SLOW_CONSUMER);
        String line = c.summary();
        assertTrue(line.startsWith("wakeups=3 ready_events=0 "), line);
        assertTrue(line.endsWith(" closes[peer closed=1, slow consumer=2]"), line);
        assertEquals(Counter.values().length, line.substring(0, line.indexOf(" closes[")).split(" ").length);
        assertTrue(new Counters().summary().endsWith(" closes[]"));
    }
}
