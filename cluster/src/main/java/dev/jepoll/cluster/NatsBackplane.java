package dev.jepoll.cluster;

import dev.jepoll.chat.Backplane;
import dev.jepoll.chat.BackplaneStats;
import io.nats.client.AuthenticationException;
import io.nats.client.Connection;
import io.nats.client.ConnectionListener;
import io.nats.client.Dispatcher;
import io.nats.client.ErrorListener;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The chat room's backplane over NATS core publish/subscribe: one connection per node, one
 * subject per cluster ({@code jepoll.<cluster>.chat}), the broker told not to echo a node's
 * own messages back to it. Out: the {@link Outbox} (bounded, never waits). In: the client's
 * dispatcher thread checks each message's line numbers ({@link Sequences}) and hands new lines
 * to the room's inbox. The client reconnects on its own with {@link Backoff}; while the broker
 * is away, this node's lines for other nodes are dropped and counted, and local chat goes on.
 */
final class NatsBackplane implements Backplane {
    /** This node's lines waiting for the broker: about a second of a busy node's output. */
    static final long OUTBOX_BYTES = 8L * 1024 * 1024;
    /** Other nodes' messages the client may hold while the room is held back; past this it drops (gaps). */
    static final int PENDING_MESSAGES = 10_000;
    static final long PENDING_BYTES = 16L * 1024 * 1024;

    private final URI address;
    private final String subject;
    private final long node = ThreadLocalRandom.current().nextLong();
    private final Options options;
    private final Outbox outbox;
    private final Thread outboxThread;
    private final Sequences sequences = new Sequences();
    private final AtomicLong received = new AtomicLong();
    private final OutageLog outages;
    private final Consumer<String> log;
    private final BackplaneBean bean;
    private volatile Connection connection;
    private volatile Inbox inbox;
    private volatile boolean closed;
    private volatile boolean up; // the client's events: connected and not lost since
    private volatile Exception lastError;
    private Dispatcher dispatcher; // guarded by this
    private Thread connector;

    private NatsBackplane(URI address, String cluster, Consumer<String> log) {
        this.address = address;
        this.subject = "jepoll." + cluster + ".chat";
        this.log = log;
        this.outages = new OutageLog(redacted(address), log);
        this.options = new Options.Builder()
                .server(address.toString())
                .connectionName("jepoll-" + Long.toHexString(node))
                .noEcho()
                .ignoreDiscoveredServers()
                .maxReconnects(-1)
                .reconnectDelayHandler(Backoff.standard())
                .reconnectBufferSize(0) // nothing replayed after an outage: at-most-once, counted
                .connectionTimeout(Duration.ofSeconds(2))
                .pingInterval(Duration.ofSeconds(5))
                .errorListener(new ErrorListener() { // quiet: what matters is counted and logged here
                    @Override
                    public void exceptionOccurred(Connection conn, Exception exp) {
                        lastError = exp; // the client reports a failed connect's cause here, not in what it throws
                    }
                })
                .connectionListener(this::onEvent)
                .build();
        this.outbox = new Outbox(node, OUTBOX_BYTES, this::send);
        this.outboxThread = new Thread(outbox, "jepoll-backplane-out");
        outboxThread.setDaemon(true);
        this.bean = new BackplaneBean(this);
    }

    /**
     * Connects to the broker at {@code address}. A broker that refuses the credentials is an
     * error now; one that cannot be reached is tried again in the background, with backoff,
     * while the node serves its own members.
     */
    static NatsBackplane open(URI address, String cluster, Consumer<String> log) throws IOException {
        NatsBackplane backplane = new NatsBackplane(address, cluster, log);
        try {
            backplane.connected(Nats.connect(backplane.options));
        } catch (IOException e) {
            if (refusedCredentials(e)) {
                throw new IOException(redacted(address) + " refused the credentials (" + scrub(address, e.getMessage()) + ")");
            }
            javax.net.ssl.SSLException tls = tlsFailure(e);
            if (tls == null && backplane.lastError != null) {
                tls = tlsFailure(backplane.lastError);
            }
            if (tls != null) {
                throw new IOException("TLS with " + redacted(address) + " failed (" + scrub(address, tls.getMessage()) + "); the JVM's"
                        + " trust store decides which brokers are trusted (-Djavax.net.ssl.trustStore=...)");
            }
            log.accept("backplane: cannot reach " + redacted(address) + " (" + scrub(address, e.getMessage())
                    + "); serving this node's members, and trying again in the background");
            backplane.keepTrying();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while connecting to " + redacted(address));
        }
        backplane.outboxThread.start();
        backplane.bean.register();
        return backplane;
    }

    private static boolean refusedCredentials(IOException e) {
        String m = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
        return e instanceof AuthenticationException || m.contains("authorization") || m.contains("authentication");
    }

