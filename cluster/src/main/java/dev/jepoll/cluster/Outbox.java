package dev.jepoll.cluster;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicLong;

/**
 * This node's lines on their way to the broker. The event loops {@link #offer} them (a copy and
 * a short lock: never a wait); one thread of the outbox's own takes them out in order and hands
 * them to the broker's client. The queue is bounded in bytes: when it is full, what does not fit
 * is dropped and counted, and local members have already had it. Lines are numbered as they
 * are offered, dropped ones included, so other nodes see every drop as a gap.
 */
final class Outbox implements Runnable {
    /** Hands one message to the broker; false when it could not (the broker is away). */
    interface Sender {
        boolean send(byte[] message) throws InterruptedException;
    }

    private final long node;
    private final long capacityBytes;
    private final Sender sender;
    private final ArrayDeque<byte[]> queue = new ArrayDeque<>();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private long queuedBytes; // guarded by queue
    private long nextLine = 1; // guarded by queue
    private boolean closed; // guarded by queue

    Outbox(long node, long capacityBytes, Sender sender) {
        this.node = node;
        this.capacityBytes = capacityBytes;
        this.sender = sender;
    }

    /** Any thread, never waits: numbers the lines and queues a copy, or drops it if the queue is full. */
    void offer(ByteBuffer[] lines, int lineCount) {
        int bytes = 0;
        for (ByteBuffer b : lines) {
            bytes += b.remaining();
        }
        byte[] message = new byte[Frame.HEADER_BYTES + bytes];
        int at = Frame.HEADER_BYTES;
        for (ByteBuffer b : lines) {
            int n = b.remaining();
            b.duplicate().get(message, at, n);
            at += n;
        }
        synchronized (queue) {
            new Frame(node, nextLine, lineCount).writeTo(message);
            nextLine += lineCount;
            if (closed || queuedBytes + message.length > capacityBytes) {
                dropped.addAndGet(lineCount);
                return;
            }
            queue.add(message);
            queuedBytes += message.length;
            queue.notifyAll();
        }
    }

    /** The outbox's thread: sends in order until closed. */
    @Override
    public void run() {
        try {
            while (true) {
                byte[] message;
                synchronized (queue) {
                    while (queue.isEmpty() && !closed) {
                        queue.wait();
                    }
                    if (closed) {
                        return;
                    }
                    message = queue.poll();
                    queuedBytes -= message.length;
                }
                int lines = linesOf(message);
                if (sender.send(message)) {
                    sent.addAndGet(lines);
                } else {
                    dropped.addAndGet(lines);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            dropQueued();
        }
    }

    /** Nothing more is sent; what is queued is dropped and counted. */
    void close() {
        synchronized (queue) {
            closed = true;
            queue.notifyAll();
        }
    }

    private void dropQueued() {
        synchronized (queue) {
            closed = true;
            for (byte[] message : queue) {
                dropped.addAndGet(linesOf(message));
            }
            queue.clear();
            queuedBytes = 0;
        }
    }

    private static int linesOf(byte[] message) {
        return ByteBuffer.wrap(message, Frame.HEADER_BYTES - 4, 4).getInt();
    }

    long sent() {
        return sent.get();
    }

    long dropped() {
        return dropped.get();
    }

    /** Bytes waiting for the outbox's thread. */
    long queuedBytes() {
        synchronized (queue) {
            return queuedBytes;
        }
    }
}
