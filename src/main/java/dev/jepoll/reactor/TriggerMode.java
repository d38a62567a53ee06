package dev.jepoll.reactor;

/**
 * How a connection reacts to a readiness event, after the chapter's two epoll modes.
 *
 * <p>The JDK's {@code EPollSelectorImpl} registers every channel level-triggered: it never
 * sets {@code EPOLLET}, and the {@code Selector} API has no way to ask for it. So
 * {@link #EDGE} is an <em>emulation</em>: on each event the connection drains its socket
 * until {@code read()} returns 0 (the chapter's {@code EAGAIN}) or -1 (EOF), exactly as an
 * edge-triggered server must. The selector underneath still reports the channel on every
 * wait while bytes remain, so a drained socket simply stops being reported.
 */
public enum TriggerMode {
    /** One read of at most the buffer size per readiness event; the selector calls again. */
    LEVEL(new LevelRead()),
    /** Read until {@code read()} returns 0 ({@code EAGAIN}) or -1 on every readiness event. */
    EDGE(new EdgeRead());

    private final ReadStrategy strategy;

    TriggerMode(ReadStrategy strategy) {
        this.strategy = strategy;
    }

    ReadStrategy strategy() {
        return strategy;
    }
}
