package dev.jepoll.reactor.backend;

/**
 * What every selection key carries as its attachment (Lea's uniform dispatch): the loop
 * calls {@link #handle} with the key's ready set and knows nothing else about it. The
 * acceptor and each connection are handlers; neither lets an exception reach the loop.
 */
@FunctionalInterface
public interface Handler {
    void handle(int readyOps);
}
