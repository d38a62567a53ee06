package dev.jepoll.chat;

import java.nio.ByteBuffer;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Two nodes' backplanes joined in memory, for tests of the seam without a broker: what one
 * publishes (copied, as the contract says) the other's thread delivers to its inbox, in order.
 */
final class PipeBackplane implements Backplane {
    private final BlockingQueue<byte[]> incoming = new LinkedBlockingQueue<>();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong received = new AtomicLong();
    private PipeBackplane other;
    private Thread receiver;

    static PipeBackplane[] pair() {
        PipeBackplane a = new PipeBackplane();
        PipeBackplane b = new PipeBackplane();
        a.other = b;
        b.other = a;
        return new PipeBackplane[] {a, b};
    }

    @Override
    public void publish(ByteBuffer[] lines, int lineCount) {
        int bytes = 0;
        for (ByteBuffer b : lines) {
            bytes += b.remaining();
        }
        byte[] message = new byte[4 + bytes];
        ByteBuffer out = ByteBuffer.wrap(message).putInt(lineCount);
        for (ByteBuffer b : lines) {
            out.put(b);
        }
        sent.addAndGet(lineCount);
        other.incoming.add(message);
    }

    @Override
    public void start(Inbox inbox) {
        receiver = new Thread(() -> {
            try {
                while (true) {
                    byte[] message = incoming.take();
                    int count = ByteBuffer.wrap(message).getInt();
                    received.addAndGet(count);
                    inbox.deliver(ByteBuffer.wrap(message, 4, message.length - 4), count);
                }
            } catch (InterruptedException e) {
                inbox.close();
            }
        }, "pipe-backplane");
        receiver.setDaemon(true);
        receiver.start();
    }

    /** Messages not yet delivered on this side. */
    int waiting() {
        return incoming.size();
    }

    @Override
    public BackplaneStats stats() {
        return new BackplaneStats(true, sent.get(), received.get(), 0, 0, 0, 0);
    }

    @Override
    public String describe() {
        return "in memory";
    }

    @Override
    public void close() {
        if (receiver != null) {
            receiver.interrupt();
            try {
                receiver.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
