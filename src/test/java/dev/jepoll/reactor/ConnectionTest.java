package dev.jepoll.reactor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import dev.jepoll.reactor.backend.Endpoint;
import dev.jepoll.reactor.backend.Poller;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A connection's write path, backpressure and states, against a mocked socket that writes
 * part, writes nothing, resets: cases a real socket makes hard to provoke on demand.
 */
class ConnectionTest {
    private static final int HIGH = 16;
    private static final int LOW = 4;

    private final Endpoint channel = mock(Endpoint.class);
    private final Poller poller = mock(Poller.class);
    private final List<String> log = new ArrayList<>();
    private EventLoop loop;
    private Connection connection;

    @BeforeEach
    void setUp() {
        ServerConfig config = ServerConfig.builder().highWatermark(HIGH).lowWatermark(LOW).bufferSize(8)
                .mode(TriggerMode.EDGE).log(log::add).build();
        loop = new EventLoop(0, config, poller, link -> link::write, new MemoryBudget(1 << 30, () -> 1),
                new ServerLog(config.logger(), System::nanoTime));
        connection = new Connection(1, channel, loop);
        connection.open(link -> link::write);
    }

    private static ByteBuffer bytes(int n) {
        return ByteBuffer.wrap(new byte[n]);
    }

    /** The socket takes at most {@code cap} bytes per write call. */
    private void socketTakes(int cap) throws IOException {
        when(channel.write(any(ByteBuffer.class))).thenAnswer(inv -> take(inv.getArgument(0), cap));
        when(channel.write(any(ByteBuffer[].class), anyInt(), anyInt())).thenAnswer(inv -> {
            ByteBuffer[] srcs = inv.getArgument(0);
            int offset = inv.getArgument(1);
            int length = inv.getArgument(2);
            long total = 0;
            for (int i = offset; i < offset + length; i++) {
                total += take(srcs[i], (int) (cap - total));
            }
            return total;
        });
    }

    private static int take(ByteBuffer b, int cap) {
        int n = Math.max(0, Math.min(cap, b.remaining()));
        b.position(b.position() + n);
        return n;
    }

    @Test
    void aPartialWriteQueuesTheRestAndAsksForOpWrite() throws IOException {
        socketTakes(3);
        connection.write(bytes(10));
        assertEquals(7, connection.pendingBytes());
        assertEquals(SelectionKey.OP_READ | SelectionKey.OP_WRITE, connection.interestOps());
        assertEquals(1, loop.context().counters().get(Counter.PARTIAL_WRITES));
    }

    @Test
    void aWriteOfZeroBytesQueuesEverything() throws IOException {
        socketTakes(0);
        connection.write(bytes(10));
        assertEquals(10, connection.pendingBytes());
    }

