package dev.jepoll.reactor;

/**
 * How a connection reacts to a readiness event, after the chapter's two epoll modes.
 *
 * <p>The JDK's {@code EPollSelectorImpl} registers every channel level-triggered: it never
 * sets {@code EPOLLET}, and the {@code Selector} API has no way to ask for it. So on the JDK's
 * selector {@link #EDGE} is an <em>emulation</em>: on each event the connection drains its socket
 * until {@code read()} returns 0 (the chapter's {@code EAGAIN}) or -1 (EOF), exactly as an
 * edge-triggered server must. The selector underneath still reports the channel on every
 * wait while bytes remain, so a drained socket simply stops being reported. On the native
 * backend ({@link SelectorKind#NATIVE}, Java 22+) the same mode registers {@code EPOLLET} for
 * real: the kernel reports a socket once per arrival of data.
 *
 * <p>One liberty is taken, as Netty does ({@code maxMessagesPerRead}): a connection whose
 * peer refills its socket as fast as it is drained would never reach {@code EAGAIN} and would
 * starve every other connection of the loop. So an edge read stops after a budget of reads
 * per event ({@link ServerConfig#edgeReadBudget()}, 0 for none). On the JDK's selector the
 * level-triggered poller reports such a socket again on the next wait; on a real
 * {@code EPOLLET} registration the loop remembers it and reads it again next turn.
 */
public enum TriggerMode {
    /** One read of at most the buffer size per readiness event; the selector calls again. */
    LEVEL,
    /** Read until {@code read()} returns 0 ({@code EAGAIN}) or -1 on every readiness event. */
    EDGE;

    /**
     * The read strategy for this mode; {@code edgeReadBudget} caps edge reads per event (0: no
     * cap); {@code readOnce} is the chapter's mistake, one read per edge ({@link EdgeReadOnce}).
     */
    ReadStrategy strategy(int edgeReadBudget, boolean readOnce) {
        if (this == LEVEL) {
            return new LevelRead();
        }
        return readOnce ? new EdgeReadOnce() : new EdgeRead(edgeReadBudget);
    }
}
