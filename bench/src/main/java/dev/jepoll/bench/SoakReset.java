package dev.jepoll.bench;

import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * Echo, resets mid-transfer: connect, write 64 KiB to 2 MiB as fast as the socket takes it (for
 * at most 200 ms), read part of the echo half the time, then close with SO_LINGER 0, so the
 * kernel sends RST while bytes are in flight both ways and the server holds echo it owes. The
 * server must drop the connection, and what it held for it, without disturbing anyone else;
 * the generator only counts (a reset client has nothing to check), the descriptors and memory
 * after the run show whether anything leaked.
 */
final class SoakReset extends SoakBehaviour {
    private final ByteBuffer out = ByteBuffer.allocate(64 * 1024);
    private final ByteBuffer in = ByteBuffer.allocate(16 * 1024);

    SoakReset(Soak.Run run) {
        super("reset", run);
    }

    @Override
    void loop() throws InterruptedException {
        while (running()) {
            try {
                once();
            } catch (IOException e) {
                // The reset is ours to make: the server refusing or resetting first is news.
                fail("before the reset: " + e);
            }
            pause(250);
        }
    }

    private void once() throws IOException, InterruptedException {
        long target = 64 * 1024 + random.nextInt(2 * 1024 * 1024);
        random.nextBytes(out.array());
        try (SocketChannel ch = SocketChannel.open()) {
            ch.socket().connect(server, boundedMillis(5000));
            ch.configureBlocking(false);
            long written = 0;
            long until = System.nanoTime() + 200_000_000L;
            while (written < target && System.nanoTime() < until) {
                out.clear().limit((int) Math.min(out.capacity(), target - written));
                int n = ch.write(out);
                written += n;
                if (n == 0) {
                    Thread.sleep(2); // the server stopped reading at its watermark: in flight it is
                }
            }
            if (random.nextBoolean()) {
                in.clear();
                add("echo_bytes_read_before_reset", Math.max(0, ch.read(in)));
            }
            ch.setOption(StandardSocketOptions.SO_LINGER, 0);
            count("resets");
            add("bytes_written_before_reset", written);
        } // close with linger 0: RST
    }
}
