package dev.jepoll.reactor;

/**
 * An application on the reactor, such as echo or chat. Called on the event-loop thread only.
 */
@FunctionalInterface
public interface Protocol {
    /** A connection was accepted; returns what handles its bytes. */
    Session open(Link link);
}
