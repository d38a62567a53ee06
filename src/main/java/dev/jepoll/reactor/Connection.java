package dev.jepoll.reactor;

import dev.jepoll.reactor.backend.Endpoint;
import dev.jepoll.reactor.backend.Handler;
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
 * <p>Its parts, each with one job: {@link InputGate} decides whether it reads (and where it
 * stands with the loop's read-again list), {@link Output} writes and queues what it owes,
 * {@link BudgetShare} is its part in the memory budget, {@link Closing} how it ends (the
 * lingering close). {@link #decideInput()} is called at the
 * end of every event; the queries that follow ({@link #interestOps()}, the one place that derives
 * the poller interest from state, and {@link #room()}) only read, so they can be asked any
 * number of times.
 */
final class Connection implements Handler, Link, ReadStrategy.Sink {
    enum State { OPEN, INPUT_CLOSED, CLOSING, CLOSED }

    private final int id;
    private final Endpoint endpoint;
    private final EventLoop loop;
    private final LoopContext ctx;
    private final Output outbound;
    private Session session = data -> { };
    private State state = State.OPEN;
    private final InputGate input = new InputGate();
    private boolean flushScheduled;
    private Closing closing = Closing.NOT_YET; // made when closing begins: most connections never linger
    private boolean stoppedEarly;      // this event's read stopped before EAGAIN
    private int registeredOps;
    private final BudgetShare share;
    private long lastActivityNanos;

    /** A connection on {@code endpoint}, which {@code loop} registers for reading. */
    Connection(int id, Endpoint endpoint, EventLoop loop) {
        this.id = id;
        this.endpoint = endpoint;
        this.loop = loop;
        this.ctx = loop.context();
        this.outbound = new Output(endpoint, ctx.counters());
        this.share = new BudgetShare(ctx.budget());
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
        share.beginEvent();
        if ((readyOps & SelectionKey.OP_READ) != 0) {
            input.readByEvent(); // one read per connection per turn, the list's or this one
        }
        guarded(readyOps);
    }

    /** The flush phase at the end of a wakeup: one gathering write of what was enqueued. */
    void onFlushPhase() {
        flushScheduled = false;
        guarded(FLUSH);
    }

    /** What {@link #guarded} does before it settles: ready ops of an event, or one of these. */
    private static final int NOTHING = 0;
    private static final int FLUSH = -1;

    /**
     * Writes or handles an event's ready ops (no lambda or interface call on the hot path), then
     * settles; an I/O error closes for its reason, a bug as a protocol error.
     */
    private void guarded(int readyOps) {
        try {
            if (readyOps == FLUSH) {
                flush();
            } else {
                if ((readyOps & SelectionKey.OP_WRITE) != 0) {
                    flush();
                }
                if ((readyOps & SelectionKey.OP_READ) != 0) {
                    doOnReadable();
                }
            }
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
                ReadStrategy.Outcome outcome =
                        ctx.readStrategy().read(endpoint, ctx.readBuffer(), this, ctx.counters());
                if (outcome == ReadStrategy.Outcome.EOF && state == State.OPEN) {
                    onPeerEof();
                } else if (outcome == ReadStrategy.Outcome.MAYBE_MORE || outcome == ReadStrategy.Outcome.STOPPED) {
                    stoppedEarly = true; // settle() decides: read again next turn, or withdraw the interest
                }
            }
            case CLOSING -> {
                if (closing.outputShut()) { // not before: the peer's EOF must not cut short what we still owe it
                    ReadStrategy.Outcome outcome = Timeouts.discard(endpoint, ctx.readBuffer(), ctx.counters());
                    if (outcome == ReadStrategy.Outcome.EOF) {
                        close(closing.reason(null), closing.detail());
                    } else if (outcome == ReadStrategy.Outcome.MAYBE_MORE) {
                        stoppedEarly = true; // before EAGAIN: an edge-triggered poller will not say so again
                    }
                }
            }
            case INPUT_CLOSED, CLOSED -> { }
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

    private void flush() throws IOException {
        if (outbound.flush(loop.now()) > 0) {
            lastActivityNanos = loop.now();
        }
    }

    /**
     * After any change: tell the session its output drained if it asked, finish a close that is
     * due, decide about input, bring the interest ops up to date, and come back next turn to a
     * socket whose read stopped early on a poller that will not report it again.
     */
    private void settle() {
        if (state != State.CLOSED && outbound.drainedToMark()) {
            session.onDrained();
        }
        reportHeld();
        boolean flushed = outbound.isEmpty() && !flushScheduled;
        if (state == State.INPUT_CLOSED && flushed) {
            close(closing.reason(CloseReason.PEER_CLOSED), closing.detail());
            return;
        }
        if (state == State.CLOSING && flushed && !closing.outputShut()) {
            if (!closing.shutOutput(endpoint)) {
                close(closing.reason(null), closing.detail());
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
            if ((registeredOps & SelectionKey.OP_READ) != 0 && ctx.pollerReportsOnce() && input.queueReadAgain()) {
                loop.readAgainNextTurn(this); // the kernel will not report these bytes again
            }
        }
    }

    /** The one place where pausing input is decided ({@link InputGate}); the budget's pause enrols for relief. */
    private void decideInput() {
        if (state == State.OPEN && input.decide(outbound.pendingBytes(), ctx.config(), share.over(),
                session.inputAllowance(), ctx.counters())) {
            loop.pausedByBudget(this);
        }
    }

    /** As last decided: whether this connection reads. */
    private boolean wantsInput() {
        return state == State.OPEN && input.open();
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
            case CLOSING -> closing.outputShut() ? SelectionKey.OP_READ : write;
            case CLOSED -> 0;
        };
    }

    /** Its input side, for the loop's read-again list. */
    InputGate input() {
        return input;
    }

    /** Tells the server's memory budget what this connection holds now. */
    private void reportHeld() {
        if (state == State.CLOSED) {
            return; // close() took back what it held; its session may keep an array, but not for long
        }
        if (share.report(outbound.heldBytes() + session.heldBytes())) {
            loop.shedNow(); // past the budget: the largest go now, not at the next check
        }
    }

    /** What this connection holds against the memory budget, as last reported. */
    long held() {
        return share.held();
    }

    // ---- ReadStrategy.Sink ----

    /** What the next read may take ({@link InputGate#room}); a query, it decides nothing. */
    @Override
    public int room() {
        return state != State.OPEN ? 0
                : input.room(ctx.config().highWatermark() - outbound.pendingBytes(), session.inputAllowance(), share);
    }

    @Override
    public void leftUnread(int bytes) {
        loop.trace("client " + id + ": " + bytes + (bytes == 1 ? " byte" : " bytes") + " left unread in the kernel;"
                + " edge-triggered, no event will come for them until the client sends again");
    }

    @Override
    public void accept(ByteBuffer chunk) throws IOException {
        lastActivityNanos = loop.now(); // bytes arrived: the idle clock starts again
        share.took(chunk.remaining());
        session.onData(chunk);
    }

    // ---- Link ----

    @Override public int id() { return id; }

    @Override public Loop loop() { return loop; }

    @Override
    public void write(ByteBuffer bytes) throws IOException {
        if (!outputOpen() || !bytes.hasRemaining()) {
            return; // nothing can be sent any more
        }
        if (outbound.writeNow(bytes, loop.now()) > 0) {
            lastActivityNanos = loop.now();
        }
        if (outbound.queueRest(bytes, loop.now())) {
            decideInput(); // the queue grew: past the high watermark, reading pauses now
            updateInterest(); // OP_WRITE now, even when called outside an event
        }
    }

    @Override
    public void enqueue(ByteBuffer bytes, BufferOwner owner) {
        if (outbound.enqueue(bytes, owner, outputOpen(), loop.now())) {
            scheduleFlush();
        }
    }

    /** Whether output is still sent: not once closed, nor once our FIN went out. */
    private boolean outputOpen() {
        return state != State.CLOSED && !closing.outputShut();
    }

    @Override public long pendingBytes() { return outbound.pendingBytes(); }

    @Override public int pendingBuffers() { return outbound.buffers(); }

    @Override public boolean isOpen() { return state == State.OPEN; }

    @Override public boolean acceptsOutput() { return state == State.OPEN || state == State.INPUT_CLOSED; }

    @Override
    public void resumeInput() {
        if (state == State.OPEN && input.pausedBySession()) {
            guarded(NOTHING);
        }
    }

    @Override
    public void notifyWhenDrained(long bytes) {
        if (state == State.CLOSED) {
            return;
        }
        if (outbound.markDrain(bytes)) {
            scheduleFlush(); // told after this event, in the flush phase's settle
        }
    }

    @Override public long stalledNanos() { return outbound.stalledNanos(loop.now()); }

    @Override
    public void closeAfterFlush(CloseReason reason, String detail) {
        if (state != State.OPEN && state != State.INPUT_CLOSED) {
            return;
        }
        closing = new Closing();
        closing.because(reason, detail);
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
        long dropped = outbound.drop();
        share.release();
        loop.onClosed(this, reason, dropped, Closing.line(id, reason, detail, dropped));
        try {
            session.onClosed(reason);
        } catch (Throwable t) {
            if (!Failures.survivable(t)) {
                throw t;
            }
            loop.warn("session failures", "client " + id + ": session failed on close: " + t);
        }
    }

    /** The loop's sweep: closes this connection if it made no progress for too long ({@link Timeouts}). */
    boolean timedOut(long now, long writeTimeoutNanos, long idleTimeoutNanos) {
        return state != State.CLOSED && Timeouts.closeIfStalled(this, outbound, now, writeTimeoutNanos,
                lastActivityNanos, idleTimeoutNanos);
    }

    /** The memory budget is back under its resume mark: read again if we may. */
    void budgetRelieved() {
        input.budgetRelieved();
        share.relieved();
        if (state != State.CLOSED) {
            guarded(NOTHING);
        }
    }

    /** Closes a CLOSING connection whose peer did not finish within the linger time. */
    void lingerExpired() {
        if (state == State.CLOSING) {
            close(closing.reason(null), closing.detail());
        }
    }
}
