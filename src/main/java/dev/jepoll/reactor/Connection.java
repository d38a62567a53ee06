package dev.jepoll.reactor;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;

/**
 * One accepted, non-blocking socket: its handler, its {@link Link}, its state.
 *
 * <pre>
 *            peer EOF (read -1)                 queue empty
 *   OPEN ───────────────────────▶ INPUT_CLOSED ───────────────▶ CLOSED
 *     │                                                           ▲
 *     │ closeAfterFlush(reason)        queue empty: shutdownOutput│ peer EOF or linger timeout
 *     └──────────────────────────▶ CLOSING ───────────────────────┘
 *   any state ── I/O error, close(reason) ──────────────────────▶ CLOSED
 * </pre>
 *
 * In CLOSING the connection sends what it owes, half-closes, and then reads and discards
 * until the peer's EOF, so that closing does not reset a peer still sending (which could
 * destroy our last bytes, an error line for instance, before the peer reads them). The
 * linger time runs from the half-close, not before: what is owed is never cut short by it.
 *
 * <p>Whether to read is decided in one place, {@link #decideInput()}, at the end of every event:
 * the watermarks' hysteresis, the memory budget, and the session's allowance each may pause it,
 * and that is where pauses are counted and enrolled for relief. The queries that follow
 * ({@link #interestOps()}, {@link #room()}) only read that decision and the queue, so they can
 * be asked any number of times. {@link #interestOps()} is the one place that derives the
 * poller interest from state.
 *
 * <p>On a poller that reports a socket once per arrival of data ({@code EPOLLET}), a read that
 * stops before {@code EAGAIN} while the connection still wants input puts it on the loop's
 * read-again list (once, whatever happens in the turn); one that no longer wants input has
 * its interest withdrawn, and giving it back re-arms the socket.
 */
final class Connection implements Handler, Link, ReadStrategy.Sink {
    enum State { OPEN, INPUT_CLOSED, CLOSING, CLOSED }

    /** Where the connection stands with the loop's read-again list. */
    private enum ReadAgain { NO, QUEUED, DUE }

    private static final int DISCARD_READS_PER_EVENT = 16;


    private final int id;
    private final Endpoint endpoint;
    private final EventLoop loop;
    private final OutboundQueue outbound = new OutboundQueue();
    private Session session = data -> { };
    private State state = State.OPEN;
    private boolean readPaused;        // the watermarks' hysteresis
    private boolean pausedByBudget;    // until the loop's budget watch relieves it
    private boolean pausedBySession;   // until the session calls resumeInput
    private boolean flushScheduled;
    private boolean outputShut;
    private boolean stoppedEarly;      // this event's read stopped before EAGAIN
    private ReadAgain readAgain = ReadAgain.NO;
    private long drainMark = -1;       // Session.onDrained is owed at this many pending bytes; -1: not asked
    private long budgetAllowance = -1; // what this event may read past the budget; -1 while within it
    private int registeredOps;
    private long reportedHeld;
    private long failedWrite;          // bytes of a direct write the socket failed on
    private long lastActivityNanos;
    private long owingSinceNanos;
    private CloseReason closingReason;
    private String closingDetail;

    /** A connection on {@code endpoint}, which {@code loop} registers for reading. */
    Connection(int id, Endpoint endpoint, EventLoop loop) {
        this.id = id;
        this.endpoint = endpoint;
        this.loop = loop;
        this.registeredOps = SelectionKey.OP_READ;
        this.lastActivityNanos = loop.now();
    }

    void open(Protocol protocol) {
        session = protocol.open(this);
        settle();
    }

    State state() {
        return state;
    }

    // ---- events from the loop; each catches, so one connection's failure stays its own ----

    @Override
    public void handle(int readyOps) {
        budgetAllowance = loop.budget().exceeded() ? Math.max(0, loop.budget().fairShare() - reportedHeld) : -1;
        if ((readyOps & SelectionKey.OP_READ) != 0 && readAgain == ReadAgain.DUE) {
            readAgain = ReadAgain.NO; // this read is the one it was due: one read per connection per turn
        }
        try {
            if ((readyOps & SelectionKey.OP_WRITE) != 0) {
                flush();
            }
            if ((readyOps & SelectionKey.OP_READ) != 0) {
                doOnReadable();
            }
            settle();
        } catch (IOException e) {
            close(CloseReasons.of(e), e.getMessage());
        } catch (Throwable t) {
            failed(t);
        }
    }

    /** The flush phase at the end of a wakeup: one gathering write of what was enqueued. */
    void onFlushPhase() {
        flushScheduled = false;
        try {
            flush();
            settle();
        } catch (IOException e) {
            close(CloseReasons.of(e), e.getMessage());
        } catch (Throwable t) {
            failed(t);
        }
    }