    @Test
    void writableFlushesAndDropsOpWrite() throws IOException {
        socketTakes(3);
        connection.write(bytes(10));
        socketTakes(100);
        connection.handle(SelectionKey.OP_WRITE);
        assertEquals(0, connection.pendingBytes());
        assertEquals(SelectionKey.OP_READ, connection.interestOps());
        verify(channel).interest(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
        verify(channel).interest(SelectionKey.OP_READ);
    }

    @Test
    void bytesWrittenWhileOthersWaitGoBehindThem() throws IOException {
        socketTakes(0);
        connection.write(bytes(5));
        socketTakes(100);
        connection.write(bytes(5)); // must not jump the queue: no second direct write
        verify(channel, times(1)).write(any(ByteBuffer.class));
        assertEquals(10, connection.pendingBytes());
    }

    @Test
    void readingPausesAtTheHighWatermarkAndResumesAtTheLow() throws IOException {
        socketTakes(0);
        connection.write(bytes(HIGH));
        assertEquals(SelectionKey.OP_WRITE, connection.interestOps());
        assertEquals(0, connection.room());
        assertEquals(1, loop.context().counters().get(Counter.READ_PAUSES));

        socketTakes(HIGH - LOW - 1); // drains to LOW + 1: still paused
        connection.handle(SelectionKey.OP_WRITE);
        assertEquals(SelectionKey.OP_WRITE, connection.interestOps());

        socketTakes(1); // drains to LOW: resumes
        connection.handle(SelectionKey.OP_WRITE);
        assertEquals(SelectionKey.OP_READ | SelectionKey.OP_WRITE, connection.interestOps());
        assertEquals(HIGH - LOW, connection.room());
    }

    @Test
    void eofWithOutputOwedWaitsForTheFlushThenCloses() throws IOException {
        socketTakes(2);
        when(channel.read(any(ByteBuffer.class))).thenAnswer(inv -> {
            ByteBuffer dst = inv.getArgument(0);
            dst.put(new byte[] {1, 2, 3, 4, 5});
            return 5;
        }).thenReturn(-1);
        connection.handle(SelectionKey.OP_READ);
        socketTakes(0);
        connection.onFlushPhase(); // the end of that wakeup: the socket is full
        assertEquals(Connection.State.INPUT_CLOSED, connection.state());
        assertEquals(3, connection.pendingBytes());
        assertEquals(SelectionKey.OP_WRITE, connection.interestOps());
        verify(channel, never()).close();

        socketTakes(100);
        connection.handle(SelectionKey.OP_WRITE);
        assertEquals(Connection.State.CLOSED, connection.state());
        verify(channel).close();
        assertEquals(1, loop.context().counters().closes(CloseReason.PEER_CLOSED));
    }

    @Test
    void eofWithNothingOwedClosesInTheFlushPhaseAfterTheWakeupsHooks() throws IOException {
        when(channel.read(any(ByteBuffer.class))).thenReturn(-1);
        connection.handle(SelectionKey.OP_READ);
        assertEquals(Connection.State.INPUT_CLOSED, connection.state(), "an end-of-wakeup hook may still owe it bytes");
        connection.enqueue(bytes(3)); // what such a hook hands it
        socketTakes(100);
        connection.onFlushPhase();
        assertEquals(Connection.State.CLOSED, connection.state());
        verify(channel).write(any(ByteBuffer.class));
        assertEquals(1, loop.context().counters().closes(CloseReason.PEER_CLOSED));
    }

    /** What a session keeps counts against the budget while open, and never after the close. */
    @Test
    void theMemoryBudgetCountsWhatTheConnectionHoldsUntilItIsClosed() throws IOException {
        Connection holding = new Connection(2, channel, loop);
        holding.open(link -> new Session() {
            @Override
            public void onData(ByteBuffer data) {
            }

            @Override
            public long heldBytes() {
                return 100; // a line not yet ended, say
            }
        });
        assertEquals(100, loop.context().budget().held());
        socketTakes(0);
        holding.write(bytes(10)); // an owned copy of the unsent echo: its whole capacity
        holding.onFlushPhase();
        assertEquals(110, loop.context().budget().held());
        holding.close(CloseReason.IO_ERROR, "test");
        assertEquals(0, loop.context().budget().held());
        holding.budgetRelieved(); // the loop re-arming it, not knowing it closed meanwhile
        assertEquals(0, loop.context().budget().held(), "a closed connection gives back all it held, once");
    }

    @Test
    void aResetClosesThisConnectionWithItsReason() throws IOException {
        when(channel.read(any(ByteBuffer.class))).thenThrow(new IOException("Connection reset by peer"));
        connection.handle(SelectionKey.OP_READ);
        assertEquals(Connection.State.CLOSED, connection.state());
        assertEquals(1, loop.context().counters().closes(CloseReason.PEER_RESET));
        assertTrue(log.isEmpty(), "a reset with nothing owed is normal, not logged: " + log);
    }

    @Test
    void closeDropsWhatIsOwedAndLogsHowMuch() throws IOException {
        socketTakes(0);
        connection.write(bytes(10));
        connection.close(CloseReason.SLOW_CONSUMER, "test");
        assertEquals(0, connection.pendingBytes());
        assertTrue(log.get(0).contains("slow consumer: test") && log.get(0).contains("10 bytes"), log.toString());
        connection.close(CloseReason.IO_ERROR, "again"); // idempotent
        assertEquals(1, loop.context().counters().totalCloses());
    }

    @Test
    void closeAfterFlushSendsThenHalfClosesThenWaitsForThePeersEof() throws IOException {
        socketTakes(0);
        connection.write(bytes(4));
        connection.closeAfterFlush(CloseReason.LINE_TOO_LONG, "test");
        assertFalse(connection.isOpen());
        assertEquals(SelectionKey.OP_WRITE, connection.interestOps());
        verify(channel, never()).shutdownOutput();

        socketTakes(100);
        connection.handle(SelectionKey.OP_WRITE);
        verify(channel).shutdownOutput();
        assertEquals(SelectionKey.OP_READ, connection.interestOps()); // discarding until EOF

        when(channel.read(any(ByteBuffer.class))).thenReturn(3).thenReturn(-1);
        connection.handle(SelectionKey.OP_READ);
        assertEquals(Connection.State.CLOSED, connection.state());
        assertEquals(1, loop.context().counters().closes(CloseReason.LINE_TOO_LONG));
    }

    /** A session that asks to hear of a drain that already happened hears of it in this wakeup's flush phase, not never. */
    @Test
    void askingToHearOfADrainThatAlreadyHappenedIsAnsweredInTheFlushPhase() throws IOException {
        EventLoop watched = org.mockito.Mockito.spy(loop);
        Connection quiet = new Connection(3, channel, watched);
        List<String> told = new ArrayList<>();
        quiet.open(link -> new Session() {
            @Override
            public void onData(ByteBuffer data) {
            }

            @Override
            public void onDrained() {
                told.add("drained");
            }
        });
        quiet.notifyWhenDrained(100); // nothing is owed: already below the mark
        verify(watched).flushAtEndOfWakeup(quiet);
        assertEquals(List.of(), told, "not from inside the call");
        quiet.onFlushPhase();
        assertEquals(List.of("drained"), told);
    }

    @Test
    void enqueuedBuffersWaitForTheFlushPhase() throws IOException {
        socketTakes(100);
        connection.enqueue(bytes(3));
        connection.enqueue(bytes(4));
        verify(channel, never()).write(any(ByteBuffer[].class), anyInt(), anyInt());
        connection.onFlushPhase();
        verify(channel).write(any(ByteBuffer[].class), anyInt(), anyInt());
        assertEquals(0, connection.pendingBytes());
    }

    @Test
    void aPeersEofWhileClosingDoesNotCutShortWhatItIsOwed() throws IOException {
        socketTakes(0);
        connection.write(bytes(4)); // e.g. the error line before a disconnect
        connection.closeAfterFlush(CloseReason.LINE_TOO_LONG, "test");
        when(channel.read(any(ByteBuffer.class))).thenReturn(-1);
        connection.handle(SelectionKey.OP_READ); // a stale read event: EOF must wait
        assertEquals(Connection.State.CLOSING, connection.state());
        assertEquals(4, connection.pendingBytes());

        socketTakes(100);
        connection.handle(SelectionKey.OP_WRITE | SelectionKey.OP_READ);
        verify(channel).shutdownOutput(); // all sent, then our FIN ...
        connection.handle(SelectionKey.OP_READ); // ... then the peer's EOF closes
        assertEquals(Connection.State.CLOSED, connection.state());
        assertEquals(0, loop.context().counters().get(Counter.BYTES_DISCARDED));
        assertTrue(log.isEmpty() || !log.get(0).contains("dropped"), log.toString());
    }
}
