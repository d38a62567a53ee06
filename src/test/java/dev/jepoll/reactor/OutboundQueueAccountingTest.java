package dev.jepoll.reactor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/**
 * The queue's bookkeeping: lent buffers go back to their owners exactly once, what it holds
 * against the memory budget, how its array grows, compacts and is given back, and partial
 * writes when more buffers wait than one gathering write takes.
 */
class OutboundQueueAccountingTest {
    private final Counters counters = new Counters();
    private final OutboundQueue queue = new OutboundQueue();

    /** A lender that counts how often it was given its buffer back. */
    private static final class Owner implements BufferOwner {
        int released;

        @Override
        public void release() {
            released++;
        }
    }

    private static ByteBuffer bytes(int from, int count) {
        ByteBuffer b = ByteBuffer.allocate(count);
        for (int i = 0; i < count; i++) {
            b.put((byte) (from + i));
        }
        return b.flip();
    }

    /** The queue's slots, to check it keeps no buffer or owner it is done with (an idle connection holds nothing). */
    private Object[] slots(String field) throws ReflectiveOperationException {
        Field f = OutboundQueue.class.getDeclaredField(field);
        f.setAccessible(true);
        return (Object[]) f.get(queue);
    }

    @Test
    void aLentBufferGoesBackOnceWhenWrittenInFullNotBefore() throws Exception {
        Owner owner = new Owner();
        queue.add(bytes(0, 6), owner);
        ScriptedChannel channel = new ScriptedChannel().writeCaps(4);
        queue.writeTo(channel, counters::wrote);
        assertEquals(0, owner.released, "two bytes are still to go");
        queue.writeTo(channel, counters::wrote);
        assertEquals(1, owner.released);
        queue.writeTo(channel, counters::wrote);
        queue.clear();
        assertEquals(1, owner.released, "once only");
    }

    @Test
    void anEmptyLentBufferGoesBackAtOnce() {
        Owner owner = new Owner();
        queue.add(ByteBuffer.allocate(0), owner);
        assertEquals(1, owner.released);
        assertTrue(queue.isEmpty());
    }

    @Test
    void clearingGivesEveryLentBufferBackOnce() {
        Owner first = new Owner();
        Owner second = new Owner();
        queue.add(bytes(0, 3), first);
        queue.add(bytes(3, 3));
        queue.add(bytes(6, 3), second);
        assertEquals(9, queue.clear());
        assertEquals(1, first.released);
        assertEquals(1, second.released);
        assertEquals(0, queue.pendingBytes());
        assertEquals(0, queue.heldBytes());
        assertEquals(0, queue.capacity());
    }

    @Test
    void heldBytesCountOwnedBuffersWholeAndLentOnesAsTheirQueueEntry() throws Exception {
        ByteBuffer owned = ByteBuffer.allocate(100);
        owned.put(new byte[10]).flip(); // 10 bytes to send in a 100-byte array
        queue.add(owned);
        queue.add(bytes(0, 50), new Owner());
        assertEquals(100 + Link.QUEUE_ENTRY_HEAP_BYTES, queue.heldBytes());
        assertEquals(60, queue.pendingBytes());

        ScriptedChannel channel = new ScriptedChannel().writeCaps(5);
        queue.writeTo(channel, counters::wrote);
        assertEquals(100 + Link.QUEUE_ENTRY_HEAP_BYTES, queue.heldBytes(), "a partly written buffer is still all there");
        channel.writeCaps(5);
        queue.writeTo(channel, counters::wrote);
        assertEquals(Link.QUEUE_ENTRY_HEAP_BYTES, queue.heldBytes(), "the owned buffer is gone");
        queue.writeTo(channel, counters::wrote);
        assertEquals(0, queue.heldBytes());
    }

    @Test
    void eachWriteCallIsCounted() throws Exception {
        for (int i = 0; i < OutboundQueue.MAX_GATHER + 1; i++) {
            queue.add(bytes(i, 1));
        }
        queue.writeTo(new ScriptedChannel(), counters::wrote);
        assertEquals(2, counters.get(Counter.WRITES));
        assertEquals(OutboundQueue.MAX_GATHER + 1, counters.get(Counter.BYTES_OUT));
    }

