package dev.jepoll.reactor;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.GatheringByteChannel;

/**
 * A connection's pending output: buffers in read mode, owned by the queue from the moment
 * they are added until fully written. Flushed with gathering writes. An empty queue holds
 * no array, so an idle connection holds no buffers.
 */
final class OutboundQueue {
    /** Linux's {@code IOV_MAX}: the most buffers one {@code writev} takes. */
    static final int MAX_GATHER = 1024;
    private static final ByteBuffer[] NONE = new ByteBuffer[0];

    private ByteBuffer[] items = NONE;
    private int head;
    private int tail;
    private long pendingBytes;

    boolean isEmpty() {
        return head == tail;
    }

    long pendingBytes() {
        return pendingBytes;
    }

    int size() {
        return tail - head;
    }

    /** Slots in the backing array: 0 for an idle queue (tests check that idle means empty-handed). */
    int capacity() {
        return items.length;
    }

    void add(ByteBuffer bytes) {
        if (!bytes.hasRemaining()) {
            return;
        }
        if (tail == items.length) {
            makeRoom();
        }
        items[tail++] = bytes;
        pendingBytes += bytes.remaining();
    }

    /**
     * Writes as much as the channel takes, in as few calls as it can: one gathering write
     * unless more than {@link #MAX_GATHER} buffers wait. Returns the bytes written.
     */
    long writeTo(GatheringByteChannel channel, Counters counters) throws IOException {
        long total = 0;
        while (head < tail) {
            int count = Math.min(tail - head, MAX_GATHER);
            long offered = count == size() ? pendingBytes : sumRemaining(count);
            long n = count == 1 ? channel.write(items[head]) : channel.write(items, head, count);
            counters.add(Counter.WRITES, 1);
            total += n;
            pendingBytes -= n;
            dropWritten();
            if (n < offered) {
                counters.add(Counter.PARTIAL_WRITES, 1);
                break;
            }
        }
        counters.add(Counter.BYTES_OUT, total);
        return total;
    }

    /** Drops everything; returns the bytes that will never be sent. */
    long clear() {
        long dropped = pendingBytes;
        items = NONE;
        head = tail = 0;
        pendingBytes = 0;
        return dropped;
    }

    private long sumRemaining(int count) {
        long sum = 0;
        for (int i = head; i < head + count; i++) {
            sum += items[i].remaining();
        }
        return sum;
    }

    private void dropWritten() {
        while (head < tail && !items[head].hasRemaining()) {
            items[head++] = null;
        }
        if (head == tail) {
            head = tail = 0;
            if (items.length > 16) {
                items = NONE; // a burst is over: give the big array back
            }
        }
    }

    private void makeRoom() {
        int live = tail - head;
        if (head > 0 && live < items.length / 2) {
            System.arraycopy(items, head, items, 0, live);
            java.util.Arrays.fill(items, live, tail, null);
        } else {
            items = java.util.Arrays.copyOfRange(items, head, head + Math.max(4, items.length * 2));
        }
        head = 0;
        tail = live;
    }
}