    /** A bug or a broken class closes this connection only; a JVM that cannot go on ends the loop. */
    private void failed(Throwable t) {
        if (!Failures.survivable(t)) {
            throw (Error) t;
        }
        close(CloseReason.PROTOCOL_ERROR, t.toString());
    }

    private void doOnReadable() throws IOException {
        switch (state) {
            case OPEN -> {
                long before = loop.counters().get(Counter.BYTES_IN);
                ReadStrategy.Outcome outcome =
                        loop.readStrategy().read(endpoint, loop.readBuffer(), this, loop.counters());
                if (loop.counters().get(Counter.BYTES_IN) != before) {
                    lastActivityNanos = loop.now();
                }
                if (outcome == ReadStrategy.Outcome.EOF && state == State.OPEN) {
                    onPeerEof();
                } else if (outcome == ReadStrategy.Outcome.MAYBE_MORE || outcome == ReadStrategy.Outcome.STOPPED) {
                    stoppedEarly = true; // settle() decides: read again next turn, or withdraw the interest
                } else if (loop.config().edgeReadOnce()) {
                    showWhatWasLeft();
                }
            }
            case CLOSING -> {
                if (outputShut) { // not before: the peer's EOF must not cut short what we still owe it
                    discardUntilEof();
                }
            }
            case INPUT_CLOSED, CLOSED -> { }
        }
    }

    /** {@code --edge-read-once}: says how many bytes the one read left in the kernel, unreported. */
    private void showWhatWasLeft() {
        int left = endpoint.bytesWaiting();
        if (left > 0) {
            loop.counters().max(Counter.PEAK_BYTES_LEFT_UNREAD, left);
            loop.trace("client " + id + ": " + left + (left == 1 ? " byte" : " bytes") + " left unread in the kernel; edge-triggered,"
                    + " no event will come for them until the client sends again");
        }
    }

    /**
     * The close that follows waits for the flush phase, after the wakeup's end-of-wakeup hooks:
     * what they hand this connection (chat's last delivery to a member leaving) is owed too.
     */
    private void onPeerEof() throws IOException {
        state = State.INPUT_CLOSED;
        session.onInputClosed();
        scheduleFlush();
    }

    private void scheduleFlush() {
        if (!flushScheduled) {
            flushScheduled = true;
            loop.flushAtEndOfWakeup(this);
        }
    }

    /**
     * CLOSING, output shut: input is read only to see the peer's EOF; a few reads per event, so
     * that a peer still flooding us cannot hold the loop (the selector brings us back).
     */
    private void discardUntilEof() throws IOException {
        ByteBuffer scratch = loop.readBuffer();
        for (int reads = 0; reads < DISCARD_READS_PER_EVENT; reads++) {
            scratch.clear();
            int n = endpoint.read(scratch);
            if (n < 0) {
                close(closingReason, closingDetail);
                return;
            }
            if (n == 0) {
                return;
            }
            loop.counters().add(Counter.BYTES_DISCARDED, n);
        }
        stoppedEarly = true; // stopped before EAGAIN: an edge-triggered poller will not say so again
    }

    private void flush() throws IOException {
        if (!outbound.isEmpty() && outbound.writeTo(endpoint, loop.counters()) > 0) {
            wrote();
        }
    }

    private void wrote() {
        lastActivityNanos = loop.now();
        owingSinceNanos = lastActivityNanos; // the write-timeout clock restarts at each bit of progress
    }

    /**
     * After any change: tell the session its output drained if it asked, finish a close that is
     * due, decide about input, bring the interest ops up to date, and come back next turn to a
     * socket whose read stopped early on a poller that will not report it again.
     */
    private void settle() {
        if (drainMark >= 0 && outbound.pendingBytes() <= drainMark && state != State.CLOSED) {
            drainMark = -1;
            session.onDrained();
        }
        reportHeld();
        boolean flushed = outbound.isEmpty() && !flushScheduled;
        if (state == State.INPUT_CLOSED && flushed) {
            close(closingReason == null ? CloseReason.PEER_CLOSED : closingReason, closingDetail);
            return;
        }
        if (state == State.CLOSING && flushed && !outputShut) {
            outputShut = true;
            try {
                endpoint.shutdownOutput();
            } catch (IOException e) {
                close(closingReason, closingDetail);
                return;
            }
            loop.lingerDeadline(this);
        }
        if (state == State.CLOSED) {
            return;
        }
        decideInput();
        updateInterest();
        if (stoppedEarly) {
            stoppedEarly = false;
            if ((registeredOps & SelectionKey.OP_READ) != 0 && readAgain != ReadAgain.QUEUED && loop.pollerReportsOnce()) {
                readAgain = ReadAgain.QUEUED; // the kernel will not report these bytes again
                loop.readAgainNextTurn(this);
            }
        }
    }