    @Test
    void aPartialWriteWithMoreThanIovMaxBuffersQueuedStopsThere() throws Exception {
        int n = OutboundQueue.MAX_GATHER + 6;
        for (int i = 0; i < n; i++) {
            queue.add(bytes(i, 1));
        }
        ScriptedChannel channel = new ScriptedChannel().writeCaps(1000); // of the 1024 offered
        assertEquals(1000, queue.writeTo(channel, counters::wrote));
        assertEquals(1, channel.writeCalls, "the socket is full: no second write now");
        assertEquals(1, counters.get(Counter.PARTIAL_WRITES));
        assertEquals(n - 1000, queue.pendingBytes());
        assertEquals(n - 1000, queue.size());

        assertEquals(n - 1000, queue.writeTo(channel, counters::wrote));
        byte[] expected = new byte[n];
        for (int i = 0; i < n; i++) {
            expected[i] = (byte) i;
        }
        assertArrayEquals(expected, channel.written());
    }

    @Test
    void aFullFirstGatherWithMoreWaitingGoesOnToTheRest() throws Exception {
        int n = OutboundQueue.MAX_GATHER + 6;
        for (int i = 0; i < n; i++) {
            queue.add(bytes(i, 2));
        }
        ScriptedChannel channel = new ScriptedChannel().writeCaps(2 * OutboundQueue.MAX_GATHER, 5);
        assertEquals(2 * OutboundQueue.MAX_GATHER + 5, queue.writeTo(channel, counters::wrote));
        assertEquals(2, channel.writeCalls);
        assertEquals(1, counters.get(Counter.PARTIAL_WRITES), "only the second write was partial");
        assertEquals(7, queue.pendingBytes());
    }

    @Test
    void aQueueMostlyWrittenCompactsInsteadOfGrowing() throws Exception {
        Owner[] owners = {new Owner(), new Owner(), new Owner(), new Owner(), new Owner()};
        for (int i = 0; i < 4; i++) {
            queue.add(bytes(2 * i, 2), owners[i]);
        }
        assertEquals(4, queue.capacity());
        ScriptedChannel channel = new ScriptedChannel().writeCaps(6);
        queue.writeTo(channel, counters::wrote); // three of four written: one live
        queue.add(bytes(8, 2), owners[4]); // the array is full at its tail
        assertEquals(4, queue.capacity(), "moved to the front, not grown");
        assertEquals(2, queue.size());
        Object[] items = slots("items");
        Object[] lenders = slots("owners");
        for (int i = queue.size(); i < items.length; i++) {
            assertNull(items[i], "slot " + i + " keeps nothing it moved away");
            assertNull(lenders[i], "slot " + i + " keeps no owner it moved away");
        }
        queue.writeTo(channel, counters::wrote);
        assertArrayEquals(bytes(0, 10).array(), channel.written());
        for (Owner o : owners) {
            assertEquals(1, o.released);
        }
    }

    @Test
    void aQueueHalfLiveGrows() throws Exception {
        for (int i = 0; i < 4; i++) {
            queue.add(bytes(2 * i, 2));
        }
        ScriptedChannel channel = new ScriptedChannel().writeCaps(4);
        queue.writeTo(channel, counters::wrote); // two of four written: half live
        queue.add(bytes(8, 2));
        assertEquals(8, queue.capacity());
        queue.writeTo(channel, counters::wrote);
        assertArrayEquals(bytes(0, 10).array(), channel.written());
    }

    @Test
    void aQueueMostlyLiveGrows() throws Exception {
        for (int i = 0; i < 4; i++) {
            queue.add(bytes(2 * i, 2));
        }
        ScriptedChannel channel = new ScriptedChannel().writeCaps(2);
        queue.writeTo(channel, counters::wrote); // one of four written: three live
        queue.add(bytes(8, 2));
        assertEquals(8, queue.capacity());
        assertEquals(4, queue.size());
    }

    @Test
    void aSmallDrainedQueueKeepsItsArrayButNoBuffer() throws Exception {
        for (int i = 0; i < 16; i++) {
            queue.add(bytes(i, 1), new Owner());
        }
        assertEquals(16, queue.capacity());
        queue.writeTo(new ScriptedChannel(), counters::wrote);
        assertTrue(queue.isEmpty());
        assertEquals(16, queue.capacity(), "sixteen slots are kept for the next burst");
        for (Object o : slots("items")) {
            assertNull(o);
        }
        for (Object o : slots("owners")) {
            assertNull(o);
        }
    }

    @Test
    void aLargerDrainedQueueGivesItsArrayBack() throws Exception {
        for (int i = 0; i < 17; i++) {
            queue.add(bytes(i, 1));
        }
        assertEquals(32, queue.capacity());
        queue.writeTo(new ScriptedChannel(), counters::wrote);
        assertEquals(0, queue.capacity());
    }
}
