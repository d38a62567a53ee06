package dev.jepoll.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A client that keeps connecting to a port on 127.0.0.1, every millisecond or so, from before
 * anything listens there: as clients reconnecting to a server that restarts, or a script that
 * polls a port until it answers. Each connection it makes says {@code ping N\n} and counts it
 * served when the echo comes back whole. Bounded: each socket times out, and {@link #close()}
 * stops it.
 */
public final class Hammer implements AutoCloseable {
    private final int port;
    private final Thread thread;
    private final AtomicInteger served = new AtomicInteger();
    private final AtomicInteger connected = new AtomicInteger();
    private final AtomicInteger attempts = new AtomicInteger();
    private volatile boolean stopped;

    private Hammer(int port) {
        this.port = port;
        this.thread = new Thread(this::run, "hammer-" + port);
        thread.setDaemon(true);
    }

    /** Starts hammering {@code port} now. */
    public static Hammer on(int port) {
        Hammer h = new Hammer(port);
        h.thread.start();
        return h;
    }

    /** A port nobody listens on now: bound to 127.0.0.1 port 0 and let go. */
    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        }
    }

    public int served() {
        return served.get();
    }

    public int connected() {
        return connected.get();
    }

    /** Connections tried so far, refused ones included. */
    public int attempts() {
        return attempts.get();
    }

    private void run() {
        for (int n = 0; !stopped; n++) {
            attempts.incrementAndGet();
            try (Socket s = new Socket()) {
                s.setSoTimeout(2_000);
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 2_000);
                connected.incrementAndGet();
                byte[] ping = ("ping " + n + "\n").getBytes(StandardCharsets.US_ASCII);
                OutputStream out = s.getOutputStream();
                out.write(ping);
                out.flush();
                byte[] echo = new byte[ping.length];
                InputStream in = s.getInputStream();
                int got = 0;
                while (got < echo.length) {
                    int r = in.read(echo, got, echo.length - got);
                    if (r < 0) {
                        break;
                    }
                    got += r;
                }
                if (Arrays.equals(ping, echo)) {
                    served.incrementAndGet();
                }
            } catch (IOException e) {
                pause(); // refused (nothing listens yet), reset, or timed out: try again
            }
        }
    }

    private static void pause() {
        try {
            Thread.sleep(1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() throws InterruptedException {
        stopped = true;
        thread.join(5_000);
    }
}
