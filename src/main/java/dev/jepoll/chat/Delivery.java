package dev.jepoll.chat;

/**
 * The lines one loop framed in one wakeup, in the order they arrived: usually one region,
 * more when a block filled up on the way. Immutable, so one delivery is handed to every loop
 * as it is; each holder of it holds one reference on each of its blocks.
 */
record Delivery(Region[] regions, long bytes) {
    static Delivery of(Region[] regions) {
        long bytes = 0;
        for (Region r : regions) {
            bytes += r.length();
        }
        return new Delivery(regions, bytes);
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
