package dev.jepoll.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The way out: never waits, numbers every line (dropped ones too), sends in order, counts what it drops. */
class OutboxTest {
    private static ByteBuffer[] lines(String text) {
        return new ByteBuffer[] {ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII)).asReadOnlyBuffer()};
    }

    @Test
    void aFullOutboxDropsAndCountsButStillNumbersTheLines() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        List<byte[]> sent = new ArrayList<>();
        int capacity = 2 * (Frame.HEADER_BYTES + 4);
        Outbox outbox = new Outbox(7, capacity, message -> {
            release.await();
            synchronized (sent) {
                sent.add(message);
            }
            return true;
        });
        Thread thread = new Thread(outbox);
        thread.start();
        outbox.offer(lines("a\nb\n"), 2); // taken by the outbox's thread, which then waits
        awaitQueued(outbox, 0);
        outbox.offer(lines("c\nd\n"), 2);
        outbox.offer(lines("e\nf\n"), 2); // the outbox now holds its capacity
        outbox.offer(lines("g\n"), 1);     // no room: dropped at once, not waited for
        assertEquals(1, outbox.dropped());
        release.countDown();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (outbox.sent() < 6 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertEquals(6, outbox.sent());
        outbox.close();
        thread.join(10_000);
        List<Frame> frames = sent.stream().map(Frame::read).toList();
        assertEquals(List.of(new Frame(7, 1, 2), new Frame(7, 3, 2), new Frame(7, 5, 2)), frames,
                "in order; the dropped line keeps number 7 for itself, so receivers see it as a gap");
        byte[] second = sent.get(1);
        assertArrayEquals("c\nd\n".getBytes(StandardCharsets.US_ASCII),
                java.util.Arrays.copyOfRange(second, Frame.HEADER_BYTES, second.length));
    }

    @Test
    void whatTheBrokerCannotTakeIsCountedAsDropped() throws Exception {
        Outbox outbox = new Outbox(1, 1 << 20, message -> false);
        Thread thread = new Thread(outbox);
        thread.start();
        outbox.offer(lines("a\n"), 1);
        outbox.offer(lines("b\nc\n"), 2);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (outbox.dropped() < 3 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertEquals(3, outbox.dropped());
        assertEquals(0, outbox.sent());
        outbox.close();
        thread.join(10_000);
        outbox.offer(lines("d\n"), 1);
        assertEquals(4, outbox.dropped(), "after close, lines are dropped and counted");
    }

    private static void awaitQueued(Outbox outbox, long bytes) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (outbox.queuedBytes() != bytes && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        assertEquals(bytes, outbox.queuedBytes());
    }
}
