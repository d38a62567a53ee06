package dev.jepoll.bench;

import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Echo, bulk transfers: 1 to 8 MiB of pseudo-random bytes on one connection, read back as they
 * are written (a client that wrote megabytes before reading would deadlock with any server that
 * bounds its memory), then a half-close and EOF. Both directions go through SHA-256: the echo
 * is right when the digests and the byte counts agree. A transfer that makes no progress for
 * 10 s, a reset, or an early EOF is a failure. One non-blocking channel and a selector, so a
 * single thread both writes and reads.
 */
final class SoakBulk extends SoakBehaviour {
    private static final int MIN_SIZE = 1 << 20;
    private static final int MAX_SIZE = 8 << 20;
    private static final long STALL_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final ByteBuffer out = ByteBuffer.allocate(64 * 1024);
    private final ByteBuffer in = ByteBuffer.allocate(64 * 1024);

    SoakBulk(Soak.Run run) {
        super("bulk", run);
    }

    @Override
    void loop() throws InterruptedException, NoSuchAlgorithmException {
        while (running()) {
            long size = MIN_SIZE + random.nextInt(MAX_SIZE - MIN_SIZE + 1);
            try {
                transfer(size, random.nextLong());
            } catch (IOException e) {
                fail(size + "-byte transfer: " + e);
            }
            // A few MiB every half second or so: bulk copying and backpressure without
            // taking the machine's two cores from the other behaviours.
            pause(500);
        }
    }

    private void transfer(long size, long seed) throws IOException, NoSuchAlgorithmException {
        SplittableRandom source = new SplittableRandom(seed);
        MessageDigest sentDigest = MessageDigest.getInstance("SHA-256");
        MessageDigest echoDigest = MessageDigest.getInstance("SHA-256");
        long sent = 0;
        long received = 0;
        boolean shut = false;
        out.clear().flip();
        try (Selector selector = Selector.open(); SocketChannel ch = SocketChannel.open()) {
            ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
            ch.socket().connect(server, boundedMillis(5000));
            ch.configureBlocking(false);
            SelectionKey key = ch.register(selector, SelectionKey.OP_READ | SelectionKey.OP_WRITE);
            long lastProgress = System.nanoTime();
            while (true) {
                selector.select(100);
                long moved = 0;
                if (!shut) {
                    if (!out.hasRemaining() && sent < size) {
                        refill(source, (int) Math.min(out.capacity(), size - sent));
                    }
                    int start = out.position();
                    int n = ch.write(out);
                    sentDigest.update(out.array(), start, n);
                    sent += n;
                    moved += n;
                    if (sent == size) {
                        ch.shutdownOutput();
                        shut = true;
                        key.interestOps(SelectionKey.OP_READ);
                    }
                }
                in.clear();
                int r = ch.read(in);
                if (r < 0) {
                    break;
                }
                echoDigest.update(in.array(), 0, r);
                received += r;
                moved += r;
                long now = System.nanoTime();
                if (moved > 0) {
                    lastProgress = now;
                } else if (now - lastProgress > STALL_NANOS || pastHardStop()) {
                    fail(size + "-byte transfer stalled: " + sent + " sent, " + received + " echoed");
                    return;
                }
            }
            boolean same = Arrays.equals(sentDigest.digest(), echoDigest.digest());
            if (received != size || !same) {
                fail(size + "-byte transfer: " + received + " bytes echoed before EOF"
                        + (same ? "" : ", SHA-256 of the echo differs from what was sent"));
            } else {
                count("transfers");
                add("bytes_checked", size);
            }
        }
    }

    private void refill(SplittableRandom source, int n) {
        source.nextBytes(out.array());
        out.clear().limit(n);
    }
}
