package dev.jepoll.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * An echo load against a running echo server: every client sends its own random payload in
 * random pieces from one thread while another reads the echo back and compares it, byte for
 * byte; a few resetters send part of a payload and reset the connection mid-transfer. All from
 * one seed, so a failing load can be replayed. A client thread's failure is recorded with its
 * own message.
 *
 * @see ChatLoad the same for chat
 */
public final class EchoLoad {
    /**
     * @param clients    clients that send and read back
     * @param maxPayload most bytes one client sends
     * @param maxPiece   most bytes per write
     * @param resetters  clients that reset mid-transfer
     * @param seed       payload sizes, contents and cuts
     */
    public record Spec(int clients, int maxPayload, int maxPiece, int resetters, long seed) {
    }

    /** Clients whose echo came back whole, of how many, the bytes echoed, and any problem seen. */
    public record Result(int whole, int clients, long bytes, List<String> problems) {
        public boolean complete() {
            return whole == clients && problems.isEmpty();
        }

        @Override
        public String toString() {
            return whole + "/" + clients + " echoes whole, " + bytes + " bytes, problems " + problems;
        }
    }

    private EchoLoad() {
    }

    /**
     * Runs {@code spec} against 127.0.0.1:{@code port} for at most {@code timeout}; {@code atRest}
     * runs once every echo came back whole, before any client closes.
     */
    public static Result run(int port, Spec spec, Duration timeout, Runnable atRest)
            throws IOException, InterruptedException {
        Random random = new Random(spec.seed());
        ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
        List<Socket> sockets = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        int[] whole = new int[1];
        long[] bytes = new long[1];
        try {
            for (int r = 0; r < spec.resetters(); r++) {
                Socket s = connect(port);
                sockets.add(s);
                byte[] part = new byte[1 + random.nextInt(Math.max(1, spec.maxPayload()))];
                random.nextBytes(part);
                try {
                    s.getOutputStream().write(part);
                } catch (IOException e) {
                    // the reset is the point, whatever happened before it
                }
                s.setSoLinger(true, 0);
                s.close();
            }
            for (int c = 0; c < spec.clients(); c++) {
                Socket s = connect(port);
                sockets.add(s);
                byte[] payload = new byte[1 + random.nextInt(Math.max(1, spec.maxPayload()))];
                random.nextBytes(payload);
                long pieceSeed = random.nextLong();
                String name = "echo client " + c + " (" + payload.length + " bytes)";
                Thread writer = new Thread(() -> {
                    Random pieces = new Random(pieceSeed);
                    try {
                        OutputStream out = s.getOutputStream();
                        for (int at = 0; at < payload.length; ) {
                            int n = Math.min(payload.length - at, 1 + pieces.nextInt(Math.max(1, spec.maxPiece())));
                            out.write(payload, at, n);
                            at += n;
                        }
                        out.flush();
                    } catch (IOException | RuntimeException e) {
                        problems.add(name + ": writer failed: " + e);
                        closeQuietly(s); // the reader would otherwise wait for what will never come
                    }
                }, "echo-writer-" + c);
                Thread reader = new Thread(() -> {
                    try {
                        byte[] echo = new byte[payload.length];
                        InputStream in = s.getInputStream();
                        for (int got = 0; got < echo.length; ) {
                            int n = in.read(echo, got, echo.length - got);
                            if (n < 0) {
                                problems.add(name + ": closed by the server after " + got + " bytes");
                                return;
                            }
                            got += n;
                        }
                        if (Arrays.equals(payload, echo)) {
                            synchronized (whole) {
                                whole[0]++;
                                bytes[0] += echo.length;
                            }
                        } else {
                            problems.add(name + ": the echo differs from what was sent");
                        }
                    } catch (IOException | RuntimeException e) {
                        problems.add(name + ": reader failed: " + e);
                    }
                }, "echo-reader-" + c);
                threads.add(writer);
                threads.add(reader);
            }
            threads.forEach(Thread::start);
            long deadline = System.nanoTime() + timeout.toNanos();
            for (Thread t : threads) {
                t.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
                if (t.isAlive()) {
                    problems.add(t.getName() + " still running at the deadline: a stalled echo");
                }
            }
            Result result = new Result(whole[0], spec.clients(), bytes[0], List.copyOf(problems));
            if (result.complete()) {
                atRest.run();
            }
            return result;
        } finally {
            sockets.forEach(EchoLoad::closeQuietly);
            for (Thread t : threads) {
                t.join(5_000);
            }
        }
    }

    private static Socket connect(int port) throws IOException {
        Socket s = new Socket();
        s.setTcpNoDelay(true);
        s.setSoTimeout((int) Await.DEFAULT.toMillis());
        s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 10_000);
        return s;
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // going anyway
        }
    }
}
