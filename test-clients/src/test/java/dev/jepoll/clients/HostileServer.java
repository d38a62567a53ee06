package dev.jepoll.clients;

import static dev.jepoll.testsupport.JavaProcess.DEADLINE;
import static dev.jepoll.testsupport.JavaProcess.LOOPBACK;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A server that misbehaves on purpose, to show the clients survive it: it listens on
 * 127.0.0.1, port 0, and runs its {@link Behaviour} for each accepted connection on a thread
 * of its own.
 *
 * <p>Every behaviour first waits for the client's first line (in these tests the user always
 * types one), so what the server does next never races what the client sends: a close after
 * reading everything is a clean FIN, never a reset the kernel sends for unread data.
 *
 * <p>Closing stops listening, closes every connection, and waits for every thread to end.
 */
final class HostileServer implements AutoCloseable {
    /** 10 MB: some 150 times the longest line a chat client should keep. */
    static final int ENDLESS_LINE_BYTES = 10_000_000;

    enum Behaviour {
        /** Every byte value, then invalid UTF-8, then a newline; stays until the client leaves. */
        SENDS_GARBAGE {
            @Override
            void misbehave(byte[] firstLine, Socket client, HostileServer server) throws IOException {
                client.getOutputStream().write(garbage());
                awaitEndOfInput(client);
            }
        },
        /** {@link #ENDLESS_LINE_BYTES} of {@code x} and no newline; stays until the client leaves. */
        SENDS_ENDLESS_LINE {
            @Override
            void misbehave(byte[] firstLine, Socket client, HostileServer server) throws IOException {
                byte[] block = new byte[64 * 1024];
                Arrays.fill(block, (byte) 'x');
                OutputStream out = client.getOutputStream();
                for (int left = ENDLESS_LINE_BYTES; left > 0; left -= block.length) {
                    out.write(block, 0, Math.min(left, block.length));
                }
                awaitEndOfInput(client);
            }
        },
        /** The first half of the client's line back, no newline, then a clean close (FIN). */
        CLOSES_MID_LINE {
            @Override
            void misbehave(byte[] firstLine, Socket client, HostileServer server) throws IOException {
                client.getOutputStream().write(firstHalf(firstLine));
                client.close();
            }
        },
        /** The first half of the client's line back, no newline, then a reset: SO_LINGER 0 and close (RST). */
        RESETS_MID_LINE {
            @Override
            void misbehave(byte[] firstLine, Socket client, HostileServer server) throws IOException {
                client.getOutputStream().write(firstHalf(firstLine));
                client.setSoLinger(true, 0);
                client.close();
            }
        },
        /** Reads all the client sends, writes nothing, and keeps the connection until the server is closed. */
        NEVER_ANSWERS {
            @Override
            void misbehave(byte[] firstLine, Socket client, HostileServer server) throws IOException {
                awaitEndOfInput(client);
                server.awaitClose(); // not even a FIN: the client must give up on its own
            }
        };

        /** What the server does once the client's first line has arrived. */
        abstract void misbehave(byte[] firstLine, Socket client, HostileServer server) throws IOException;
    }

    private final Behaviour behaviour;
    private final ServerSocket listener;
    private final Thread acceptor;
    private final List<Socket> connections = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final CountDownLatch closing = new CountDownLatch(1);

    private HostileServer(Behaviour behaviour, ServerSocket listener) {
        this.behaviour = behaviour;
        this.listener = listener;
        this.acceptor = new Thread(this::acceptUntilClosed, "hostile-server-" + behaviour);
    }

    static HostileServer start(Behaviour behaviour) throws IOException {
        ServerSocket listener = new ServerSocket();
        listener.bind(new InetSocketAddress(LOOPBACK, 0));
        HostileServer server = new HostileServer(behaviour, listener);
        server.acceptor.setDaemon(true);
        server.acceptor.start();
        return server;
    }

    int port() {
        return listener.getLocalPort();
    }

    /** Every byte value 0 to 255, then overlong, surrogate and truncated UTF-8 sequences, then a newline. */
    static byte[] garbage() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int b = 0; b < 256; b++) {
            bytes.write(b);
        }
        bytes.writeBytes(new byte[] {(byte) 0xC0, (byte) 0xAF}); // '/' in two bytes, which UTF-8 forbids
        bytes.writeBytes(new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}); // a lone surrogate
        bytes.writeBytes(new byte[] {(byte) 0xE2, (byte) 0x82}); // '€' without its last byte
        bytes.write('\n');
        return bytes.toByteArray();
    }

    static byte[] firstHalf(byte[] line) {
        return Arrays.copyOf(line, line.length / 2);
    }

    private void acceptUntilClosed() {
        while (true) {
            Socket client;
            try {
                client = listener.accept();
            } catch (IOException e) {
                return; // the listener was closed: the test is over
            }
            Thread thread = new Thread(() -> serve(client), "hostile-connection-" + behaviour);
            thread.setDaemon(true);
            synchronized (this) {
                if (closing.getCount() == 0) {
                    closeQuietly(client);
                    return;
                }
                connections.add(client);
                threads.add(thread);
            }
            thread.start();
        }
    }

    private void serve(Socket client) {
        try (client) {
            byte[] firstLine = readLine(client.getInputStream());
            if (firstLine != null) {
                behaviour.misbehave(firstLine, client, this);
            }
        } catch (IOException e) {
            // the client left, or close() closed the socket: the assertions are on the client's side
        }
    }

    /** The bytes up to and including the first newline, or null if the client left before one. */
    private static byte[] readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b >= 0; b = in.read()) {
            line.write(b);
            if (b == '\n') {
                return line.toByteArray();
            }
        }
        return null;
    }

    private static void awaitEndOfInput(Socket client) throws IOException {
        InputStream in = client.getInputStream();
        byte[] discarded = new byte[8192];
        while (in.read(discarded) >= 0) {
            // whatever the client sends is read and dropped, so it never blocks on a full buffer
        }
    }

    /** Until {@link #close()} begins; a connection that outlives its test is closed under it anyway. */
    private void awaitClose() {
        try {
            closing.await(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops listening, closes every connection, and waits (within the deadline) for every thread. */
    @Override
    public void close() throws IOException, InterruptedException {
        List<Thread> toJoin = new ArrayList<>();
        synchronized (this) {
            closing.countDown();
            listener.close();
            connections.forEach(HostileServer::closeQuietly);
            toJoin.add(acceptor);
            toJoin.addAll(threads);
        }
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        for (Thread thread : toJoin) {
            thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            if (thread.isAlive()) {
                throw new AssertionError(thread.getName() + " did not end within " + DEADLINE);
            }
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing a connection for good; a failure leaves nothing to do
        }
    }
}
