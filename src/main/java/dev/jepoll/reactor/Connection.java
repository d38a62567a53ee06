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
 * {@link #interestOps()} is the one place that derives the selector interest from state.
 */
final class Connection implements Handler, Link, ReadStrategy.Sink {
    enum State { OPEN, INPUT_CLOSED, CLOSING, CLOSED }

    private static final int DISCARD_READS_PER_EVENT = 16;


    private final int id;
    private final Endpoint endpoint;
    private final EventLoop loop;
    private final OutboundQueue outbound = new OutboundQueue();
    private Session session = data -> { };
    private State state = State.OPEN;
    private boolean readPaused;
    private boolean flushScheduled;
    private boolean outputShut;
    private boolean pausedByBudget;
    private long budgetAllowance = -1; // what this event may read past the budget; -1 while within it
    private int registeredOps;
    private long reportedHeld;
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
                } else if (outcome == ReadStrategy.Outcome.MAYBE_MORE && loop.pollerReportsOnce()) {
                    loop.readAgainNextTurn(this); // the kernel will not report these bytes again
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
        if (loop.pollerReportsOnce()) {
            loop.readAgainNextTurn(this); // stopped before EAGAIN: an edge-triggered poller will not say so again
        }
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

    /** After any change: finish a close that is due, then bring the interest ops up to date. */
    private void settle() {
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
        updateInterest();
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

    /** The one place interest ops are computed. */
    int interestOps() {
        int write = outbound.isEmpty() ? 0 : SelectionKey.OP_WRITE;
        return switch (state) {
            case OPEN -> (acceptsInput() ? SelectionKey.OP_READ : 0) | write;
            case INPUT_CLOSED -> write;
            case CLOSING -> outputShut ? SelectionKey.OP_READ : write;
            case CLOSED -> 0;
        };
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

    /**
     * Backpressure with hysteresis: stop at the high watermark, resume at the low one. And while
     * the server's memory budget is exceeded, each connection may hold at most its fair share of
     * it ({@link MemoryBudget#fairShare()}): one holding that much stops reading (the loop re-arms
     * it once the budget is relieved); one holding less may read up to it, so a normal client is
     * served while a crowd of large holders waits and the largest of them are closed.
     */
    private boolean acceptsInput() {
        if (loop.budget().exceeded() && reportedHeld >= loop.budget().fairShare()) {
            if (!pausedByBudget) {
                pausedByBudget = true;
                loop.pausedByBudget(this);
            }
            return false;
        }
        long pending = outbound.pendingBytes();
        if (readPaused && pending <= loop.config().lowWatermark()) {
            readPaused = false;
        } else if (!readPaused && pending >= loop.config().highWatermark()) {
            readPaused = true;
            loop.counters().add(Counter.READ_PAUSES, 1);
        }
        return !readPaused;
    }

    // ---- ReadStrategy.Sink ----

    @Override
    public int room() {
        if (state != State.OPEN || !acceptsInput()) {
            return 0;
        }
        int room = (int) Math.min(Integer.MAX_VALUE, loop.config().highWatermark() - outbound.pendingBytes());
        return budgetAllowance < 0 ? room : (int) Math.min(room, budgetAllowance);
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
        if (state == State.CLOSED || !bytes.hasRemaining()) {
            return;
        }
        if (outbound.isEmpty()) {
            int offered = bytes.remaining();
            int n = endpoint.write(bytes);
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
            updateInterest(); // OP_WRITE now, even when called outside an event
        }
    }

    @Override
    public void enqueue(ByteBuffer bytes, BufferOwner owner) {
        if (state == State.CLOSED || !bytes.hasRemaining()) {
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
        long dropped = outbound.clear();
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
            settle();
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
