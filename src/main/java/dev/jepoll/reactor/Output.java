package dev.jepoll.reactor;

import dev.jepoll.reactor.backend.Endpoint;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * A connection's output side: what it writes at once, what waits in its {@link OutboundQueue},
 * and the clock of its progress, which the write timeout and {@link Link#stalledNanos()} read.
 * Every write is counted here, the direct one and each of the queue's. The connection decides
 * when to write and what follows (pausing input, interest, closing).
 */
final class Output {
    private final OutboundQueue queue = new OutboundQueue();
    private final Endpoint endpoint;
    private final Counters counters;
    private long failedWrite;     // bytes of a direct write the socket failed on: never sent
    private long owingSinceNanos; // since the queue last filled from empty or last made progress
    private long drainMark = -1;  // the session is told when pending output is down to this; -1: not asked

    Output(Endpoint endpoint, Counters counters) {
        this.endpoint = endpoint;
        this.counters = counters;
    }

    /**
     * Writes what the socket takes of {@code bytes} now, unless output already waits (it must
     * go first); returns the bytes written. On failure the bytes offered count as dropped.
     */
    int writeNow(ByteBuffer bytes, long now) throws IOException {
        if (!queue.isEmpty()) {
            return 0;
        }
        int offered = bytes.remaining();
        int n;
        try {
            n = endpoint.write(bytes);
        } catch (IOException e) {
            failedWrite = offered; // the close that follows counts them as dropped
            throw e;
        }
        counters.wrote(offered, n);
        return n;
    }

    /** What {@link #writeNow} left of {@code bytes}, copied and queued; true if there was any. */
    boolean queueRest(ByteBuffer bytes, long now) {
        if (!bytes.hasRemaining()) {
            return false;
        }
        ByteBuffer copy = ByteBuffer.allocate(bytes.remaining());
        copy.put(bytes).flip();
        queue(copy, null, now);
        return true;
    }

    /**
     * Queues {@code bytes} for the flush phase if output is {@code open}; otherwise gives them
     * back to their owner at once. True if queued.
     */
    boolean enqueue(ByteBuffer bytes, BufferOwner owner, boolean open, long now) {
        if (!open || !bytes.hasRemaining()) {
            if (owner != null) {
                owner.release();
            }
            return false;
        }
        queue(bytes, owner, now);
        return true;
    }

    /** Queues {@code bytes}, owned by the queue from now on; the write timeout counts from the first. */
    void queue(ByteBuffer bytes, BufferOwner owner, long now) {
        if (queue.isEmpty()) {
            owingSinceNanos = now;
        }
        queue.add(bytes, owner);
        counters.max(Counter.PEAK_PENDING_BYTES, queue.pendingBytes());
    }

    /** One gathering write of what waits (more than one past {@code IOV_MAX} buffers); returns the bytes written. */
    long flush(long now) throws IOException {
        if (queue.isEmpty()) {
            return 0;
        }
        long n = queue.writeTo(endpoint, counters::wrote);
        if (n > 0) {
            owingSinceNanos = now; // the write-timeout clock restarts at each bit of progress
        }
        return n;
    }

    boolean isEmpty() {
        return queue.isEmpty();
    }

    long pendingBytes() {
        return queue.pendingBytes();
    }

    int buffers() {
        return queue.size();
    }

    long heldBytes() {
        return queue.heldBytes();
    }

    /** Asks to be told when pending output is down to {@code bytes}; true if it already is. */
    boolean markDrain(long bytes) {
        drainMark = Math.max(0, bytes);
        return queue.pendingBytes() <= drainMark;
    }

    /** True once, when pending output has come down to the mark asked for. */
    boolean drainedToMark() {
        if (drainMark < 0 || queue.pendingBytes() > drainMark) {
            return false;
        }
        drainMark = -1;
        return true;
    }

    /** How long output has waited with no progress; 0 when nothing waits. */
    long stalledNanos(long now) {
        return queue.isEmpty() ? 0 : Math.max(0, now - owingSinceNanos);
    }

    /** Gives every queued buffer back to its owner; returns the bytes that will never be sent. */
    long drop() {
        long dropped = queue.clear() + failedWrite;
        failedWrite = 0;
        return dropped;
    }
}
