package dev.jepoll.reactor;

import java.io.IOException;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.HashSet;
import java.util.Set;

/**
 * The handler on the listening socket: accepts until nothing is pending (the chapter
 * accepted one per event, and compared instead of assigning: {@code clnt_sock == accept(...)}).
 *
 * <p>When accepting fails, typically with "Too many open files", the connection stays in
 * the kernel's backlog and the listening socket stays readable, so a level-triggered loop
 * would spin. Instead the acceptor stops watching the socket for a short while, logs each
 * distinct error once, and resumes.
 */
final class Acceptor implements Handler {
    static final long BACKOFF_MILLIS = 100;

    private final ServerSocketChannel server;
    private final SelectionKey key;
    private final EventLoop loop;
    private final Set<String> errorsLogged = new HashSet<>();

    Acceptor(ServerSocketChannel server, SelectionKey key, EventLoop loop) {
        this.server = server;
        this.key = key;
        this.loop = loop;
    }

    @Override
    public void handle(int readyOps) {
        while (key.isValid()) {
            SocketChannel channel;
            try {
                channel = server.accept();
            } catch (IOException e) {
                backOff(e);
                return;
            }
            if (channel == null) {
                return; // nothing more pending: the chapter's EAGAIN on accept
            }
            loop.adopt(channel);
        }
    }

    private void backOff(IOException e) {
        loop.counters().add(Counter.ACCEPT_BACKOFFS, 1);
        String message = String.valueOf(e.getMessage());
        if (errorsLogged.add(message)) {
            loop.log("accept failed: " + message + "; pausing accepts for " + BACKOFF_MILLIS
                    + " ms and retrying (logged once)");
        }
        key.interestOps(0);
        loop.schedule(BACKOFF_MILLIS, () -> {
            if (key.isValid()) {
                key.interestOps(SelectionKey.OP_ACCEPT);
            }
        });
    }

    void close() {
        key.cancel();
        EventLoop.closeQuietly(server);
    }
}
