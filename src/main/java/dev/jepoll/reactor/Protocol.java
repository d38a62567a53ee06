package dev.jepoll.reactor;

/**
 * An application on the reactor, such as echo or chat. Called on the event-loop thread only.
 */
@FunctionalInterface
public interface Protocol {
    /**
     * A connection was accepted.
     *
     * @param link what the session may do to the connection
     * @return what handles the connection's bytes
     */
    Session open(Link link);

    /**
     * {@code loop} has stopped and closed its connections: give back whatever the protocol keeps
     * for that loop (chat's current block), so that a stopped server holds nothing. Called once,
     * on that loop's thread, as its last act.
     *
     * @param loop the loop that stopped
     */
    default void loopStopped(Loop loop) {
    }
}
