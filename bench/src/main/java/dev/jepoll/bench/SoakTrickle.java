package dev.jepoll.bench;

import java.io.IOException;
import java.net.Socket;

/**
 * Echo, clients that trickle: {@link #CONNECTIONS} connections each send one byte a second and
 * read its echo before the next (so the server sees a read, an echo and a wakeup per byte, for
 * a long time, on connections that are almost idle but never idle past the 20 s idle timeout).
 * Each lives 10 to 30 s, then half-closes and must get EOF; a new one takes its place. A wrong
 * or missing byte, or no EOF, is a failure.
 */
final class SoakTrickle extends SoakBehaviour {
    static final int CONNECTIONS = 4;
    private static final int READ_TIMEOUT_MS = 5_000;

    private final Socket[] sockets = new Socket[CONNECTIONS];
    private final long[] endOfLife = new long[CONNECTIONS];

    SoakTrickle(Soak.Run run) {
        super("trickle", run);
    }

    @Override
    void loop() throws InterruptedException {
        try {
            while (running()) {
                for (int i = 0; i < CONNECTIONS; i++) {
                    step(i);
                }
                pause(1000);
            }
        } finally {
            for (int i = 0; i < CONNECTIONS; i++) {
                retire(i);
            }
        }
    }

    private void step(int i) {
        try {
            if (sockets[i] == null) {
                sockets[i] = connect(READ_TIMEOUT_MS);
                endOfLife[i] = System.nanoTime() + (10 + random.nextInt(21)) * 1_000_000_000L;
                count("connections");
            }
            byte b = (byte) random.nextInt(256);
            sockets[i].getOutputStream().write(b);
            int echoed = sockets[i].getInputStream().read();
            if (echoed != (b & 0xff)) {
                fail("connection " + i + ": sent byte " + (b & 0xff) + ", echo "
                        + (echoed < 0 ? "EOF" : String.valueOf(echoed)));
                drop(i);
                return;
            }
            add("bytes_checked", 1);
            if (System.nanoTime() - endOfLife[i] > 0) {
                retire(i);
            }
        } catch (IOException e) {
            fail("connection " + i + ": " + e);
            drop(i);
        }
    }

    /** Half-close, then the server's EOF must follow (it owes nothing more). */
    private void retire(int i) {
        Socket s = sockets[i];
        if (s == null) {
            return;
        }
        try {
            s.setSoTimeout(boundedMillis(READ_TIMEOUT_MS));
            s.shutdownOutput();
            int after = s.getInputStream().read();
            if (after == -1) {
                count("closed_cleanly");
            } else {
                fail("connection " + i + ": a byte nobody sent after the half-close: " + after);
            }
        } catch (IOException e) {
            fail("connection " + i + ": no EOF after the half-close: " + e);
        }
        drop(i);
    }

    private void drop(int i) {
        closeQuietly(sockets[i]);
        sockets[i] = null;
    }
}
