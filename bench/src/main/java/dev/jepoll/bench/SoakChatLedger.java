package dev.jepoll.bench;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the chat soak's threads share: member ids, the start barrier, and which senders' lines
 * must all have reached the stable core by the end. A sender that left cleanly (its output shut
 * down after its last line was written) or was refused for an over-long line is final: every
 * line it wrote before must reach every member present all along. A sender that reset is never
 * final (the kernel may have discarded its last lines): receivers only check that what arrived
 * of it has no gap.
 */
final class SoakChatLedger {
    /** Members of the stable core; they take ids 0 .. STABLE-1. */
    static final int STABLE = 5;

    private final AtomicInteger nextId = new AtomicInteger(STABLE);
    private final Set<Integer> open = ConcurrentHashMap.newKeySet();
    private final Map<Integer, Long> finalCounts = new ConcurrentHashMap<>();
    final CountDownLatch barrier = new CountDownLatch(1);

    /** An id for a member that is not in the stable core, which counts as an open sender until it settles. */
    int join() {
        int id = nextId.getAndIncrement();
        open.add(id);
        return id;
    }

    /** The sender left cleanly after {@code lines} lines: all of them are owed to the stable core. */
    void leftCleanly(int id, long lines) {
        finalCounts.put(id, lines);
        open.remove(id);
    }

    /** The sender reset or was cut: nothing more is known of what reached the room. */
    void vanished(int id) {
        open.remove(id);
    }

    /** Senders other than the core's still connected: the core waits for them before its final count. */
    int openSenders() {
        return open.size();
    }

    Map<Integer, Long> finalCounts() {
        return finalCounts;
    }
}
