package dev.jepoll.reactor;

import dev.jepoll.reactor.backend.Endpoint;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.GatheringByteChannel;
import java.util.Arrays;

/**
 * A connection's pending output: buffers in read mode, owned by the queue from the moment
 * they are added until fully written, then handed back to their {@link BufferOwner} if they
 * have one. Flushed with gathering writes. An empty queue holds no array, so an idle
 * connection holds no buffers.
 */
final class OutboundQueue {
    /** Linux's {@code IOV_MAX}: the most buffers one {@code writev} takes. */
    static final int MAX_GATHER = Endpoint.MAX_GATHER;

    /** Told of every write the queue makes: what it offered, what the socket took. */
    @FunctionalInterface
    interface WriteTally {
        void wrote(long offered, long written);
    }
    private static final ByteBuffer[] NONE = new ByteBuffer[0];
    private static final BufferOwner[] NO_OWNERS = new BufferOwner[0];

    private ByteBuffer[] items = NONE;
    private BufferOwner[] owners = NO_OWNERS; // parallel to items; null where nothing was lent
    private int head;
    private int tail;
    private long pendingBytes;
    private long heldBytes;

    boolean isEmpty() {
        return head == tail;
    }

    long pendingBytes() {
        return pendingBytes;
    }

    /**
     * What the queue holds in memory of its own, for the server's memory budget: each owned
     * buffer whole until it is written in full (a partly written buffer is still all there), and
     * {@link Link#QUEUE_ENTRY_HEAP_BYTES} for each lent one (its bytes belong to its owner).
     */
    long heldBytes() {
        return heldBytes;
    }

    private static long cost(ByteBuffer bytes, BufferOwner owner) {
        return owner == null ? bytes.capacity() : Link.QUEUE_ENTRY_HEAP_BYTES;
    }

    int size() {
        return tail - head;
    }

    /** Slots in the backing array: 0 for an idle queue (tests check that idle means empty-handed). */
    int capacity() {
        return items.length;
    }

    void add(ByteBuffer bytes) {
        add(bytes, null);
    }

    /** Queues {@code bytes}; {@code owner}, if any, is released once they are written or dropped. */
    void add(ByteBuffer bytes, BufferOwner owner) {
        if (!bytes.hasRemaining()) {
            if (owner != null) {
                owner.release();
            }
            return;
        }
        if (tail == items.length) {
            makeRoom();
        }
        owners[tail] = owner;
        items[tail++] = bytes;
        pendingBytes += bytes.remaining();
        heldBytes += cost(bytes, owner);
    }

    /**
     * Writes as much as the channel takes, in as few calls as it can: one gathering write
     * unless more than {@link #MAX_GATHER} buffers wait. Returns the bytes written.
     */
    long writeTo(GatheringByteChannel channel, WriteTally tally) throws IOException {
        long total = 0;
        while (head < tail) {
            int count = Math.min(tail - head, MAX_GATHER);
            long offered = count == size() ? pendingBytes : sumRemaining(count);
            long n = count == 1 ? channel.write(items[head]) : channel.write(items, head, count);
            tally.wrote(offered, n);
            total += n;
            pendingBytes -= n;
            dropWritten();
            if (n < offered) {
                break;
            }
        }
        return total;
    }

    /** Drops everything, releasing what was lent; returns the bytes that will never be sent. */
    long clear() {
        long dropped = pendingBytes;
        for (int i = head; i < tail; i++) {
            release(i);
        }
        items = NONE;
        owners = NO_OWNERS;
        head = tail = 0;
        pendingBytes = 0;
        heldBytes = 0;
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
            heldBytes -= cost(items[head], owners[head]);
            release(head);
            items[head++] = null;
        }
        if (head == tail) {
            head = tail = 0;
            if (items.length > 16) {
                items = NONE; // a burst is over: give the big arrays back
                owners = NO_OWNERS;
            }
        }
    }

    private void release(int i) {
        BufferOwner owner = owners[i];
        if (owner != null) {
            owners[i] = null;
            owner.release();
        }
    }

    private void makeRoom() {
        int live = tail - head;
        if (head > 0 && live < items.length / 2) {
            System.arraycopy(items, head, items, 0, live);
            System.arraycopy(owners, head, owners, 0, live);
            Arrays.fill(items, live, tail, null);
            Arrays.fill(owners, live, tail, null);
        } else {
            int grown = Math.max(4, items.length * 2);
            items = Arrays.copyOfRange(items, head, head + grown);
            owners = Arrays.copyOfRange(owners, head, head + grown);
        }
        head = 0;
        tail = live;
    }
}
