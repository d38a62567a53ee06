package dev.jepoll.chat;

import java.nio.ByteBuffer;

/**
 * The lines one loop framed in one wakeup, in the order they arrived: usually one region,
 * more when a block filled up on the way; {@code lines} is how many lines it holds. Immutable, so one delivery is handed to every loop
 * as it is; each holder of it holds one reference on each of its blocks.
 */
record Delivery(Region[] regions, long bytes, int lines) {
    static Delivery of(Region[] regions, int lines) {
        long bytes = 0;
        for (Region r : regions) {
            bytes += r.length();
        }
        return new Delivery(regions, bytes, lines);
    }

    /** Read-only views of the regions, in order, for the backplane to copy; the caller holds the blocks. */
    ByteBuffer[] views() {
        ByteBuffer[] views = new ByteBuffer[regions.length];
        for (int i = 0; i < regions.length; i++) {
            views[i] = regions[i].view();
        }
        return views;
    }

    void retain(int n) {
        for (Region r : regions) {
            r.block().retain(n);
        }
    }

    void release() {
        for (Region r : regions) {
            r.block().release();
        }
    }
}
