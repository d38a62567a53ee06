package dev.jepoll.cluster;

import java.util.HashMap;
import java.util.Map;

/**
 * What the receiving side knows of each other node's line numbers: the last one heard. A
 * message whose lines were all heard already is a duplicate (not delivered); one that starts
 * past the next expected line shows a gap of the lines between. A node heard for the first
 * time starts its count where it is (this node joined late, or it is new): no gap.
 * Confined to the receiving thread; the counts are read from any thread.
 */
final class Sequences {
    private final Map<Long, Long> lastHeard = new HashMap<>();
    private volatile long gaps;
    private volatile long duplicates;

    /** {@return whether {@code frame}'s lines are new and to be delivered}; counts gaps and duplicates */
    boolean accept(Frame frame) {
        Long last = lastHeard.get(frame.node());
        if (last != null) {
            if (frame.firstLine() <= last) {
                // a node's messages split its numbers into disjoint runs: any overlap is a repeat
                duplicates += frame.lineCount();
                return false;
            }
            gaps += frame.firstLine() - last - 1;
        }
        lastHeard.put(frame.node(), frame.lastLine());
        return true;
    }

    /** Lines never heard, between lines that were. */
    long gaps() {
        return gaps;
    }

    /** Lines heard again and not delivered again. */
    long duplicates() {
        return duplicates;
    }
}