    /** A TLS failure behind a failed connect (an untrusted certificate, no TLS on the other side): retrying cannot fix it. */
    static javax.net.ssl.SSLException tlsFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof javax.net.ssl.SSLException ssl) {
                return ssl;
            }
            for (Throwable s : t.getSuppressed()) {
                javax.net.ssl.SSLException inner = tlsFailure(s);
                if (inner != null) {
                    return inner;
                }
            }
        }
        return null;
    }

    private void keepTrying() {
        connector = new Thread(() -> {
            Backoff backoff = Backoff.standard();
            for (long attempt = 1; !closed; attempt++) {
                try {
                    Thread.sleep(backoff.getWaitTime(attempt).toMillis());
                    connected(Nats.connect(options));
                    log.accept("backplane: connected to " + redacted(address));
                    return;
                } catch (IOException e) {
                    if (refusedCredentials(e)) {
                        log.accept("backplane: " + redacted(address) + " refused the credentials; giving up (local chat goes on)");
                        return;
                    }
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "jepoll-backplane-connect");
        connector.setDaemon(true);
        connector.start();
    }

    private synchronized void connected(Connection c) {
        if (closed) {
            closeQuietly(c);
            return;
        }
        connection = c;
        subscribeWhenReady();
    }

    @Override
    public synchronized void start(Inbox inbox) {
        this.inbox = inbox;
        subscribeWhenReady();
    }

    /** Once there is both a connection and an inbox; the client resubscribes by itself after a reconnect. */
    private void subscribeWhenReady() {
        if (dispatcher == null && connection != null && inbox != null) {
            dispatcher = connection.createDispatcher(this::onMessage);
            dispatcher.subscribe(subject);
            dispatcher.setPendingLimits(PENDING_MESSAGES, PENDING_BYTES);
            try {
                connection.flush(Duration.ofSeconds(2)); // the broker has the subscription when this returns
            } catch (java.util.concurrent.TimeoutException | InterruptedException e) {
                // it will have it soon; the first lines may miss this node, as lines said before it joined do
            }
        }
    }

    /** The outbox's thread. */
    private boolean send(byte[] message) {
        Connection c = connection;
        if (c == null || c.getStatus() != Connection.Status.CONNECTED) {
            return false;
        }
        try {
            c.publish(subject, message);
            return true;
        } catch (IllegalStateException e) {
            return false; // lost the broker between the look and the publish
        }
    }

    /** The client's dispatcher thread. */
    private void onMessage(Message message) throws InterruptedException {
        byte[] data = message.getData();
        Frame frame;
        try {
            frame = Frame.read(data);
        } catch (IllegalArgumentException e) {
            outages.foreign(e.getMessage());
            return;
        }
        if (frame.node() == node || !sequences.accept(frame)) {
            return;
        }
        received.addAndGet(frame.lineCount());
        inbox.deliver(ByteBuffer.wrap(data, Frame.HEADER_BYTES, data.length - Frame.HEADER_BYTES), frame.lineCount());
    }

    /** Outages of a connection that was up: a first connect that fails is not one (the client says DISCONNECTED then too). */
    private void onEvent(Connection c, ConnectionListener.Events event) {
        switch (event) {
            case CONNECTED -> up = true;
            case RECONNECTED -> {
                up = true;
                outages.back();
            }
            case DISCONNECTED -> {
                if (up) {
                    up = false;
                    outages.lost();
                }
            }
            default -> { }
        }
    }

    @Override
    public void publish(ByteBuffer[] lines, int lineCount) {
        outbox.offer(lines, lineCount);
    }

    @Override
    public BackplaneStats stats() {
        Connection c = connection;
        return new BackplaneStats(c != null && c.getStatus() == Connection.Status.CONNECTED, outbox.sent(),
                received.get(), outbox.dropped(), sequences.gaps(), sequences.duplicates(), outages.count());
    }

    @Override
    public String describe() {
        Connection c = connection;
        return redacted(address) + ", subject " + subject + ", node " + Long.toHexString(node) + ", "
                + (c != null && c.getStatus() == Connection.Status.CONNECTED ? "connected" : "not connected yet (retrying)");
    }

    /** The node's id, as the messages carry it. */
    long node() {
        return node;
    }

    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        outbox.close();
        if (connector != null) {
            connector.interrupt();
        }
        Inbox in = inbox;
        if (in != null) {
            in.close(); // first: a delivery waiting for the room ends now, so the client's close need not wait for it
        }
        Connection c = connection;
        if (c != null) {
            closeQuietly(c);
        }
        bean.unregister();
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** {@code text} (the client's own message, which may quote the address) without the address's credentials. */
    static String scrub(URI address, String text) {
        String secret = address.getRawUserInfo();
        return text == null || secret == null || secret.isEmpty() ? String.valueOf(text) : text.replace(secret, "***");
    }

    /** The address without its credentials, for logs and the banner. */
    static String redacted(URI address) {
        String auth = address.getUserInfo() == null ? "" : "***@";
        return address.getScheme() + "://" + auth + address.getHost() + (address.getPort() < 0 ? "" : ":" + address.getPort());
    }
}
