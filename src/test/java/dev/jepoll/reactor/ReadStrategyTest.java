package dev.jepoll.reactor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** The two trigger modes as read strategies, against scripted reads of n bytes, 0 and -1. */
class ReadStrategyTest {
    private final Counters counters = new Counters();
    private final RecordingSink sink = new RecordingSink();

    private ReadStrategy.Outcome read(TriggerMode mode, ScriptedChannel channel, int bufferSize) throws Exception {
        return mode.strategy(0, false).read(channel, ByteBuffer.allocate(bufferSize), sink, counters);
    }

    @Test
    void levelReadsOncePerEventAtMostTheBuffer() throws Exception {
        ScriptedChannel channel = new ScriptedChannel().reads(12);
        assertEquals(ReadStrategy.Outcome.MAYBE_MORE, read(TriggerMode.LEVEL, channel, 4));
        assertEquals(1, channel.readCalls);
        assertArrayEquals(new byte[] {0, 1, 2, 3}, sink.received.toByteArray());
        assertEquals(4, counters.get(Counter.BYTES_IN));
    }

    @Test
    void levelReportsZeroAsDrainedAndCountsEagain() throws Exception {
        assertEquals(ReadStrategy.Outcome.DRAINED, read(TriggerMode.LEVEL, new ScriptedChannel().reads(0), 4));
        assertEquals(1, counters.get(Counter.EAGAIN_READS));
        assertEquals(0, sink.chunks);
    }

    @Test
    void levelReportsEof() throws Exception {
        assertEquals(ReadStrategy.Outcome.EOF, read(TriggerMode.LEVEL, new ScriptedChannel().reads(-1), 4));
    }

    @Test
    void edgeDrainsUntilReadReturnsZero() throws Exception {
        ScriptedChannel channel = new ScriptedChannel().reads(4, 4, 4, 0);
        assertEquals(ReadStrategy.Outcome.DRAINED, read(TriggerMode.EDGE, channel, 4));
        assertEquals(4, channel.readCalls);
        assertEquals(3, sink.chunks);
        assertEquals(12, sink.received.size());
        assertEquals(4, counters.get(Counter.READS));
        assertEquals(1, counters.get(Counter.EAGAIN_READS));
    }

    @Test
    void edgeStopsAtEofAfterDeliveringWhatCameBefore() throws Exception {
        ScriptedChannel channel = new ScriptedChannel().reads(3, 2, -1);
        assertEquals(ReadStrategy.Outcome.EOF, read(TriggerMode.EDGE, channel, 8));
        assertArrayEquals(new byte[] {0, 1, 2, 3, 4}, sink.received.toByteArray());
    }

    @Test
    void readsAreCappedByTheSinksRoom() throws Exception {
        sink.room = 2;
        ScriptedChannel channel = new ScriptedChannel().reads(8);
        read(TriggerMode.LEVEL, channel, 8);
        assertEquals(2, sink.received.size());
    }

    @Test
    void noRoomMeansNoReadAtAll() throws Exception {
        sink.room = 0;
        ScriptedChannel channel = new ScriptedChannel();
        assertEquals(ReadStrategy.Outcome.STOPPED, read(TriggerMode.EDGE, channel, 8));
        assertEquals(ReadStrategy.Outcome.STOPPED, read(TriggerMode.LEVEL, channel, 8));
        assertEquals(0, channel.readCalls);
    }

    @Test
    void edgeStopsDrainingWhenTheSinkFillsUp() throws Exception {
        ReadStrategy.Sink filling = new ReadStrategy.Sink() {
            @Override
            public int room() {
                return sink.chunks < 2 ? 100 : 0;
            }

            @Override
            public void accept(ByteBuffer chunk) throws java.io.IOException {
                sink.accept(chunk);
            }
        };
        ScriptedChannel channel = new ScriptedChannel().reads(4, 4, 4, 0);
        ReadStrategy.Outcome outcome = TriggerMode.EDGE.strategy(0, false).read(channel, ByteBuffer.allocate(4), filling, counters);
        assertEquals(ReadStrategy.Outcome.STOPPED, outcome);
        assertEquals(2, channel.readCalls);
    }

    @Test
    void edgeStopsAtItsReadBudgetSoOthersGetTheirTurn() throws Exception {
        ScriptedChannel channel = new ScriptedChannel().reads(4, 4, 4, 4, 0);
        ReadStrategy.Outcome outcome = TriggerMode.EDGE.strategy(3, false).read(channel, ByteBuffer.allocate(4), sink, counters);
        assertEquals(ReadStrategy.Outcome.MAYBE_MORE, outcome);
        assertEquals(3, channel.readCalls);
        assertEquals(1, counters.get(Counter.READ_BUDGET_SPENT));
    }

    @Test
    void edgeWithinItsBudgetStillDrainsToEagain() throws Exception {
        ScriptedChannel channel = new ScriptedChannel().reads(4, 4, 4, 0);
        assertEquals(ReadStrategy.Outcome.DRAINED,
                TriggerMode.EDGE.strategy(16, false).read(channel, ByteBuffer.allocate(4), sink, counters));
        assertEquals(0, counters.get(Counter.READ_BUDGET_SPENT));
    }
}
