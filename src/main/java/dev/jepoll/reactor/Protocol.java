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
}
