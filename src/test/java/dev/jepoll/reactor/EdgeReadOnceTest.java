package dev.jepoll.reactor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/**
 * {@code --edge-read-once}, the chapter's mistake on purpose: one read per edge event, and the
 * claim that the socket is drained whatever is left in it.
 */
class EdgeReadOnceTest {
    private final Counters counters = new Counters();
    private final ReadStrategy once = TriggerMode.EDGE.strategy(16, true);
    private final RecordingSink sink = new RecordingSink();

    @Test
    void itIsTheReadOnceStrategy() {
        assertEquals(EdgeReadOnce.class, once.getClass());
    }

    @Test
    void oneReadAndTheSocketIsCalledDrainedWhateverIsLeft() throws Exception {
        ScriptedChannel channel = new ScriptedChannel().reads(12, 0);
        assertEquals(ReadStrategy.Outcome.DRAINED, once.read(channel, ByteBuffer.allocate(4), sink, counters));
        assertEquals(1, channel.readCalls, "the other 8 bytes are never asked for");
        assertArrayEquals(new byte[] {0, 1, 2, 3}, sink.received.toByteArray());
        assertEquals(1, sink.chunks);
        assertEquals(4, counters.get(Counter.BYTES_IN));
    }

    @Test
    void aReadOfNothingHandsNothingOn() throws Exception {
        ScriptedChannel channel = new ScriptedChannel().reads(0);
        assertEquals(ReadStrategy.Outcome.DRAINED, once.read(channel, ByteBuffer.allocate(4), sink, counters));
        assertEquals(0, sink.chunks);
        assertEquals(1, counters.get(Counter.EAGAIN_READS));
    }

    @Test
    void theEndOfInputIsReported() throws Exception {
        ScriptedChannel channel = new ScriptedChannel().reads(-1);
        assertEquals(ReadStrategy.Outcome.EOF, once.read(channel, ByteBuffer.allocate(4), sink, counters));
        assertEquals(0, sink.chunks);
    }

    @Test
    void noRoomNoRead() throws Exception {
        sink.room = 0;
        ScriptedChannel channel = new ScriptedChannel();
        assertEquals(ReadStrategy.Outcome.STOPPED, once.read(channel, ByteBuffer.allocate(4), sink, counters));
        assertEquals(0, channel.readCalls);
    }

    @Test
    void theReadIsCappedByTheRoom() throws Exception {
        sink.room = 3;
        ScriptedChannel channel = new ScriptedChannel().reads(8);
        once.read(channel, ByteBuffer.allocate(8), sink, counters);
        assertEquals(3, sink.received.size());
    }
}