    /**
     * The one place where pausing input is decided, and counted: the watermarks' hysteresis on
     * pending output (stop at the high one, resume at the low one); the memory budget (past it,
     * a connection holding its fair share or more stops, and the loop re-arms it once the budget
     * is relieved); and the session's allowance (0 stops it until the session resumes it).
     */
    private void decideInput() {
        if (state != State.OPEN) {
            return;
        }
        long pending = outbound.pendingBytes();
        if (readPaused && pending <= loop.config().lowWatermark()) {
            readPaused = false;
        } else if (!readPaused && pending >= loop.config().highWatermark()) {
            readPaused = true;
            loop.counters().add(Counter.READ_PAUSES, 1);
        }
        if (!pausedByBudget && overBudget()) {
            pausedByBudget = true;
            loop.pausedByBudget(this);
        }
        boolean sessionSaysStop = session.inputAllowance() <= 0;
        if (sessionSaysStop && !pausedBySession) {
            loop.counters().add(Counter.PROTOCOL_PAUSES, 1);
        }
        pausedBySession = sessionSaysStop;
    }

    /** Past the budget, a connection holding its fair share of it or more may not read. */
    private boolean overBudget() {
        return loop.budget().exceeded() && reportedHeld >= loop.budget().fairShare();
    }

    /** As last decided: whether this connection reads. */
    private boolean wantsInput() {
        return state == State.OPEN && !readPaused && !pausedByBudget && !pausedBySession;
    }

    private void updateInterest() {
        if (state != State.CLOSED) {
            int ops = interestOps();
            if (ops != registeredOps) {
                endpoint.interest(ops);
                registeredOps = ops;
            }
        }
    }

    /** The one place interest ops are computed; reads the last decision, changes nothing. */
    int interestOps() {
        int write = outbound.isEmpty() ? 0 : SelectionKey.OP_WRITE;
        return switch (state) {
            case OPEN -> (wantsInput() ? SelectionKey.OP_READ : 0) | write;
            case INPUT_CLOSED -> write;
            case CLOSING -> outputShut ? SelectionKey.OP_READ : write;
            case CLOSED -> 0;
        };
    }

    /** Called by the loop as it serves its read-again list: true if this connection is still due a read this turn. */
    boolean takeReadAgainTurn() {
        if (readAgain != ReadAgain.DUE) {
            return false; // read already this turn, or closed
        }
        readAgain = ReadAgain.NO;
        return state != State.CLOSED;
    }

    /** Called by the loop when this turn's read-again list is taken: the connection is due its read. */
    void readAgainDue() {
        if (readAgain == ReadAgain.QUEUED) {
            readAgain = ReadAgain.DUE;
        }
    }

    /** Tells the server's memory budget what this connection holds now. */
    private void reportHeld() {
        if (state == State.CLOSED) {
            return; // close() took back what it held; its session may keep an array, but not for long
        }
        long held = outbound.heldBytes() + session.heldBytes();
        if (held != reportedHeld) {
            long grew = held - reportedHeld;
            loop.budget().add(grew);
            reportedHeld = held;
            if (grew > 0 && loop.budget().held() > loop.budget().budget()) {
                loop.shedNow(); // past the budget: the largest go now, not at the next check
            }
        }
    }

    /** What this connection holds against the memory budget, as last reported. */
    long held() {
        return reportedHeld;
    }

    // ---- ReadStrategy.Sink ----

    /**
     * What the next read may take: up to the high watermark, within this event's budget
     * allowance and the session's; 0 while input is paused. A query: it decides nothing (the
     * queue may pass the watermark during a read; {@link #decideInput()} pauses afterwards).
     */
    @Override
    public int room() {
        if (!wantsInput() || overBudget()) {
            return 0;
        }
        long room = Math.min(loop.config().highWatermark() - outbound.pendingBytes(), session.inputAllowance());
        if (budgetAllowance >= 0) {
            room = Math.min(room, budgetAllowance);
        }
        return (int) Math.max(0, Math.min(Integer.MAX_VALUE, room));
    }

    @Override
    public void accept(ByteBuffer chunk) throws IOException {
        if (budgetAllowance > 0) {
            budgetAllowance = Math.max(0, budgetAllowance - chunk.remaining());
        }
        session.onData(chunk);
    }

    // ---- Link ----

    @Override
    public int id() {
        return id;
    }

    @Override
    public Loop loop() {
        return loop;
    }

