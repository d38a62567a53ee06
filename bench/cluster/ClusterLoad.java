import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;

/**
 * make bench-cluster's load: chat clients spread round-robin over the nodes' ports, each saying
 * LINES lines of SIZE bytes with at most WINDOW of its own not yet heard back, every client
 * reading everything; one thread on one selector (as the C load generator does), so that the
 * load itself stays cheap and steady. Each line carries its sender and the time it was sent, so
 * each delivery's latency is known, split by whether sender and receiver are on the same node.
 * Checks that every client heard every line once, each sender's in order; prints one line:
 *   result ok=1 nodes=3 clients=30 deliveries=... deliveries_per_s=... same_p50_us=... same_p99_us=... cross_p50_us=... cross_p99_us=...
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
        Selector selector = Selector.open();
        Client[] all = new Client[clients];
        for (int i = 0; i < clients; i++) {
            all[i] = new Client(i, i % ports.length, selector);
        }
        long deadline = System.nanoTime() + timeoutSeconds * 1_000_000_000L;
        for (Client c : all) {
            c.queue(String.format(Locale.ROOT, "hello %05d\n", c.id).getBytes(StandardCharsets.US_ASCII));
        }
        String failure = loop(selector, all, deadline, false);
        long start = System.nanoTime();
        if (failure == null) {
            failure = loop(selector, all, deadline, true);
        }
        long elapsed = System.nanoTime() - start;
        for (Client c : all) {
            c.channel.close();
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

    /** Serves every client until all hellos are heard (running false) or every line is (running true). */
    static String loop(Selector selector, Client[] all, long deadline, boolean running) throws IOException {
        while (true) {
            boolean done = true;
            for (Client c : all) {
                if (c.failure != null) {
                    return "client " + c.id + ": " + c.failure;
                }
                done &= running ? c.heard == (long) clients * lines : c.hellos == clients;
            }
            if (done) {
                return null;
            }
            if (System.nanoTime() > deadline) {
                return "not finished within " + timeoutSeconds + " s";
            }
            if (running) {
                for (Client c : all) {
                    c.topUp();
                }
            }
            selector.select(100);
            for (SelectionKey key : selector.selectedKeys()) {
                Client c = (Client) key.attachment();
                if (key.isReadable()) {
                    c.read(running);
                }
                if (key.isValid() && key.isWritable()) {
                    c.flush();
                }
            }
            selector.selectedKeys().clear();
        }
    }

    static long[] merge(Client[] all, boolean sameNode) {
        int n = 0;
        for (Client c : all) {
            n += sameNode ? c.sameCount : c.crossCount;
        }
        long[] out = new long[n];
        int at = 0;
        for (Client c : all) {
            System.arraycopy(sameNode ? c.same : c.cross, 0, out, at, sameNode ? c.sameCount : c.crossCount);
            at += sameNode ? c.sameCount : c.crossCount;
        }
        Arrays.sort(out);
        return out;
    }

    static double percentile(long[] sorted, double p) {
        return sorted.length == 0 ? Double.NaN : sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)] / 1000.0;
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
        final SocketChannel channel;
        final SelectionKey key;
        final ByteBuffer in = ByteBuffer.allocate(1 << 16);
        ByteBuffer out = ByteBuffer.allocate(1 << 16).flip();
        final byte[] partial = new byte[Math.max(size, 64) + 1];
        int partialLength;
        final long[] same = new long[clients * lines];
        final long[] cross = new long[clients * lines];
        int sameCount, crossCount;
        final int[] nextSeq = new int[clients];
        int hellos, sent, outstanding;
        long heard;
        String failure;
        final byte[] line;

        Client(int id, int node, Selector selector) throws IOException {
            this.id = id;
            this.node = node;
            channel = SocketChannel.open();
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            channel.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), ports[node]));
            channel.configureBlocking(false);
            key = channel.register(selector, SelectionKey.OP_READ, this);
            line = new byte[size];
            Arrays.fill(line, (byte) 'x');
            line[size - 1] = '\n';
        }

        /** Its next lines, while its window has room. */
        void topUp() throws IOException {
            boolean added = false;
            while (outstanding < window && sent < lines) {
                byte[] head = String.format(Locale.ROOT, "[c%05d] %08d %019d ", id, sent, System.nanoTime())
                        .getBytes(StandardCharsets.US_ASCII);
                System.arraycopy(head, 0, line, 0, head.length);
                append(line);
                sent++;
                outstanding++;
                added = true;
            }
            if (added) {
                flush();
            }
        }

        void queue(byte[] bytes) throws IOException {
            append(bytes);
            flush();
        }

        private void append(byte[] bytes) {
            if (out.capacity() - out.limit() < bytes.length) {
                out.compact().flip();
                if (out.capacity() - out.limit() < bytes.length) {
                    ByteBuffer bigger = ByteBuffer.allocate(Math.max(out.capacity() * 2, out.remaining() + bytes.length));
                    bigger.put(out).flip();
                    out = bigger;
                }
            }
            int at = out.limit();
            out.limit(at + bytes.length);
            out.put(at, bytes);
        }

        void flush() throws IOException {
            try {
                channel.write(out);
            } catch (IOException e) {
                failure = "writing: " + e;
                return;
            }
            key.interestOps(out.hasRemaining() ? SelectionKey.OP_READ | SelectionKey.OP_WRITE : SelectionKey.OP_READ);
        }

        void read(boolean running) throws IOException {
            int n;
            try {
                n = channel.read(in.clear());
            } catch (IOException e) {
                failure = "reading: " + e;
                return;
            }
            if (n < 0) {
                failure = "the server closed the connection";
                return;
            }
            long now = System.nanoTime();
            byte[] a = in.array();
            for (int i = 0; i < n; i++) {
                byte b = a[i];
                if (b != '\n') {
                    if (partialLength == partial.length) {
                        failure = "a line longer than " + size + " bytes";
                        return;
                    }
                    partial[partialLength++] = b;
                } else {
                    line(now);
                    partialLength = 0;
                }
            }
        }

        private void line(long now) {
            String text = new String(partial, 0, Math.min(partialLength, 48), StandardCharsets.US_ASCII);
            if (text.startsWith("hello ")) {
                hellos++;
                return;
            }
            if (partialLength != size - 1 || !text.startsWith("[c")) {
                failure = "unexpected line: " + text;
                return;
            }
            int sender = Integer.parseInt(text.substring(2, 7));
            int seq = Integer.parseInt(text.substring(9, 17));
            long sentAt = Long.parseLong(text.substring(18, 37));
            if (seq != nextSeq[sender]) {
                failure = "from client " + sender + " expected line " + nextSeq[sender] + ", got " + seq;
                return;
            }
            nextSeq[sender]++;
            heard++;
            if (sender % ports.length == node) {
                same[sameCount++] = now - sentAt;
            } else {
                cross[crossCount++] = now - sentAt;
            }
            if (sender == id) {
                outstanding--;
            }
        }
    }
}
