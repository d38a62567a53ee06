package dev.jepoll.chat;

import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.ServiceLoader;
import java.util.function.Consumer;

/**
 * What joins this server's chat room to the same room on other servers (nodes): it publishes
 * the lines this node's members said and hands the lines other nodes said to {@link Inbox}.
 * The core has only the seam and the no-op {@link #NONE}; an implementation (the NATS one is
 * the {@code cluster/} module) is found at run time with {@link ServiceLoader}, so the server's
 * jar needs nothing else.
 *
 * <p>Rules for an implementation: {@link #publish} runs on an event loop and must never block
 * or keep the buffers it is given; {@link Inbox#deliver} is called from one thread of the
 * implementation's, in the order the lines are to be heard, and may wait (the room's flow
 * control holds it while a member is behind).
 */
public interface Backplane extends AutoCloseable {
    /** No other nodes: publishing does nothing, nothing arrives. */
    Backplane NONE = new Backplane() {
        @Override
        public void publish(ByteBuffer[] lines, int lineCount) {
        }

        @Override
        public void start(Inbox inbox) {
        }

        @Override
        public BackplaneStats stats() {
            return BackplaneStats.NONE;
        }

        @Override
        public String describe() {
            return "none";
        }

        @Override
        public void close() {
        }
    };

    /**
     * This node's lines, to be published to the other nodes. Called on a loop's thread, once per
     * wakeup that heard anything: copy the bytes now (the buffers are reused once this returns),
     * never block; when the way out is full, drop them and count it.
     *
     * @param lines     read-only buffers holding whole lines, in the order they were said
     * @param lineCount how many lines they hold
     */
    void publish(ByteBuffer[] lines, int lineCount);

    /**
     * Starts receiving the other nodes' lines into {@code inbox}; called once, by the room.
     *
     * @param inbox where the lines go
     */
    void start(Inbox inbox);

    /** {@return the backplane's counters now; any thread} */
    BackplaneStats stats();

    /** {@return one line for the banner: where it connects, without passwords} */
    String describe();

    /** Stops publishing and receiving and closes the connection; idempotent. */
    @Override
    void close();

    /** The room's side: where other nodes' lines enter this node. */
    interface Inbox {
        /**
         * Fans {@code lineCount} whole lines out to every member of this node, as one delivery.
         * Waits while the room's flow control holds remote lines back.
         *
         * @param lines     the bytes, whole lines, read from position to limit (copied before return)
         * @param lineCount how many lines they hold
         * @throws InterruptedException if the waiting thread is interrupted (the backplane is closing)
         */
        void deliver(ByteBuffer lines, int lineCount) throws InterruptedException;

        /** Nothing more will be delivered (the receiving thread has ended): memory held for appending goes back. */
        void close();
    }

    /** An implementation, registered as a {@link ServiceLoader} service. */
    interface Provider {
        /**
         * {@return whether this provider serves the address's scheme (e.g. {@code nats}, {@code tls})}
         *
         * @param address what was given to {@code --backplane}
         */
        boolean serves(URI address);

        /**
         * Connects. Fails at once for what retrying cannot fix (a wrong password, a bad address);
         * a broker that is only down is retried in the background while the node serves locally.
         *
         * @param address the broker, credentials included
         * @param cluster the room's name: nodes with the same name share a room
         * @param log     where its log lines go ({@code jepoll: } is added)
         * @return the backplane, not yet started
         * @throws IOException when it cannot be used at all
         */
        Backplane open(URI address, String cluster, Consumer<String> log) throws IOException;
    }

    /**
     * Finds a provider for {@code address} on the class path and opens it.
     *
     * @param address the broker
     * @param cluster the room's name
     * @param log     where its log lines go
     * @return the backplane
     * @throws IOException           when the provider cannot connect (wrong password, bad address)
     * @throws IllegalStateException when no provider on the class path serves the scheme
     */
    static Backplane open(URI address, String cluster, Consumer<String> log) throws IOException {
        for (Provider provider : ServiceLoader.load(Provider.class)) {
            if (provider.serves(address)) {
                return provider.open(address, cluster, log);
            }
        }
        throw new IllegalStateException("--backplane " + address.getScheme() + "://...: no backplane module on the class"
                + " path (run it with make run-server APP=chat BACKPLANE=..., which adds cluster/)");
    }
}
