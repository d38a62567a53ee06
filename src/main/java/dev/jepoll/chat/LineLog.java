package dev.jepoll.chat;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Where one loop's complete lines go, in arrival order: appended to the current
 * {@link Block}, and taken at the end of each wakeup as one {@link Delivery}. A line that
 * does not fit continues in a fresh block; each recipient is given every region of the
 * delivery, in order, so the line still arrives whole and nothing comes between its parts.
 * Confined to its loop's thread.
 */
final class LineLog implements LineFramer.Sink {
    private final BlockPool pool;
    private final List<Region> sealed = new ArrayList<>(2); // this wakeup's regions of blocks that filled up
    private Block current; // holds the log's reference while it is appended to
    private int regionStart;
    private long unpublished;
    private int lines; // complete lines appended since the last delivery

    LineLog(BlockPool pool) {
        this.pool = pool;
    }

    @Override
    public void line(byte[] head, int headLength, ByteBuffer chunk, int from, int to) {
        unpublished += headLength;
        for (int done = 0; done < headLength; ) {
            int n = Math.min(roomInCurrent(), headLength - done);
            current.append(head, done, n);
            done += n;
        }
        lines(chunk, from, to, 1);
    }

    /**
     * Appends {@code count} complete lines at once: bytes {@code from} to {@code to} of
     * {@code chunk}, which end with a line's {@code \n} (another node's lines, as it sent them).
     */
    void lines(ByteBuffer chunk, int from, int to, int count) {
        unpublished += to - from;
        lines += count;
        for (int at = from; at < to; ) {
            int n = Math.min(roomInCurrent(), to - at);
            current.append(chunk, at, n);
            at += n;
        }
    }

    /** Room in the current block, moving on to a fresh one when it is full. */
    private int roomInCurrent() {
        if (current == null) {
            current = pool.take();
            regionStart = 0;
        } else if (current.room() == 0) {
            sealRegion();
            current.release();
            current = pool.take();
            regionStart = 0;
        }
        return current.room();
    }

    private void sealRegion() {
        if (current != null && current.size() > regionStart) {
            current.retain(1); // the region's reference, until it is delivered
            sealed.add(new Region(current, regionStart, current.size()));
            regionStart = current.size();
        }
    }

    /** Bytes appended since the last {@link #takeDelivery()}. */
    long unpublished() {
        return unpublished;
    }

    /** Gives back the block being appended to; the log may be used again (it takes a fresh one). */
    void close() {
        if (current != null) {
            current.release();
            current = null;
        }
    }

    /** Everything appended since the last call, holding one reference per block for the caller; null if nothing. */
    Delivery takeDelivery() {
        unpublished = 0;
        sealRegion();
        if (sealed.isEmpty()) {
            return null;
        }
        Delivery delivery = Delivery.of(sealed.toArray(new Region[0]), lines);
        lines = 0;
        sealed.clear();
        return delivery;
    }
}
