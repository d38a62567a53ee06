package dev.jepoll.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.function.Consumer;

/**
 * One chat connection of the soak that keeps reading: a non-blocking channel on its thread's
 * selector, a queue of lines to send, and the framing of what it receives on {@code \n}: a
 * line longer than the server's limit is a failure (torn or spliced), the server's line-too-long
 * error goes to the member that asked for it, barrier lines to the barrier, and every other line
 * to {@link SoakChatCheck}.
 */
final class SoakChatMember {
    final int id;
    final String role;
    private final SocketChannel ch;
    private final SelectionKey key;
    private final SoakTally tally;
    private final ArrayDeque<ByteBuffer> out = new ArrayDeque<>();
    private final ByteBuffer in = ByteBuffer.allocate(64 * 1024);
    private final byte[] partial = new byte[SoakLines.MAX_LINE + 1];
    private int partialLen;
    private boolean skipping; // after an over-long line, until its end
    private final SoakChatCheck check;
    /** Lines of its own it has queued (the core's barrier lines do not count). */
    long said;
    /** Raw lines before the start barrier ("j3", "h3"), handed to whoever runs the barrier. */
    Consumer<String> barrierLines;
    boolean sawTooLongError;
    boolean outputShut;

    private SoakChatMember(int id, String role, SocketChannel ch, SelectionKey key, SoakTally tally) {
        this.id = id;
        this.role = role;
        this.ch = ch;
        this.key = key;
        this.tally = tally;
        this.check = new SoakChatCheck(id, role, tally);
    }

    static SoakChatMember connect(int id, String role, InetSocketAddress server, Selector selector,
                                  SoakTally tally, int timeoutMillis) throws IOException {
        SocketChannel ch = SocketChannel.open();
        try {
            ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
            ch.socket().connect(server, timeoutMillis);
            ch.configureBlocking(false);
            SelectionKey key = ch.register(selector, SelectionKey.OP_READ);
            SoakChatMember member = new SoakChatMember(id, role, ch, key, tally);
            key.attach(member);
            return member;
        } catch (IOException e) {
            ch.close();
            throw e;
        }
    }

    /** From now on the first line expected from every sender is its sequence 0 (the core, after the barrier). */
    void strictFromNowOn() {
        check.strictFromNowOn();
    }

    void send(byte[] line, boolean counts) throws IOException {
        out.add(ByteBuffer.wrap(line));
        if (counts) {
            said++;
        }
        flush();
    }

    /** Writes what the socket takes; asks for OP_WRITE while anything is left. */
    void flush() throws IOException {
        while (!out.isEmpty()) {
            ByteBuffer head = out.peek();
            ch.write(head);
            if (head.hasRemaining()) {
                break;
            }
            out.poll();
        }
        key.interestOps(out.isEmpty() ? SelectionKey.OP_READ : SelectionKey.OP_READ | SelectionKey.OP_WRITE);
    }

    boolean flushed() {
        return out.isEmpty();
    }

    /** A clean leave: only once everything it said is written, so the server has all of it. */
    void shutdownOutput() throws IOException {
        outputShut = true;
        ch.shutdownOutput();
    }

    /** Reads everything available; false at EOF. A reset throws. */
    boolean read() throws IOException {
        while (true) {
            in.clear();
            int n = ch.read(in);
            if (n < 0) {
                return false;
            }
            if (n == 0) {
                return true;
            }
            frame(in.array(), n);
        }
    }

    private void frame(byte[] b, int n) {
        int start = 0;
        for (int i = 0; i < n; i++) {
            if (b[i] != '\n') {
                continue;
            }
            append(b, start, i - start);
            if (!skipping) {
                onLine(partial, partialLen);
            }
            skipping = false;
            partialLen = 0;
            start = i + 1;
        }
        append(b, start, n - start);
    }

    private void append(byte[] b, int from, int len) {
        if (skipping || len == 0) {
            return;
        }
        if (partialLen + len > SoakLines.MAX_LINE) {
            tally.fail(role, "member " + id + " received a line longer than " + SoakLines.MAX_LINE + " bytes (torn or spliced)");
            skipping = true;
            partialLen = 0;
            return;
        }
        System.arraycopy(b, from, partial, partialLen, len);
        partialLen += len;
    }

    private void onLine(byte[] b, int len) {
        if (barrierLines != null) {
            barrierLines.accept(new String(b, 0, len, StandardCharsets.US_ASCII));
            return;
        }
        if (new String(b, 0, Math.min(len, 20), StandardCharsets.US_ASCII).startsWith("error: line too long")) {
            if (role.equals("overlong")) {
                sawTooLongError = true;
            } else {
                tally.fail(role, "member " + id + " received the server's line-too-long error meant for another");
            }
            return;
        }
        check.line(b, len);
    }

    /** Lines received so far from sender, when this member has heard it from its first line. */
    long receivedFrom(int sender) {
        return check.receivedFrom(sender);
    }

    /** A hard close: SO_LINGER 0, so the kernel sends RST and drops what is queued either way. */
    void reset() {
        try {
            ch.setOption(StandardSocketOptions.SO_LINGER, 0);
        } catch (IOException ignored) {
            // closing anyway
        }
        close();
    }

    void close() {
        key.cancel();
        SoakBehaviour.closeQuietly(ch);
    }
}
