package dev.jepoll.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.management.MemoryUsage;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The {@code heap_after_gc_kb} figure: what a collection left in the heap, and nothing else. */
class StatsPrinterTest {
    private static MemoryUsage used(long bytes) {
        return new MemoryUsage(0, bytes, bytes, -1);
    }

    @Test
    void theHeapAfterACollectionLeavesOutMetaspaceAndTheCodeCache() {
        // As the serial collector records them: the GC's record lists the non-heap pools too.
        Map<String, MemoryUsage> afterGc = Map.of(
                "Eden Space", used(0),
                "Survivor Space", used(64 * 1024),
                "Tenured Gen", used(3_000_000),
                "Metaspace", used(9_500_000),
                "CodeHeap 'profiled nmethods'", used(2_000_000),
                "Compressed Class Space", used(1_150_000));
        Set<String> heapPools = Set.of("Eden Space", "Survivor Space", "Tenured Gen");
        assertEquals(3_000_000 + 64 * 1024, StatsPrinter.usedIn(afterGc, heapPools));
    }
}
