package dev.jepoll.bench;

import java.io.IOException;
import java.net.Socket;

/**
 * Echo, half-closes: send 1 B to 32 KiB, shut the output down, then read: the whole echo must
 * come back, then EOF. This is the close the chapter's server got wrong (it closed on EOF and
 * dropped the echo still owed). 32 KiB stays under the server's 64 KiB high watermark and
 * inside loopback's socket buffers, so sending it all before reading cannot deadlock.
 */
final class SoakHalfClose extends SoakBehaviour {
    private static final int MAX_SIZE = 32 * 1024;
    private static final int READ_TIMEOUT_MS = 10_000;

    private final byte[] sent = new byte[MAX_SIZE];
    private final byte[] echo = new byte[MAX_SIZE + 1];

    SoakHalfClose(Soak.Run run) {
        super("half-close", run);
    }

    @Override
    void loop() throws InterruptedException {
        while (running()) {
            once();
            pause(100);
        }
    }

    private void once() {
        int size = 1 + random.nextInt(MAX_SIZE);
        random.nextBytes(sent);
        try (Socket s = connect(READ_TIMEOUT_MS)) {
            s.getOutputStream().write(sent, 0, size);
            s.shutdownOutput();
            // Ask for one byte more than was sent: it must be EOF, not a byte.
            int got = readFully(s.getInputStream(), echo, size + 1);
            int diff = firstDifference(sent, echo, Math.min(got, size));
            if (diff >= 0) {
                fail("wrong echo byte at " + diff + " of " + size);
            } else if (got < size) {
                fail("EOF after " + got + " of " + size + " echoed bytes");
            } else if (got > size) {
                fail("more bytes than were sent (" + got + " > " + size + ")");
            } else {
                count("transfers");
                add("bytes_checked", size);
            }
        } catch (IOException e) {
            fail(size + " bytes sent, echo or EOF missing: " + e);
        }
    }
}
