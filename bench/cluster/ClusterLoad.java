import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * make bench-cluster's load: chat clients spread round-robin over the nodes' ports, each saying
 * LINES lines of SIZE bytes with at most WINDOW of its own not yet heard back, and every client
 * reading everything. Each line carries its sender and the time it was sent, so each delivery's
 * latency is known, split by whether sender and receiver are on the same node or not. Checks
 * that every client heard every line once, each sender's in order; prints one line:
 *   result nodes=3 clients=30 deliveries=... deliveries_per_s=... same_p50_us=... same_p99_us=... cross_p50_us=... cross_p99_us=...
 * Run with: java ClusterLoad.java --ports 9190,9191,9192 --clients 30 --lines 1000 [--size 128] [--window 8] [--timeout 120]
 * Loopback only (127.0.0.1). Exit 0 on success, 1 if the run failed, 2 on bad arguments.
 */
public class ClusterLoad {
    static int[] ports;
    static int clients = 30, lines = 1000, size = 128, window = 8;
    static long timeoutSeconds = 120;

    public static void main(String[] args) throws Exception {
        try {
            parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("ClusterLoad: " + e.getMessage());
            System.exit(2);
        }
        Client[] all = new Client[clients];
        for (int i = 0; i < clients; i++) {
            all[i] = new Client(i, i % ports.length);
        }
        for (Client c : all) {
            c.connect();
        }
        // everyone joined everywhere: a hello from each, heard by each, before the clock starts
        for (Client c : all) {
            c.say(String.format(Locale.ROOT, "hello %05d", c.id));
        }
        for (Client c : all) {
            c.awaitHellos();
        }
        long start = System.nanoTime();
        for (Client c : all) {
            c.startSending();
        }
        boolean done = true;
        for (Client c : all) {
            done &= c.finished.await(Math.max(1, timeoutSeconds - TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start)),
                    TimeUnit.SECONDS);
        }
        long elapsed = System.nanoTime() - start;
        String failure = null;
        for (Client c : all) {
            if (c.failure != null && failure == null) {
                failure = "client " + c.id + ": " + c.failure;
            }
        }
        if (!done && failure == null) {
            failure = "not finished within " + timeoutSeconds + " s";
        }
        for (Client c : all) {
            c.close();
        }
        if (failure != null) {
            System.out.println("result ok=0 error=\"" + failure + "\"");
            System.exit(1);
        }
        long[] same = merge(all, true);
        long[] cross = merge(all, false);
        long deliveries = (long) clients * clients * lines;
        System.out.printf(Locale.ROOT, "result ok=1 nodes=%d clients=%d lines=%d size=%d window=%d deliveries=%d seconds=%.3f"
                        + " deliveries_per_s=%.0f same_p50_us=%.0f same_p99_us=%.0f cross_p50_us=%.0f cross_p99_us=%.0f%n",
                ports.length, clients, lines, size, window, deliveries, elapsed / 1e9, deliveries / (elapsed / 1e9),
                percentile(same, 0.50), percentile(same, 0.99), percentile(cross, 0.50), percentile(cross, 0.99));
    }

    static long[] merge(Client[] all, boolean sameNode) {
        int n = 0;
        for (Client c : all) {
            n += sameNode ? c.sameCount : c.crossCount;
        }
        long[] out = new long[n];
        int at = 0;
        for (Client c : all) {
            long[] src = sameNode ? c.same : c.cross;
            int count = sameNode ? c.sameCount : c.crossCount;
            System.arraycopy(src, 0, out, at, count);
            at += count;
        }
        Arrays.sort(out);
        return out;
    }

    static double percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)] / 1000.0;
    }

    static void parse(String[] args) {
        for (int i = 0; i < args.length; i += 2) {
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(args[i] + " needs a value");
            }
            String v = args[i + 1];
            switch (args[i]) {
                case "--ports" -> ports = Arrays.stream(v.split(",")).mapToInt(Integer::parseInt).toArray();
                case "--clients" -> clients = Integer.parseInt(v);
                case "--lines" -> lines = Integer.parseInt(v);
                case "--size" -> size = Integer.parseInt(v);
                case "--window" -> window = Integer.parseInt(v);
                case "--timeout" -> timeoutSeconds = Long.parseLong(v);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (ports == null || ports.length == 0 || clients < 1 || lines < 1 || size < 48 || window < 1) {
            throw new IllegalArgumentException("need --ports P[,P...], --clients >= 1, --lines >= 1, --size >= 48, --window >= 1");
        }
    }

    static final class Client {
        final int id;
        final int node;
        Socket socket;
        OutputStream out;
        final long[] same = new long[clients * lines];
        final long[] cross = new long[clients * lines];
        int sameCount, crossCount;
        final int[] nextSeq = new int[clients];
        int hellos;
        int outstanding; // guarded by this
        volatile String failure;
        final CountDownLatch hellosHeard = new CountDownLatch(1);
        final CountDownLatch finished = new CountDownLatch(1);
        long heard;

        Client(int id, int node) {
            this.id = id;
            this.node = node;
        }

        void connect() throws IOException {
            socket = new Socket();
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), ports[node]), 10_000);
            out = socket.getOutputStream();
            Thread reader = new Thread(this::read, "reader-" + id);
            reader.setDaemon(true);
            reader.start();
        }

        void say(String line) throws IOException {
            synchronized (out) {
                out.write((line + "\n").getBytes(StandardCharsets.US_ASCII));
            }
        }

        void awaitHellos() throws InterruptedException {
            if (!hellosHeard.await(timeoutSeconds, TimeUnit.SECONDS)) {
                throw new IllegalStateException("client " + id + " heard " + hellos + " of " + clients + " hellos");
            }
        }

        void startSending() {
            Thread sender = new Thread(this::send, "sender-" + id);
            sender.setDaemon(true);
            sender.start();
        }

        private void send() {
            byte[] line = new byte[size];
            Arrays.fill(line, (byte) 'x');
            line[size - 1] = '\n';
            try {
                for (int seq = 0; seq < lines; seq++) {
                    synchronized (this) {
                        while (outstanding >= window) {
                            wait();
                        }
                        outstanding++;
                    }
                    byte[] head = String.format(Locale.ROOT, "[c%05d] %08d %019d ", id, seq, System.nanoTime())
                            .getBytes(StandardCharsets.US_ASCII);
                    System.arraycopy(head, 0, line, 0, head.length);
                    synchronized (out) {
                        out.write(line);
                    }
                }
            } catch (IOException | InterruptedException e) {
                fail("sending: " + e);
            }
        }

        private void read() {
            try (InputStream in = new BufferedInputStream(socket.getInputStream(), 1 << 16)) {
                byte[] buf = new byte[Math.max(size, 64) + 1];
                int len = 0;
                for (int b; (b = in.read()) >= 0; ) {
                    if (b != '\n') {
                        if (len == buf.length) {
                            fail("a line longer than " + size + " bytes");
                            return;
                        }
                        buf[len++] = (byte) b;
                        continue;
                    }
                    line(buf, len, System.nanoTime());
                    len = 0;
                    if (failure != null || heard == (long) clients * lines) {
                        finished.countDown();
                        if (failure != null) {
                            return;
                        }
                    }
                }
            } catch (IOException e) {
                if (finished.getCount() > 0) {
                    fail("reading: " + e);
                }
            }
        }

        private void line(byte[] buf, int len, long now) {
            String text = new String(buf, 0, Math.min(len, 48), StandardCharsets.US_ASCII);
            if (text.startsWith("hello ")) {
                if (++hellos == clients) {
                    hellosHeard.countDown();
                }
                return;
            }
            if (len != size - 1 || buf[0] != '[' || buf[1] != 'c') {
                fail("unexpected line: " + text);
                return;
            }
            int sender = Integer.parseInt(text.substring(2, 7));
            int seq = Integer.parseInt(text.substring(9, 17));
            long sent = Long.parseLong(text.substring(18, 37));
            if (seq != nextSeq[sender]) {
                fail("from client " + sender + " expected line " + nextSeq[sender] + ", got " + seq);
                return;
            }
            nextSeq[sender]++;
            heard++;
            if (sender % ports.length == node) {
                same[sameCount++] = now - sent;
            } else {
                cross[crossCount++] = now - sent;
            }
            if (sender == id) {
                synchronized (this) {
                    outstanding--;
                    notifyAll();
                }
            }
        }

        private void fail(String why) {
            if (failure == null) {
                failure = why;
            }
            finished.countDown();
        }

        void close() throws IOException {
            socket.close();
        }
    }
}
