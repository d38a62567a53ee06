package dev.jepoll.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * Closed-loop echo load on 127.0.0.1: each connection keeps {@code pipeline} messages of
 * {@code size} bytes in flight and sends the next one as soon as an echo is complete.
 * A message's latency runs from the first byte written to the last echoed byte read.
 *
 * <pre>java -cp jepoll-bench.jar dev.jepoll.bench.LoadGenerator --port N [--connections 50]
 *     [--size 64] [--pipeline 1] [--warmup 2] [--duration 5] [--threads 1] [--server-pid PID]</pre>
 *
 * Prints one line: {@code result requests=.. seconds=.. rps=.. mbps=.. p50_us=.. p99_us=..
 * p999_us=.. max_us=.. errors=..} and the CPU use of {@link CpuSample#since}. Only echoes completed
 * inside the measured window count, and the CPU figures cover that window.
 * Every loop is bounded by the deadline, so the run ends by itself after warmup + duration.
 */
public final class LoadGenerator {
    /** The only address this tool ever connects to. */
    private static final InetAddress LOOPBACK = loopback();
    private static final long MAX_TRACKED_LATENCY_NANOS = TimeUnit.SECONDS.toNanos(60);
    private static final int CONNECT_TIMEOUT_MILLIS = 5_000;

    record Settings(int port, int connections, int size, int pipeline, double warmupSeconds,
                    double durationSeconds, int threads, long serverPid) {}

    public static void main(String[] args) throws Exception {
        Settings settings = parse(args);
        try {
            System.out.println(run(settings));
        } catch (IOException e) {
            System.err.println("loadgen: 127.0.0.1:" + settings.port() + ": " + e.getMessage());
            System.exit(1);
        }
        System.exit(0);
    }

    static String run(Settings s) throws IOException, InterruptedException {
        byte[] payload = new byte[s.size()];
        for (int i = 0; i < payload.length; i++) {
            payload[i] = (byte) (i * 31 + 7); // not all zeros, so a wrong echo shows up
        }

        List<List<Connection>> perThread = new ArrayList<>();
        for (int t = 0; t < s.threads(); t++) {
            perThread.add(new ArrayList<>());
        }
        InetSocketAddress server = new InetSocketAddress(LOOPBACK, s.port());
        for (int i = 0; i < s.connections(); i++) {
            perThread.get(i % s.threads()).add(new Connection(connect(server), payload, s.pipeline()));
        }

        // One shared clock for every thread: warmup, then the measured window.
        long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50);
        long measureFrom = start + seconds(s.warmupSeconds());
        long measureUntil = measureFrom + seconds(s.durationSeconds());
        List<ClientLoop> loops = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < s.threads(); t++) {
            ClientLoop loop = new ClientLoop(perThread.get(t), measureFrom, measureUntil);
            Thread thread = new Thread(loop, "client-" + t);
            thread.setDaemon(true); // a stuck thread must not keep the process alive
            loops.add(loop);
            threads.add(thread);
        }
        sleepUntil(start);
        threads.forEach(Thread::start);
        sleepUntil(measureFrom);
        CpuSample cpuBefore = CpuSample.take(s.serverPid());
        sleepUntil(measureUntil);
        CpuSample cpuAfter = CpuSample.take(s.serverPid());
        for (Thread thread : threads) {
            long left = TimeUnit.NANOSECONDS.toMillis(measureUntil - System.nanoTime()) + 10_000;
            thread.join(Math.max(1, left));
        }

        Histogram latencies = new Histogram(MAX_TRACKED_LATENCY_NANOS, 3);
        long errors = 0;
        for (ClientLoop loop : loops) {
            latencies.add(loop.latencies);
            errors += loop.errors;
        }
        errors += threads.stream().filter(Thread::isAlive).count();
        double measuredSeconds = (measureUntil - measureFrom) / 1e9;
        long requests = latencies.getTotalCount();
        double rps = requests / measuredSeconds;
        return String.format(Locale.ROOT,
                "result requests=%d seconds=%.3f rps=%.0f mbps=%.2f p50_us=%.1f p99_us=%.1f p999_us=%.1f max_us=%.1f errors=%d %s",
                requests, measuredSeconds, rps, rps * s.size() / 1e6,
                micros(latencies.getValueAtPercentile(50.0)), micros(latencies.getValueAtPercentile(99.0)),
                micros(latencies.getValueAtPercentile(99.9)), micros(latencies.getMaxValue()), errors,
                cpuAfter.since(cpuBefore, measuredSeconds, requests));
    }

    private static void sleepUntil(long nanoTime) throws InterruptedException {
        long wait = nanoTime - System.nanoTime();
        if (wait > 0) {
            TimeUnit.NANOSECONDS.sleep(wait);
        }
    }

    private static SocketChannel connect(InetSocketAddress server) throws IOException {
        SocketChannel channel = SocketChannel.open();
        channel.socket().connect(server, CONNECT_TIMEOUT_MILLIS);
        channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        channel.configureBlocking(false);
        return channel;
    }

    /** One thread's connections on one selector, until the end of the measured window. */
    static final class ClientLoop implements Runnable {
        final Histogram latencies = new Histogram(MAX_TRACKED_LATENCY_NANOS, 3);
        long errors;
        private final List<Connection> connections;
        private final long measureFrom;
        private final long measureUntil;

        ClientLoop(List<Connection> connections, long measureFrom, long measureUntil) {
            this.connections = connections;
            this.measureFrom = measureFrom;
            this.measureUntil = measureUntil;
        }

        @Override
        public void run() {
            try (Selector selector = Selector.open()) {
                for (Connection c : connections) {
                    c.key = c.channel.register(selector, SelectionKey.OP_READ, c);
                    step(c, 0);
                }
                for (long now = System.nanoTime(); now < measureUntil; now = System.nanoTime()) {
                    long timeoutMillis = Math.max(1, TimeUnit.NANOSECONDS.toMillis(measureUntil - now));
                    selector.select(key -> step((Connection) key.attachment(), key.readyOps()), timeoutMillis);
                }
            } catch (IOException e) {
                errors++;
            } finally {
                connections.forEach(Connection::close);
            }
        }

        private void step(Connection c, int readyOps) {
            if (!c.channel.isOpen()) {
                return;
            }
            try {
                if ((readyOps & SelectionKey.OP_READ) != 0) {
                    c.readEchoes(this);
                }
                c.sendUpToPipeline();
            } catch (IOException | IllegalStateException e) {
                errors++; // the server closed on us, or echoed the wrong bytes
                c.close();
            }
        }

        void completed(long sentAt, long now) {
            if (now >= measureFrom && now < measureUntil) {
                latencies.recordValue(Math.min(now - sentAt, MAX_TRACKED_LATENCY_NANOS));
            }
        }
    }

    /** A connection's messages in flight: when each was sent, and how far the current one is. */
    static final class Connection {
        final SocketChannel channel;
        SelectionKey key;
        private final ByteBuffer payload;      // read-only: what every echo must equal
        private final ByteBuffer outgoing;     // the message being written
        private final ByteBuffer incoming;
        private final long[] sentAt;           // ring of send times, oldest first
        private int oldest;
        private int inFlight;
        private int echoedOfOldest;            // bytes of the oldest message echoed so far

        Connection(SocketChannel channel, byte[] message, int pipeline) {
            this.channel = channel;
            this.payload = ByteBuffer.allocateDirect(message.length).put(message).flip();
            this.outgoing = ByteBuffer.allocateDirect(message.length).put(message).flip();
            this.outgoing.position(outgoing.limit()); // nothing being written yet
            this.incoming = ByteBuffer.allocateDirect(Math.max(message.length, 64 * 1024));
            this.sentAt = new long[pipeline];
        }

        /** Writes until the pipeline is full or the socket is; waits for OP_WRITE in the latter case. */
        void sendUpToPipeline() throws IOException {
            for (;;) {
                if (!outgoing.hasRemaining()) {
                    if (inFlight == sentAt.length) {
                        interest(SelectionKey.OP_READ);
                        return;
                    }
                    outgoing.rewind();
                    sentAt[(oldest + inFlight) % sentAt.length] = System.nanoTime();
                    inFlight++;
                }
                channel.write(outgoing);
                if (outgoing.hasRemaining()) {
                    interest(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
                    return;
                }
            }
        }

        /** Reads what is there, checks it against the payload, and completes whole echoes. */
        void readEchoes(ClientLoop loop) throws IOException {
            int n = channel.read(incoming);
            if (n < 0) {
                throw new IOException("server closed the connection");
            }
            long now = System.nanoTime();
            incoming.flip();
            while (incoming.hasRemaining()) {
                if (inFlight == 0) {
                    throw new IllegalStateException("echoed more than was sent");
                }
                int chunk = Math.min(incoming.remaining(), payload.limit() - echoedOfOldest);
                int at = incoming.position();
                if (incoming.slice(at, chunk).mismatch(payload.slice(echoedOfOldest, chunk)) != -1) {
                    throw new IllegalStateException("echo differs from what was sent");
                }
                incoming.position(at + chunk);
                echoedOfOldest += chunk;
                if (echoedOfOldest == payload.limit()) {
                    loop.completed(sentAt[oldest], now);
                    oldest = (oldest + 1) % sentAt.length;
                    inFlight--;
                    echoedOfOldest = 0;
                }
            }
            incoming.clear();
        }

        private void interest(int ops) {
            if (key.interestOps() != ops) {
                key.interestOps(ops);
            }
        }

        void close() {
            try {
                channel.close();
            } catch (IOException e) {
                // closing at the end of a run: nothing left to do with it
            }
        }
    }

    private static Settings parse(String[] args) {
        int port = -1;
        int connections = 50;
        int size = 64;
        int pipeline = 1;
        double warmup = 2;
        double duration = 5;
        int threads = 1;
        long serverPid = 0;
        if (args.length % 2 != 0) {
            usage("options take a value each");
        }
        for (int i = 0; i < args.length; i += 2) {
            String value = args[i + 1];
            switch (args[i]) {
                case "--port" -> port = Integer.parseInt(value);
                case "--connections" -> connections = Integer.parseInt(value);
                case "--size" -> size = Integer.parseInt(value);
                case "--pipeline" -> pipeline = Integer.parseInt(value);
                case "--warmup" -> warmup = Double.parseDouble(value);
                case "--duration" -> duration = Double.parseDouble(value);
                case "--threads" -> threads = Integer.parseInt(value);
                case "--server-pid" -> serverPid = Long.parseLong(value);
                default -> usage("unknown option " + args[i]);
            }
        }
        if (port < 1 || port > 65535 || connections < 1 || size < 1 || pipeline < 1 || threads < 1
                || warmup < 0 || duration <= 0 || warmup + duration > 600) {
            usage("need --port 1..65535, positive counts, and warmup + duration of at most 600 s");
        }
        return new Settings(port, connections, size, pipeline, warmup, duration, Math.min(threads, connections), serverPid);
    }

    private static void usage(String problem) {
        System.err.println("loadgen: " + problem);
        System.err.println("usage: LoadGenerator --port N [--connections 50] [--size 64] [--pipeline 1]"
                + " [--warmup 2] [--duration 5] [--threads 1] [--server-pid PID]");
        System.exit(2);
    }

    private static long seconds(double s) {
        return (long) (s * 1e9);
    }

    private static double micros(long nanos) {
        return nanos / 1e3;
    }

    private static InetAddress loopback() {
        try {
            return InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
