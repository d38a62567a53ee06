package dev.jepoll.chat;

import java.nio.ByteBuffer;

/** Bytes {@code from} to {@code to} of a block: all or part of what one loop heard in one wakeup. */
record Region(Block block, int from, int to) {
    int length() {
        return to - from;
    }

    /** A fresh read-only view for one recipient; the caller must hold a block reference for it. */
    ByteBuffer view() {
        return block.view(from, to);
    }
}
