package dev.jepoll.bench;

import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Clients that never read. Echo: send until the socket takes no more (the server stopped
 * reading at its high watermark, the socket buffers both ways are full), then sit. Chat: join
 * and sit, while the room's lines pile up for it. Either way the server owes them output it
 * cannot write, so its write timeout (5 s in the soak) or, in chat, its slow-consumer limit
 * (1 MiB queued) must cut them. A sitter
 * cannot see the cut without reading, so every 250 ms it offers one more byte: once the server
 * has closed, that write fails (reset, or broken pipe), and the time from "blocked" to "cut" is
 * recorded. Up to {@link #SITTERS} sit at once. One not cut within {@link #SIT_LIMIT_S} s is a
 * failure: the server would hold its memory forever.
 */
final class SoakNeverRead extends SoakBehaviour {
    static final int SITTERS = 3;
    static final int SIT_LIMIT_S = 40;
    /** Beyond this the server is not applying backpressure at all. */
    private static final long MAX_FILL = 64L << 20;

    private record Sitter(SocketChannel ch, long blockedAt) {}

    private final List<Sitter> sitters = new ArrayList<>();
    private final ByteBuffer chunk = ByteBuffer.allocate(64 * 1024);
    private final ByteBuffer probe = ByteBuffer.wrap(new byte[] {' '}); // a blank: harmless in a chat line

    private final boolean fill;

    /** {@code fill}: send until blocked first (echo); otherwise just sit (chat: the room fills it). */
    SoakNeverRead(Soak.Run run, boolean fill) {
        super("never-read", run);
        this.fill = fill;
    }

    @Override
    void loop() throws InterruptedException {
        long nextStart = 0;
        try {
            while (running()) {
                if (sitters.size() < SITTERS && System.nanoTime() - nextStart >= 0) {
                    start();
                    nextStart = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
                }
                probeAll();
                pause(250);
            }
        } finally {
            for (Sitter s : sitters) {
                count("still_sitting_at_end"); // started too close to the end to be cut: not a failure
                reset(s.ch());
            }
        }
    }

    private void start() throws InterruptedException {
        SocketChannel ch = null;
        try {
            ch = SocketChannel.open();
            ch.socket().connect(server, boundedMillis(5000));
            ch.configureBlocking(false);
            long written = 0;
            long lastProgress = System.nanoTime();
            // "Blocked" = the socket took nothing for 300 ms.
            while (fill && System.nanoTime() - lastProgress < 300_000_000L && written < MAX_FILL) {
                random.nextBytes(chunk.array());
                chunk.clear();
                int n = ch.write(chunk);
                if (n > 0) {
                    written += n;
                    lastProgress = System.nanoTime();
                } else {
                    Thread.sleep(10);
                }
            }
            if (written >= MAX_FILL) {
                fail("the server read " + (MAX_FILL >> 20) + " MiB from a client that never reads its echo");
                reset(ch);
                return;
            }
            count("started");
            add("bytes_sent_before_blocked", written);
            sitters.add(new Sitter(ch, System.nanoTime()));
        } catch (IOException e) {
            fail("could not start a sitter: " + e);
            closeQuietly(ch);
        }
    }

    private void probeAll() {
        for (int i = sitters.size() - 1; i >= 0; i--) {
            Sitter s = sitters.get(i);
            long sat = System.nanoTime() - s.blockedAt();
            try {
                probe.clear();
                s.ch().write(probe); // 0 while the connection lives and stays blocked
                if (sat > TimeUnit.SECONDS.toNanos(SIT_LIMIT_S)) {
                    fail("a client that never read was not cut in " + SIT_LIMIT_S + " s");
                    drop(i);
                }
            } catch (IOException e) {
                String how = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
                count("cut_by." + (how.contains("reset") ? "reset" : how.contains("broken pipe") ? "broken_pipe" : "other"));
                count("cut");
                tally.max(name + ".max_ms_to_cut", TimeUnit.NANOSECONDS.toMillis(sat));
                add("total_ms_to_cut", TimeUnit.NANOSECONDS.toMillis(sat));
                drop(i);
            }
        }
    }

    private void drop(int i) {
        reset(sitters.remove(i).ch());
    }

    /**
     * SO_LINGER 0: a chat sitter's probe blanks make a line without its newline, which a clean
     * close (EOF) would have the server deliver to the room; a reset discards it.
     */
    private static void reset(SocketChannel ch) {
        try {
            ch.setOption(StandardSocketOptions.SO_LINGER, 0);
        } catch (IOException ignored) {
            // closed by the server already: nothing to discard
        }
        closeQuietly(ch);
    }
}