    @Override
    public void write(ByteBuffer bytes) throws IOException {
        if (state == State.CLOSED || outputShut || !bytes.hasRemaining()) {
            return; // nothing can be sent any more
        }
        if (outbound.isEmpty()) {
            int offered = bytes.remaining();
            int n;
            try {
                n = endpoint.write(bytes);
            } catch (IOException e) {
                failedWrite = offered; // never sent: the close that follows counts them as dropped
                throw e;
            }
            Counters counters = loop.counters();
            counters.add(Counter.WRITES, 1);
            counters.add(Counter.BYTES_OUT, n);
            if (n > 0) {
                wrote();
            }
            if (n < offered) {
                counters.add(Counter.PARTIAL_WRITES, 1);
            }
        }
        if (bytes.hasRemaining()) {
            ByteBuffer copy = ByteBuffer.allocate(bytes.remaining());
            copy.put(bytes).flip();
            queue(copy, null);
            decideInput(); // the queue grew: past the high watermark, reading pauses now
            updateInterest(); // OP_WRITE now, even when called outside an event
        }
    }

    @Override
    public void enqueue(ByteBuffer bytes, BufferOwner owner) {
        if (state == State.CLOSED || outputShut || !bytes.hasRemaining()) {
            if (owner != null) {
                owner.release();
            }
            return;
        }
        queue(bytes, owner);
        scheduleFlush();
    }

    private void queue(ByteBuffer bytes, BufferOwner owner) {
        if (outbound.isEmpty()) {
            owingSinceNanos = loop.now(); // owing starts now: the write timeout counts from here
        }
        outbound.add(bytes, owner);
        loop.counters().max(Counter.PEAK_PENDING_BYTES, outbound.pendingBytes());
    }

    @Override
    public long pendingBytes() {
        return outbound.pendingBytes();
    }

    @Override
    public int pendingBuffers() {
        return outbound.size();
    }

    @Override
    public boolean isOpen() {
        return state == State.OPEN;
    }

    @Override
    public boolean acceptsOutput() {
        return state == State.OPEN || state == State.INPUT_CLOSED;
    }

    @Override
    public void resumeInput() {
        if (state == State.OPEN && pausedBySession) {
            try {
                settle();
            } catch (Throwable t) {
                failed(t);
            }
        }
    }

    @Override
    public void notifyWhenDrained(long bytes) {
        if (state == State.CLOSED) {
            return;
        }
        drainMark = Math.max(0, bytes);
        if (outbound.pendingBytes() <= drainMark) {
            scheduleFlush(); // told after this event, in the flush phase's settle
        }
    }

    @Override
    public long stalledNanos() {
        return outbound.isEmpty() ? 0 : Math.max(0, loop.now() - owingSinceNanos);
    }

    @Override
    public void closeAfterFlush(CloseReason reason, String detail) {
        if (state != State.OPEN && state != State.INPUT_CLOSED) {
            return;
        }
        closingReason = reason;
        closingDetail = detail;
        if (state == State.OPEN) { // after the peer's EOF there is nothing to linger for
            state = State.CLOSING;
        }
        settle();
    }

    @Override
    public void close(CloseReason reason, String detail) {
        if (state == State.CLOSED) {
            return;
        }
        state = State.CLOSED;
        endpoint.close();
        long dropped = outbound.clear() + failedWrite;
        failedWrite = 0;
        loop.budget().add(-reportedHeld);
        reportedHeld = 0;
        loop.onClosed(this, reason, detail, dropped);
        try {
            session.onClosed(reason);
        } catch (Throwable t) {
            if (!Failures.survivable(t)) {
                throw t;
            }
            loop.warn("session failures", "client " + id + ": session failed on close: " + t);
        }
    }

    /**
     * The loop's sweep: closes this connection if it owed output and wrote none of it for the
     * write timeout, or if nothing moved either way for the idle timeout. Returns true if closed.
     */
    boolean timedOut(long now, long writeTimeoutNanos, long idleTimeoutNanos) {
        if (state == State.CLOSED) {
            return false;
        }
        if (writeTimeoutNanos > 0 && !outbound.isEmpty() && now - owingSinceNanos >= writeTimeoutNanos) {
            close(CloseReason.WRITE_TIMEOUT, "no write progress for " + millis(now - owingSinceNanos) + " ms with "
                    + outbound.pendingBytes() + " bytes owed");
            return true;
        }
        if (idleTimeoutNanos > 0 && now - lastActivityNanos >= idleTimeoutNanos) {
            close(CloseReason.IDLE_TIMEOUT, "nothing moved for " + millis(now - lastActivityNanos) + " ms");
            return true;
        }
        return false;
    }

    private static long millis(long nanos) {
        return nanos / 1_000_000;
    }

    /** The memory budget is back under its resume mark: read again if we may. */
    void budgetRelieved() {
        pausedByBudget = false;
        budgetAllowance = -1;
        if (state != State.CLOSED) {
            try {
                settle();
            } catch (Throwable t) {
                failed(t);
            }
        }
    }

    /** Closes a CLOSING connection whose peer did not finish within the linger time. */
    void lingerExpired() {
        if (state == State.CLOSING) {
            close(closingReason, closingDetail);
        }
    }

    String peer() {
        return endpoint.peer();
    }
}
