package dev.jepoll.reactor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.doNothing;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.spy;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import dev.jepoll.reactor.backend.Endpoint;
import dev.jepoll.reactor.backend.Poller;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * A connection's life against a scripted socket and a spied loop whose clock the test sets:
 * the timeouts' clocks, the end-of-wakeup flush, the lingering close, what sessions are told,
 * failures, trigger-mode details and the memory budget's rules. What the loop is asked to do
 * (flush at the end of the wakeup, linger, read again, shed) is verified on the spy.
 */
class ConnectionLifecycleTest {
    private static final int HIGH = 1024;
    private static final int LOW = 256;
    private static final int BUFFER = 256;
    private static final long WRITE_TIMEOUT = 30_000_000_000L;
    private static final long IDLE = 5_000_000_000L;

    private final Endpoint endpoint = mock(Endpoint.class);
    private final Poller poller = mock(Poller.class);
    private final ScriptedChannel socket = new ScriptedChannel();
    private final List<String> log = new ArrayList<>();
    private final ByteArrayOutputStream trace = new ByteArrayOutputStream();
    private long clock;
    private int connections = 1;

    /** What a session was told, and what it does when told. */
    private static final class Recorder implements Session {
        final ByteArrayOutputStream data = new ByteArrayOutputStream();
        final List<CloseReason> closed = new ArrayList<>();
        int inputClosed;
        int drained;
        long held;
        long allowance = Long.MAX_VALUE;
        RuntimeException failOnData;
        Error errorOnData;
        RuntimeException failOnClose;
        Error errorOnClose;

        @Override
        public void onData(ByteBuffer bytes) {
            if (failOnData != null) {
                throw failOnData;
            }
            if (errorOnData != null) {
                throw errorOnData;
            }
            while (bytes.hasRemaining()) {
                data.write(bytes.get());
            }
        }

        @Override
        public void onInputClosed() {
            inputClosed++;
        }

        @Override
        public void onClosed(CloseReason reason) {
            closed.add(reason);
            if (failOnClose != null) {
                throw failOnClose;
            }
            if (errorOnClose != null) {
                throw errorOnClose;
            }
        }

        @Override
        public long heldBytes() {
            return held;
        }

        @Override
        public long inputAllowance() {
            return allowance;
        }

        @Override
        public void onDrained() {
            drained++;
        }
    }

    private final Recorder session = new Recorder();

    ConnectionLifecycleTest() throws IOException {
        when(endpoint.read(any(ByteBuffer.class))).thenAnswer(inv -> socket.read(inv.getArgument(0)));
        when(endpoint.write(any(ByteBuffer.class))).thenAnswer(inv -> socket.write((ByteBuffer) inv.getArgument(0)));
        when(endpoint.write(any(ByteBuffer[].class), anyInt(), anyInt()))
                .thenAnswer(inv -> socket.write(inv.getArgument(0), inv.getArgument(1), inv.getArgument(2)));
    }

    private EventLoop loop(UnaryOperator<ServerConfig.Builder> tweak, MemoryBudget budget) {
        ServerConfig config = tweak.apply(ServerConfig.builder().highWatermark(HIGH).lowWatermark(LOW).bufferSize(BUFFER)
                .mode(TriggerMode.EDGE).trace(new PrintStream(trace, true, StandardCharsets.UTF_8)).log(log::add)).build();
        EventLoop loop = spy(new EventLoop(0, config, poller, link -> data -> { }, budget,
                new ServerLog(config.logger(), () -> clock)));
        doAnswer(inv -> clock).when(loop).now();
        doNothing().when(loop).shedNow();
        doNothing().when(loop).pausedByBudget(any());
        return loop;
    }

    private EventLoop loop() {
        return loop(b -> b, new MemoryBudget(1L << 30, () -> connections));
    }

    private Connection open(EventLoop loop, Session s) {
        Connection c = new Connection(1, endpoint, loop);
        c.open(link -> s);
        return c;
    }

    private Connection open(EventLoop loop) {
        return open(loop, session);
    }

    private static ByteBuffer bytes(int n) {
        ByteBuffer b = ByteBuffer.allocate(n);
        for (int i = 0; i < n; i++) {
            b.put((byte) i);
        }
        return b.flip();
    }

    private String trace() {
        return trace.toString(StandardCharsets.UTF_8);
    }

    // ---- what it is ----

