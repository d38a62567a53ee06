package dev.jepoll.reactor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** The write path's queue: partial writes, zero-byte writes, gathering. */
class OutboundQueueTest {
    private final Counters counters = new Counters();
    private final OutboundQueue queue = new OutboundQueue();

    private static ByteBuffer bytes(int from, int count) {
        ByteBuffer b = ByteBuffer.allocate(count);
        for (int i = 0; i < count; i++) {
            b.put((byte) (from + i));
        }
        return b.flip();
    }

    @Test
    void aPartialWriteKeepsTheRestInOrder() throws Exception {
        queue.add(bytes(0, 10));
        ScriptedChannel channel = new ScriptedChannel().writeCaps(3, 0);
        assertEquals(3, queue.writeTo(channel, counters::wrote));
        assertEquals(7, queue.pendingBytes());
        assertEquals(0, queue.writeTo(channel, counters::wrote)); // the socket took nothing
        assertEquals(7, queue.pendingBytes());
        assertEquals(2, counters.get(Counter.PARTIAL_WRITES));
        assertEquals(7, queue.writeTo(channel, counters::wrote));
        assertTrue(queue.isEmpty());
        assertArrayEquals(bytes(0, 10).array(), channel.written());
        assertEquals(10, counters.get(Counter.BYTES_OUT));
    }

    @Test
    void pendingBuffersLeaveInOneGatheringWrite() throws Exception {
        queue.add(bytes(0, 3));
        queue.add(bytes(3, 4));
        queue.add(bytes(7, 5));
        ScriptedChannel channel = new ScriptedChannel();
        assertEquals(12, queue.writeTo(channel, counters::wrote));
        assertEquals(1, channel.writeCalls);
        assertArrayEquals(bytes(0, 12).array(), channel.written());
    }

    @Test
    void moreBuffersThanIovMaxTakeSeveralWrites() throws Exception {
        int n = OutboundQueue.MAX_GATHER + 10;
        for (int i = 0; i < n; i++) {
            queue.add(bytes(i, 1));
        }
        ScriptedChannel channel = new ScriptedChannel();
        assertEquals(n, queue.writeTo(channel, counters::wrote));
        assertEquals(2, channel.writeCalls);
        assertEquals(0, counters.get(Counter.PARTIAL_WRITES));
    }

    @Test
    void aPartialGatheringWriteResumesMidBuffer() throws Exception {
        queue.add(bytes(0, 4));
        queue.add(bytes(4, 4));
        ScriptedChannel channel = new ScriptedChannel().writeCaps(6);
        queue.writeTo(channel, counters::wrote);
        assertEquals(2, queue.pendingBytes());
        assertEquals(1, queue.size());
        queue.add(bytes(8, 2));
        queue.writeTo(channel, counters::wrote);
        assertArrayEquals(bytes(0, 10).array(), channel.written());
    }

    @Test
    void clearDropsAndReportsWhatWasOwed() {
        queue.add(bytes(0, 5));
        queue.add(ByteBuffer.allocate(0)); // empty buffers are not queued
        assertEquals(1, queue.size());
        assertEquals(5, queue.clear());
        assertTrue(queue.isEmpty());
    }

    @Test
    void manyAddsAndDrainsKeepFifoOrder() throws Exception {
        ScriptedChannel channel = new ScriptedChannel();
        int next = 0;
        for (int round = 0; round < 50; round++) {
            for (int i = 0; i < round % 7 + 1; i++) {
                queue.add(bytes(next, 3));
                next += 3;
            }
            channel.writeCaps(round % 5);
            queue.writeTo(channel, counters::wrote);
        }
        queue.writeTo(channel, counters::wrote);
        assertArrayEquals(bytes(0, next).array(), channel.written());
    }

    @Test
    void aDrainedQueueGivesItsArrayBack() throws Exception {
        assertEquals(0, queue.capacity());
        for (int i = 0; i < 100; i++) {
            queue.add(bytes(i, 2));
        }
        queue.writeTo(new ScriptedChannel(), counters::wrote);
        assertEquals(0, queue.capacity(), "an idle connection holds nothing");
    }
}