    @Test
    void itNamesItsIdLoopAndQueue() {
        EventLoop loop = loop();
        Connection c = open(loop);
        assertEquals(1, c.id());
        assertSame(loop, c.loop());
        c.enqueue(bytes(3));
        c.enqueue(bytes(4));
        assertEquals(2, c.pendingBuffers());
        assertEquals(7, c.pendingBytes());
    }

    // ---- which events do what ----

    @Test
    void aReadEventDoesNotWriteAndAWriteEventDoesNotRead() throws IOException {
        Connection c = open(loop());
        socket.writeCaps(0);
        c.write(bytes(10));
        assertEquals(10, c.pendingBytes());
        socket.reads(0);
        c.handle(SelectionKey.OP_READ);
        assertEquals(10, c.pendingBytes(), "a read event is not a chance to write: the socket did not say it was writable");
        assertEquals(1, socket.writeCalls);

        c.handle(SelectionKey.OP_WRITE);
        assertEquals(0, c.pendingBytes());
        assertEquals(1, socket.readCalls, "a write event reads nothing");
        assertArrayEquals(bytes(10).array(), socket.written());
    }

    @Test
    void aPartialWriteInTheFlushPhaseKeepsTheRestAndAsksForOpWrite() {
        EventLoop loop = loop();
        Connection c = open(loop);
        c.enqueue(bytes(10));
        socket.writeCaps(4);
        c.onFlushPhase();
        assertEquals(6, c.pendingBytes());
        assertEquals(SelectionKey.OP_READ | SelectionKey.OP_WRITE, c.interestOps());
        verify(endpoint).interest(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
        assertEquals(1, loop.context().counters().get(Counter.PARTIAL_WRITES));
        assertEquals(4, loop.context().counters().get(Counter.BYTES_OUT));
        assertEquals(Connection.State.OPEN, c.state());

        c.handle(SelectionKey.OP_WRITE);
        assertArrayEquals(bytes(10).array(), socket.written());
        assertEquals(SelectionKey.OP_READ, c.interestOps());
    }

    @Test
    void aWriteTheSocketTakesWholeIsCountedOnceAndNotAsPartial() throws IOException {
        EventLoop loop = loop();
        Connection c = open(loop);
        c.write(bytes(10));
        assertEquals(1, loop.context().counters().get(Counter.WRITES));
        assertEquals(10, loop.context().counters().get(Counter.BYTES_OUT));
        assertEquals(0, loop.context().counters().get(Counter.PARTIAL_WRITES));
        assertEquals(0, c.pendingBytes());
    }

    @Test
    void thePeakOfPendingOutputIsKept() throws IOException {
        EventLoop loop = loop();
        Connection c = open(loop);
        socket.writeCaps(3);
        c.write(bytes(10));
        assertEquals(7, loop.context().counters().get(Counter.PEAK_PENDING_BYTES));
        c.enqueue(bytes(5));
        assertEquals(12, loop.context().counters().get(Counter.PEAK_PENDING_BYTES));
        c.onFlushPhase();
        c.enqueue(bytes(1));
        assertEquals(12, loop.context().counters().get(Counter.PEAK_PENDING_BYTES), "a peak, not the current value");
    }

    // ---- the idle clock ----

    @Test
    void bytesReadRestartTheIdleClock() {
        clock = 0;
        Connection c = open(loop());
        clock = 1_000;
        socket.reads(5, 0);
        c.handle(SelectionKey.OP_READ);
        assertFalse(c.timedOut(1_000 + IDLE - 1, 0, IDLE));
        assertTrue(c.timedOut(1_000 + IDLE, 0, IDLE));
    }

    @Test
    void aReadThatFindsNothingDoesNotRestartTheIdleClock() {
        clock = 1_000_000_000L;
        EventLoop loop = loop();
        Connection c = open(loop);
        clock = 2_000_000_000L;
        socket.reads(0);
        c.handle(SelectionKey.OP_READ);
        assertTrue(c.timedOut(1_000_000_000L + IDLE, 0, IDLE));
        assertEquals(1, loop.context().counters().closes(CloseReason.IDLE_TIMEOUT));
        assertEquals(Connection.State.CLOSED, c.state());
        assertTrue(log.get(0).contains("idle timeout: nothing moved for 5000 ms"), log.toString());
    }

    @Test
    void aWriteTheSocketTookRestartsTheIdleClockAndOneItRefusedDoesNot() throws IOException {
        clock = 0;
        EventLoop loop = loop();
        Connection taken = open(loop);
        clock = 500;
        taken.write(bytes(4));
        assertFalse(taken.timedOut(500 + IDLE - 1, 0, IDLE));

        clock = 0;
        Connection refused = open(loop);
        clock = 500;
        socket.writeCaps(0);
        refused.write(bytes(4));
        assertTrue(refused.timedOut(IDLE, 0, IDLE), "nothing moved: the socket took none of it");
    }

    /** The same for output that waited for the flush phase: its gathering write is activity too, if the socket took any. */
    @Test
    void aFlushTheSocketTookRestartsTheIdleClockAndOneItRefusedDoesNot() throws IOException {
        clock = 0;
        EventLoop loop = loop();
        Connection taken = open(loop);
        clock = 500;
        taken.enqueue(bytes(4));
        taken.onFlushPhase();
        assertEquals(0, taken.pendingBytes(), "written in the flush phase");
        assertFalse(taken.timedOut(500 + IDLE - 1, 0, IDLE));

        clock = 0;
        Connection refused = open(loop);
        clock = 500;
        socket.writeCaps(0);
        refused.enqueue(bytes(4));
        refused.onFlushPhase();
        assertEquals(4, refused.pendingBytes());
        assertTrue(refused.timedOut(IDLE, 0, IDLE), "nothing moved: the socket took none of it");
    }

    @Test
    void withoutAnIdleTimeoutNothingIsEverIdle() {
        clock = 0;
        Connection c = open(loop());
        assertFalse(c.timedOut(Long.MAX_VALUE / 2, 0, 0));
        assertEquals(Connection.State.OPEN, c.state());
    }

    // ---- the write-timeout clock ----

    @Test
    void theWriteTimeoutCountsFromTheFirstByteOwed() throws IOException {
        EventLoop loop = loop();
        clock = 0;
        Connection c = open(loop);
        long owedFrom = 2_000_000_000L;
        clock = owedFrom;
        socket.writeCaps(0);
        c.write(bytes(10));
        clock = owedFrom + 1_000_000_000L;
        c.enqueue(bytes(1)); // more owed: the clock does not restart
        assertFalse(c.timedOut(owedFrom + WRITE_TIMEOUT - 1, WRITE_TIMEOUT, 0));
        assertTrue(c.timedOut(owedFrom + WRITE_TIMEOUT, WRITE_TIMEOUT, 0));
        assertEquals(1, loop.context().counters().closes(CloseReason.WRITE_TIMEOUT));
        assertTrue(log.get(0).contains("write timeout: no write progress for 30000 ms with 11 bytes owed"), log.toString());
        assertFalse(c.timedOut(Long.MAX_VALUE / 2, WRITE_TIMEOUT, IDLE), "a closed connection is not closed again");
        assertEquals(1, loop.context().counters().totalCloses());
    }

    @Test
    void progressRestartsTheWriteTimeoutAndAFlushOfNothingDoesNot() throws IOException {
        clock = 0;
        Connection c = open(loop());
        socket.writeCaps(0);
        c.write(bytes(10)); // owed from 0
        clock = 300;
        socket.writeCaps(0);
        c.handle(SelectionKey.OP_WRITE); // the socket took nothing: no progress
        assertTrue(c.timedOut(WRITE_TIMEOUT, WRITE_TIMEOUT, 0));

        clock = 0;
        Connection d = open(loop());
        socket.writeCaps(0);
        d.write(bytes(10));
        clock = 300;
        socket.writeCaps(4);
        d.handle(SelectionKey.OP_WRITE); // 4 bytes went: progress at 300
        assertFalse(d.timedOut(300 + WRITE_TIMEOUT - 1, WRITE_TIMEOUT, 0));
        assertTrue(d.timedOut(300 + WRITE_TIMEOUT, WRITE_TIMEOUT, 0));
    }

    @Test
    void nothingOwedOrNoWriteTimeoutMeansNoWriteTimeout() throws IOException {
        clock = 0;
        Connection idle = open(loop());
        assertFalse(idle.timedOut(Long.MAX_VALUE / 2, WRITE_TIMEOUT, 0), "owes nothing");

        Connection owing = open(loop());
        socket.writeCaps(0);
        owing.write(bytes(10));
        assertFalse(owing.timedOut(Long.MAX_VALUE / 2, 0, 0), "write timeout off");
        assertEquals(Connection.State.OPEN, owing.state());
    }

    // ---- the flush phase ----

    @Test
    void enqueueingAsksTheLoopForOneFlushPerWakeup() {
        EventLoop loop = loop();
        Connection c = open(loop);
        c.enqueue(bytes(3));
        c.enqueue(bytes(4));
        verify(loop, times(1)).flushAtEndOfWakeup(c);
        assertEquals(0, socket.writeCalls, "nothing is written before the flush phase");
        c.onFlushPhase();
        assertEquals(0, c.pendingBytes());
        c.enqueue(bytes(2));
        verify(loop, times(2)).flushAtEndOfWakeup(c);
    }

    @Test
    void aLentBufferItCannotTakeGoesBackToItsOwnerAtOnce() {
        Connection c = open(loop());
        int[] released = new int[1];
        c.enqueue(ByteBuffer.allocate(0), () -> released[0]++);
        assertEquals(1, released[0], "an empty buffer is given back");
        c.close(CloseReason.IO_ERROR, "test");
        c.enqueue(bytes(5), () -> released[0]++);
        assertEquals(2, released[0], "a closed connection gives it back");
        assertEquals(0, c.pendingBytes());
        c.enqueue(bytes(5), null); // nothing lent, nothing to give back
        assertEquals(0, c.pendingBuffers());
    }

    // ---- what the session is told ----

    @Test
    void theSessionHearsOfTheInputClosingAndOfTheClose() {
        EventLoop loop = loop();
        Connection c = open(loop);
        socket.reads(3, -1);
        c.handle(SelectionKey.OP_READ);
        assertEquals(1, session.inputClosed);
        assertEquals(Connection.State.INPUT_CLOSED, c.state());
        verify(loop).flushAtEndOfWakeup(c);
        assertTrue(session.closed.isEmpty(), "closed only in the flush phase");
        c.onFlushPhase();
        assertEquals(List.of(CloseReason.PEER_CLOSED), session.closed);
    }

    @Test
    void aSessionFailingOnCloseIsLoggedAndTheConnectionStillCloses() {
        EventLoop loop = loop();
        session.failOnClose = new IllegalStateException("boom");
        Connection c = open(loop);
        assertDoesNotThrow(() -> c.close(CloseReason.PEER_RESET, null));
        assertEquals(Connection.State.CLOSED, c.state());
        verify(endpoint).close();
        assertTrue(log.contains("client 1: session failed on close: java.lang.IllegalStateException: boom"), log.toString());
    }

    @Test
    void aJvmThatCannotGoOnIsNotSwallowedOnClose() {
        session.errorOnClose = new OutOfMemoryError("test");
        Connection c = open(loop());
        assertThrows(OutOfMemoryError.class, () -> c.close(CloseReason.PEER_RESET, null));
    }

    @Test
    void aBugInTheSessionClosesThisConnectionAsAProtocolError() {
        EventLoop loop = loop();
        session.failOnData = new IllegalArgumentException("bug");
        Connection c = open(loop);
        socket.reads(3);
        c.handle(SelectionKey.OP_READ);
        assertEquals(Connection.State.CLOSED, c.state());
        assertEquals(1, loop.context().counters().closes(CloseReason.PROTOCOL_ERROR));
        assertTrue(log.get(0).contains("protocol error: java.lang.IllegalArgumentException: bug"), log.toString());
    }

    @Test
    void aJvmThatCannotGoOnEndsTheLoopInsteadOfClosingOneConnection() {
        session.errorOnData = new OutOfMemoryError("test");
        Connection c = open(loop());
        socket.reads(3);
        assertThrows(OutOfMemoryError.class, () -> c.handle(SelectionKey.OP_READ));
    }

    @Test
    void failuresInTheFlushPhaseCloseWithTheirReason() throws IOException {
        EventLoop loop = loop();
        Connection reset = open(loop);
        reset.enqueue(bytes(3));
        when(endpoint.write(any(ByteBuffer.class))).thenThrow(new IOException("Broken pipe"));
        reset.onFlushPhase();
        assertEquals(Connection.State.CLOSED, reset.state());
        assertEquals(1, loop.context().counters().closes(CloseReason.PEER_RESET));

        Endpoint other = mock(Endpoint.class);
        when(other.write(any(ByteBuffer.class))).thenThrow(new IllegalStateException("bug"));
        Connection buggy = new Connection(2, other, loop);
        buggy.open(link -> session);
        buggy.enqueue(bytes(3));
        buggy.onFlushPhase();
        assertEquals(Connection.State.CLOSED, buggy.state());
        assertEquals(1, loop.context().counters().closes(CloseReason.PROTOCOL_ERROR));

        Endpoint fatal = mock(Endpoint.class);
        when(fatal.write(any(ByteBuffer.class))).thenThrow(new OutOfMemoryError("test"));
        Connection doomed = new Connection(3, fatal, loop);
        doomed.open(link -> session);
        doomed.enqueue(bytes(3));
        assertThrows(OutOfMemoryError.class, doomed::onFlushPhase);
    }

    // ---- pollers that report once (EPOLLET) ----

    @Test
    void stoppingBeforeEagainOnAPollerThatReportsOnceReadsAgainNextTurn() {
        when(poller.reportsOnce()).thenReturn(true);
        EventLoop loop = loop(b -> b.edgeReadBudget(2), new MemoryBudget(1L << 30, () -> 1));
        Connection c = open(loop);
        socket.reads(BUFFER, BUFFER);
        c.handle(SelectionKey.OP_READ);
        verify(loop).readAgainNextTurn(c);
        assertEquals(2 * BUFFER, session.data.size());
    }

    @Test
    void aPollerThatReportsAgainNeedsNoReminder() {
        when(poller.reportsOnce()).thenReturn(false);
        EventLoop loop = loop(b -> b.edgeReadBudget(2), new MemoryBudget(1L << 30, () -> 1));
        Connection c = open(loop);
        socket.reads(BUFFER, BUFFER);
        c.handle(SelectionKey.OP_READ);
        verify(loop, never()).readAgainNextTurn(any());
    }

    @Test
    void aDrainedSocketNeedsNoReminderEvenOnAPollerThatReportsOnce() {
        when(poller.reportsOnce()).thenReturn(true);
        EventLoop loop = loop(b -> b.edgeReadBudget(2), new MemoryBudget(1L << 30, () -> 1));
        Connection c = open(loop);
        socket.reads(BUFFER, 0);
        c.handle(SelectionKey.OP_READ);
        verify(loop, never()).readAgainNextTurn(any());
    }

    // ---- --edge-read-once: what the one read left ----

    private EventLoop readOnceLoop() {
        return loop(b -> b.selector(SelectorKind.NATIVE, true).edgeReadOnce(true).bufferSize(4),
                new MemoryBudget(1L << 30, () -> 1));
    }

    @Test
    void readingOnceSaysHowManyBytesWereLeftInTheKernel() {
        EventLoop loop = readOnceLoop();
        Connection c = open(loop);
        when(endpoint.bytesWaiting()).thenReturn(8);
        socket.reads(12);
        c.handle(SelectionKey.OP_READ);
        assertEquals(4, session.data.size(), "one read, and no more");
        assertEquals(8, loop.context().counters().get(Counter.PEAK_BYTES_LEFT_UNREAD));
        assertEquals("client 1: 8 bytes left unread in the kernel; edge-triggered, no event will come for them until"
                + " the client sends again" + System.lineSeparator(), trace());
    }

    @Test
    void oneByteLeftIsOneByte() {
        Connection c = open(readOnceLoop());
        when(endpoint.bytesWaiting()).thenReturn(1);
        socket.reads(5);
        c.handle(SelectionKey.OP_READ);
        assertTrue(trace().startsWith("client 1: 1 byte left unread in the kernel;"), trace());
    }

    @Test
    void nothingLeftIsNotMentioned() {
        EventLoop loop = readOnceLoop();
        Connection c = open(loop);
        when(endpoint.bytesWaiting()).thenReturn(0);
        socket.reads(4);
        c.handle(SelectionKey.OP_READ);
        assertEquals("", trace());
        assertEquals(0, loop.context().counters().get(Counter.PEAK_BYTES_LEFT_UNREAD));
    }

    @Test
    void onlyTheReadOnceSwitchLooksAtWhatWasLeft() {
        EventLoop loop = loop();
        Connection c = open(loop);
        when(endpoint.bytesWaiting()).thenReturn(8);
        socket.reads(4, 0);
        c.handle(SelectionKey.OP_READ);
        assertEquals("", trace());
        assertEquals(0, loop.context().counters().get(Counter.PEAK_BYTES_LEFT_UNREAD));
        verify(endpoint, never()).bytesWaiting();
    }

    // ---- closing after the flush: half-close, discard, linger ----

    @Test
    void closingWithNothingOwedHalfClosesAtOnceAndStartsTheLinger() throws IOException {
        EventLoop loop = loop();
        Connection c = open(loop);
        c.closeAfterFlush(CloseReason.LINE_TOO_LONG, "too long");
        verify(endpoint).shutdownOutput();
        verify(loop).lingerDeadline(c);
        assertEquals(SelectionKey.OP_READ, c.interestOps());
        assertEquals(Connection.State.CLOSING, c.state());
    }

    @Test
    void whileDiscardingAReadOfNothingWaitsAndTheEofCloses() {
        EventLoop loop = loop();
        Connection c = open(loop);
        c.closeAfterFlush(CloseReason.LINE_TOO_LONG, "too long");
        socket.reads(0);
        c.handle(SelectionKey.OP_READ);
        assertEquals(Connection.State.CLOSING, c.state(), "EAGAIN is not the peer's EOF");
        socket.reads(7, -1);
        c.handle(SelectionKey.OP_READ);
        assertEquals(Connection.State.CLOSED, c.state());
        assertEquals(7, loop.context().counters().get(Counter.BYTES_DISCARDED));
        assertEquals(1, loop.context().counters().closes(CloseReason.LINE_TOO_LONG));
        assertTrue(log.get(0).contains("line too long: too long"), log.toString());
        assertTrue(session.data.size() == 0, "discarded bytes never reach the session");
    }

    @Test
    void aPeerFloodingAClosingConnectionGetsSixteenReadsPerEvent() {
        when(poller.reportsOnce()).thenReturn(false);
        EventLoop loop = loop();
        Connection c = open(loop);
        c.closeAfterFlush(CloseReason.SHUTDOWN, null);
        int[] sixteen = new int[16];
        java.util.Arrays.fill(sixteen, 5);
        socket.reads(sixteen);
        c.handle(SelectionKey.OP_READ);
        assertEquals(16, socket.readCalls);
        assertEquals(80, loop.context().counters().get(Counter.BYTES_DISCARDED));
        assertEquals(Connection.State.CLOSING, c.state());
        verify(loop, never()).readAgainNextTurn(any());
    }

    @Test
    void onAPollerThatReportsOnceAFloodingPeerIsReadAgainNextTurn() {
        when(poller.reportsOnce()).thenReturn(true);
        EventLoop loop = loop();
        Connection c = open(loop);
        c.closeAfterFlush(CloseReason.SHUTDOWN, null);
        int[] sixteen = new int[16];
        java.util.Arrays.fill(sixteen, 5);
        socket.reads(sixteen);
        c.handle(SelectionKey.OP_READ);
        verify(loop).readAgainNextTurn(c);
    }

    @Test
    void aHalfCloseThatFailsClosesWithTheClosingReason() throws IOException {
        EventLoop loop = loop();
        Connection c = open(loop);
        doThrow(new IOException("Transport endpoint is not connected")).when(endpoint).shutdownOutput();
        c.closeAfterFlush(CloseReason.SLOW_CONSUMER, "behind");
        assertEquals(Connection.State.CLOSED, c.state());
        assertEquals(1, loop.context().counters().closes(CloseReason.SLOW_CONSUMER));
        verify(loop, never()).lingerDeadline(any());
    }

    @Test
    void theLingerExpiringClosesAClosingConnectionOnly() {
        EventLoop loop = loop();
        Connection open = open(loop);
        open.lingerExpired();
        assertEquals(Connection.State.OPEN, open.state());

        Connection closing = open(loop);
        closing.closeAfterFlush(CloseReason.LINE_TOO_LONG, "too long");
        closing.lingerExpired();
        assertEquals(Connection.State.CLOSED, closing.state());
        assertEquals(1, loop.context().counters().closes(CloseReason.LINE_TOO_LONG));
        assertEquals(List.of(CloseReason.LINE_TOO_LONG), session.closed);
    }

    @Test
    void aSecondCloseAfterFlushChangesNothing() {
        EventLoop loop = loop();
        Connection c = open(loop);
        socket.writeCaps(0);
        c.enqueue(bytes(4));
        c.closeAfterFlush(CloseReason.LINE_TOO_LONG, "first");
        c.closeAfterFlush(CloseReason.SHUTDOWN, "second");
        c.lingerExpired();
        assertEquals(1, loop.context().counters().closes(CloseReason.LINE_TOO_LONG));
        assertEquals(0, loop.context().counters().closes(CloseReason.SHUTDOWN));

        Connection closed = open(loop);
        closed.close(CloseReason.PEER_RESET, null);
        assertDoesNotThrow(() -> closed.closeAfterFlush(CloseReason.SHUTDOWN, null));
        assertEquals(Connection.State.CLOSED, closed.state());
        assertEquals(0, loop.context().counters().closes(CloseReason.SHUTDOWN));
    }

    @Test
    void afterThePeersEofACloseAfterFlushKeepsItsReasonAndDoesNotLinger() throws IOException {
        EventLoop loop = loop();
        Connection c = open(loop);
        socket.reads(-1);
        c.handle(SelectionKey.OP_READ);
        socket.writeCaps(0);
        c.enqueue(bytes(4));
        c.closeAfterFlush(CloseReason.SHUTDOWN, "server shutting down");
        assertEquals(Connection.State.INPUT_CLOSED, c.state());
        c.onFlushPhase();
        assertEquals(Connection.State.INPUT_CLOSED, c.state());
        c.handle(SelectionKey.OP_WRITE);
        assertEquals(Connection.State.CLOSED, c.state());
        assertEquals(1, loop.context().counters().closes(CloseReason.SHUTDOWN));
        assertEquals(0, loop.context().counters().closes(CloseReason.PEER_CLOSED));
        verify(endpoint, never()).shutdownOutput();
    }

    // ---- the memory budget ----

    @Test
    void withinTheBudgetReadsAreCappedByTheWatermarkOnly() {
        Connection c = open(loop(b -> b, new MemoryBudget(64, () -> 1)));
        socket.reads(BUFFER, 0);
        c.handle(SelectionKey.OP_READ);
        assertEquals(BUFFER, session.data.size());
    }

    @Test
    void pastTheBudgetAnEventReadsAtMostTheFairShareLeft() {
        MemoryBudget budget = new MemoryBudget(1000, () -> connections);
        connections = 2; // fair share: 500
        budget.add(2000); // what the others hold
        session.held = 100;
        EventLoop loop = loop(b -> b, budget);
        Connection c = open(loop);
        verify(loop).shedNow();
        socket.reads(BUFFER, BUFFER, BUFFER, BUFFER, 0);
        c.handle(SelectionKey.OP_READ);
        assertEquals(400, session.data.size(), "500 of share, 100 of it already held");
    }

    @Test
    void aConnectionHoldingItsFairShareStopsReadingUntilTheBudgetIsRelieved() {
        MemoryBudget budget = new MemoryBudget(1000, () -> connections);
        connections = 2;
        budget.add(2000);
        session.held = 500;
        EventLoop loop = loop(b -> b, budget);
        Connection c = open(loop);
        assertEquals(500, c.held());
        verify(endpoint).interest(0);
        assertEquals(0, c.room());
        c.handle(0);
        verify(loop, times(1)).pausedByBudget(c);

        budget.add(-2000); // 500 of 1000: under the resume mark
        c.budgetRelieved();
        verify(endpoint).interest(SelectionKey.OP_READ);
        assertEquals(HIGH, c.room());
    }

    @Test
    void aConnectionJustUnderItsFairShareKeepsReading() {
        MemoryBudget budget = new MemoryBudget(1000, () -> connections);
        connections = 2;
        budget.add(2000);
        session.held = 499;
        EventLoop loop = loop(b -> b, budget);
        Connection c = open(loop);
        verify(endpoint, never()).interest(anyInt());
        verify(loop, never()).pausedByBudget(any());
        assertEquals(HIGH, c.room());
    }

    @Test
    void growingPastTheBudgetShedsAtOnceShrinkingDoesNot() {
        MemoryBudget budget = new MemoryBudget(1000, () -> 1);
        session.held = 1000;
        EventLoop loop = loop(b -> b, budget);
        Connection c = open(loop);
        verify(loop, never()).shedNow(); // at the budget, not past it
        session.held = 1001;
        c.handle(0);
        verify(loop, times(1)).shedNow();
        session.held = 1100;
        c.handle(0);
        verify(loop, times(2)).shedNow();
        session.held = 1050; // smaller, though still past the budget
        c.handle(0);
        verify(loop, times(2)).shedNow();
        assertEquals(1050, c.held());
        assertEquals(1050, budget.held());
    }

    @Test
    void pastTheBudgetAReadCutShortOnAPollerThatReportsOnceIsReadAgainNextTurn() {
        when(poller.reportsOnce()).thenReturn(true);
        MemoryBudget budget = new MemoryBudget(1000, () -> connections);
        connections = 2; // fair share: 500
        budget.add(2000);
        session.held = 100;
        EventLoop loop = loop(b -> b, budget);
        Connection c = open(loop);
        socket.reads(BUFFER, BUFFER, BUFFER, BUFFER, 0);
        c.handle(SelectionKey.OP_READ);
        assertEquals(400, session.data.size(), "its share's rest");
        verify(loop).readAgainNextTurn(c); // bytes remain, and EPOLLET will not report them again
        verify(loop, never()).pausedByBudget(any());
    }

    // ---- queries are pure; deciding happens once per event ----

    @Test
    void askingForTheInterestAndTheRoomChangesNothing() {
        MemoryBudget budget = new MemoryBudget(1000, () -> connections);
        connections = 2;
        budget.add(2000);
        EventLoop loop = loop(b -> b, budget);
        Connection c = open(loop);
        session.held = 500; // now at its fair share, but nothing has been decided since
        for (int i = 0; i < 3; i++) {
            assertEquals(SelectionKey.OP_READ, c.interestOps(), "the last decision, read, not remade");
        }
        assertEquals(c.room(), c.room(), "the room changes nothing either");
        verify(loop, never()).pausedByBudget(any());
        assertEquals(0, loop.context().counters().get(Counter.READ_PAUSES));
        c.handle(0); // the event's end decides, once
        assertEquals(0, c.interestOps());
        verify(loop, times(1)).pausedByBudget(c);
    }

    @Test
    void aSessionThatAllowsNothingStopsReadingUntilItResumesIt() {
        EventLoop loop = loop();
        Connection c = open(loop);
        session.allowance = 10;
        socket.reads(BUFFER, 0);
        c.handle(SelectionKey.OP_READ);
        assertEquals(10, session.data.size(), "reads are capped by the allowance");
        session.allowance = 0;
        c.handle(0);
        assertEquals(0, c.interestOps());
        verify(endpoint).interest(0);
        assertEquals(1, loop.context().counters().get(Counter.PROTOCOL_PAUSES));
        c.handle(0);
        assertEquals(1, loop.context().counters().get(Counter.PROTOCOL_PAUSES), "counted once per pause");
        c.resumeInput(); // still nothing allowed: stays paused
        assertEquals(0, c.interestOps());
        session.allowance = 5;
        c.resumeInput();
        assertEquals(SelectionKey.OP_READ, c.interestOps());
        verify(endpoint).interest(SelectionKey.OP_READ);
        assertEquals(5, c.room());
    }

    @Test
    void aSessionIsToldOnceWhenItsOutputDrainsToTheMarkItAskedFor() {
        EventLoop loop = loop();
        Connection c = open(loop);
        socket.writeCaps(0);
        c.enqueue(bytes(100));
        c.onFlushPhase();
        c.notifyWhenDrained(40);
        socket.writeCaps(50);
        c.onFlushPhase();
        assertEquals(50, c.pendingBytes());
        assertEquals(0, session.drained);
        socket.writeCaps(10);
        c.handle(SelectionKey.OP_WRITE);
        assertEquals(40, c.pendingBytes());
        assertEquals(1, session.drained);
        socket.writeCaps(40);
        c.handle(SelectionKey.OP_WRITE);
        assertEquals(1, session.drained, "once per request");
        c.notifyWhenDrained(0); // already drained: told after the event, in the flush phase
        c.onFlushPhase();
        assertEquals(2, session.drained);
    }

    @Test
    void stalledCountsFromTheLastByteTheSocketTookWhileOutputIsOwed() {
        EventLoop loop = loop();
        Connection c = open(loop);
        clock = 1_000;
        assertEquals(0, c.stalledNanos(), "nothing owed");
        socket.writeCaps(0);
        c.enqueue(bytes(10));
        c.onFlushPhase();
        clock = 5_000;
        assertEquals(4_000, c.stalledNanos());
        socket.writeCaps(3);
        c.handle(SelectionKey.OP_WRITE);
        clock = 6_000;
        assertEquals(1_000, c.stalledNanos(), "progress restarts it");
        socket.writeCaps(100);
        c.handle(SelectionKey.OP_WRITE);
        assertEquals(0, c.stalledNanos());
    }

    @Test
    void outputAfterTheHalfCloseIsDroppedAndALentBufferGoesBack() throws IOException {
        EventLoop loop = loop();
        Connection c = open(loop);
        c.closeAfterFlush(CloseReason.SHUTDOWN, "bye");
        verify(endpoint).shutdownOutput();
        assertFalse(c.acceptsOutput());
        int[] released = new int[1];
        c.enqueue(bytes(5), () -> released[0]++);
        c.write(bytes(5));
        assertEquals(1, released[0]);
        assertEquals(0, c.pendingBytes());
        verify(endpoint, never()).write(any(ByteBuffer.class));
    }
}
