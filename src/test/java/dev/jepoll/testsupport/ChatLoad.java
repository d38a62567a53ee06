package dev.jepoll.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A chat load as interactive clients make it, driven against a running chat server: every
 * client says {@code linesEach} lines of {@code lineBytes} bytes, in bursts, with at most
 * {@code window} of its own lines not yet heard back, and reads as fast as it can; a few
 * {@code nonReaders} connect and never read a byte. Every reading client checks, line by line,
 * that each sender's lines arrive whole and in order, and counts them.
 *
 * <p>Lines are {@code [cNNN] SSSSSSSS xxx...\n}: sender and sequence number in a fixed header,
 * so a torn, reordered or foreign line is seen at once. A failure of any client thread is
 * recorded with its own message, never left to surface as a timeout.
 */
public final class ChatLoad {
    private static final int HEADER = 16; // "[c000] 00000000 "

    /**
     * @param clients    reading clients, each of them a sender too
     * @param linesEach  lines each reading client says
     * @param lineBytes  bytes per line, {@code \n} included (at least 18)
     * @param burst      lines written at once
     * @param window     most of its own lines a client lets go unheard (at least {@code burst})
     * @param nonReaders clients that connect and never read
     * @param readPauseMicros pause of one reader (client 0) after each read of at most 4 KiB: a
     *                   slow reader that still reads; 0 for none
     */
    public record Spec(int clients, int linesEach, int lineBytes, int burst, int window, int nonReaders,
                       int readPauseMicros) {
        public Spec {
            if (lineBytes < HEADER + 2 || burst < 1 || window < burst || clients < 1 || clients > 999) {
                throw new IllegalArgumentException("bad load: " + this);
            }
        }

        /** Deliveries owed in all: every line to every reading client. */
        public long deliveriesOwed() {
            return (long) clients * linesEach * clients;
        }
    }

    /**
     * What happened: deliveries counted by the readers, the readers the server closed before
     * they had everything, and any problem a client saw (torn or reordered line, exception).
     */
    public record Result(Spec spec, long deliveries, int readersCut, List<String> problems, long millis) {
        public boolean complete() {
            return deliveries == spec.deliveriesOwed() && readersCut == 0 && problems.isEmpty();
        }

        @Override
        public String toString() {
            return "deliveries " + deliveries + "/" + spec.deliveriesOwed() + ", readers cut " + readersCut
                    + ", problems " + problems.size() + (problems.isEmpty() ? "" : " " + problems.subList(0,
                    Math.min(5, problems.size()))) + ", " + millis + " ms, " + spec;
        }
    }

    private final Spec spec;
    private final int port;
    private final List<Client> clients = new ArrayList<>();
    private final List<Socket> nonReaders = new ArrayList<>();
    private final ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
    private final AtomicLong deliveries = new AtomicLong();
    /** Set when the server closed a reader: what the others are owed is then unknowable, so all stop. */
    private volatile boolean aborted;

    private ChatLoad(int port, Spec spec) {
        this.port = port;
        this.spec = spec;
    }

    /** Runs {@code spec} against the chat server on 127.0.0.1:{@code port}, for at most {@code timeout}. */
    public static Result run(int port, Spec spec, Duration timeout) throws IOException, InterruptedException {
        return run(port, spec, timeout, 0, () -> { });
    }

    /**
     * As {@link #run(int, Spec, Duration)}; clients connect in an order shuffled by {@code order}
     * (0: non-readers first), so they land on different loops, and {@code atRest} runs once every
     * reader has heard everything, before any client closes: the moment to look at the server's
     * sockets from outside.
     */
    public static Result run(int port, Spec spec, Duration timeout, long order, Runnable atRest)
            throws IOException, InterruptedException {
        ChatLoad load = new ChatLoad(port, spec);
        try {
            Result result = load.go(timeout, order);
            if (result.complete()) {
                atRest.run();
            }
            return result;
        } finally {
            load.closeAll();
        }
    }

    private Result go(Duration timeout, long order) throws IOException, InterruptedException {
        long started = System.nanoTime();
        List<Integer> who = new ArrayList<>(); // -1: a non-reader; otherwise a reader's number
        for (int i = 0; i < spec.nonReaders(); i++) {
            who.add(-1);
        }
        for (int i = 0; i < spec.clients(); i++) {
            who.add(i);
        }
        if (order != 0) {
            java.util.Collections.shuffle(who, new java.util.Random(order));
        }
        Client[] byNumber = new Client[spec.clients()];
        for (int w : who) {
            if (w < 0) {
                Socket s = new Socket();
                s.setReceiveBufferSize(4096); // fills at once: its queue on the server grows from the start
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 10_000);
                nonReaders.add(s);
            } else {
                byNumber[w] = new Client(w, connect());
            }
        }
        clients.addAll(Arrays.asList(byNumber));
        // Everyone connected before anyone speaks: each reader is owed every line.
        awaitJoined();
        clients.forEach(Client::start);
        long deadline = started + timeout.toNanos();
        for (Client c : clients) {
            c.reader.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
        }
        int cut = 0;
        for (Client c : clients) {
            if (c.endedEarly) {
                cut++;
            } else if (c.reader.isAlive() && !aborted) {
                problems.add("c" + c.id + " still waiting at the deadline: heard " + c.heardTotal + " of "
                        + (long) spec.clients() * spec.linesEach() + " (own " + c.heardOwn + ")");
            }
        }
        long millis = (System.nanoTime() - started) / 1_000_000;
        return new Result(spec, deliveries.get(), cut, List.copyOf(problems), millis);
    }

    /**
     * Every client in the room before anyone speaks, so each reader is owed every line: client 0
     * says a hello line until every reader has heard one (the readers do not count hellos).
     */
    private void awaitJoined() throws InterruptedException {
        long deadline = System.nanoTime() + Await.DEFAULT.toNanos();
        byte[] hello = "[c000] hello\n".getBytes(StandardCharsets.ISO_8859_1);
        while (!clients.stream().allMatch(c -> c.helloHeard)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not every client heard the hello line within " + Await.DEFAULT.toSeconds() + " s");
            }
            clients.get(0).say(hello);
            Thread.sleep(20); // a hello round trip; a pass needs one or two
        }
    }

    private Socket connect() throws IOException {
        Socket s = new Socket();
        s.setTcpNoDelay(true);
        s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 10_000);
        return s;
    }

    private void closeAll() {
        for (Client c : clients) {
            c.close();
        }
        for (Socket s : nonReaders) {
            try {
                s.setSoLinger(true, 0);
                s.close();
            } catch (IOException ignored) {
                // going anyway
            }
        }
    }

    private byte[] line(int sender, int seq) {
        byte[] line = new byte[spec.lineBytes()];
        Arrays.fill(line, (byte) 'x');
        byte[] header = String.format("[c%03d] %08d ", sender, seq).getBytes(StandardCharsets.ISO_8859_1);
        System.arraycopy(header, 0, line, 0, header.length);
        line[line.length - 1] = '\n';
        return line;
    }

    /** One reading, speaking client. */
    private final class Client {
        final int id;
        final Socket socket;
        final OutputStream out;
        final Thread reader;
        final Thread writer;
        final int[] lastSeq;
        volatile long heardOwn;
        volatile long heardTotal;
        volatile boolean endedEarly;
        volatile boolean helloHeard;
        final Object heard = new Object();

        Client(int id, Socket socket) throws IOException {
            this.id = id;
            this.socket = socket;
            this.out = socket.getOutputStream();
            this.lastSeq = new int[spec.clients()];
            Arrays.fill(lastSeq, -1);
            this.reader = new Thread(this::read, "load-reader-" + id);
            this.writer = new Thread(this::write, "load-writer-" + id);
            reader.setDaemon(true);
            writer.setDaemon(true);
            reader.start();
        }

        void start() {
            writer.start();
        }

        void say(byte[] bytes) {
            try {
                out.write(bytes);
                out.flush();
            } catch (IOException e) {
                problems.add("c" + id + " could not send: " + e);
            }
        }

        private void write() {
            try {
                int sent = 0;
                while (sent < spec.linesEach() && !aborted) {
                    int n = Math.min(spec.burst(), spec.linesEach() - sent);
                    synchronized (heard) {
                        long deadline = System.nanoTime() + Await.DEFAULT.toNanos();
                        while (sent + n - heardOwn > spec.window() && !aborted) {
                            if (System.nanoTime() > deadline) {
                                problems.add("c" + id + " heard none of its own lines for " + Await.DEFAULT.toSeconds()
                                        + " s (" + heardOwn + " of " + sent + ")");
                                return;
                            }
                            heard.wait(50);
                        }
                    }
                    byte[] burst = new byte[n * spec.lineBytes()];
                    for (int i = 0; i < n; i++) {
                        System.arraycopy(line(id, sent + i), 0, burst, i * spec.lineBytes(), spec.lineBytes());
                    }
                    out.write(burst);
                    out.flush();
                    sent += n;
                }
            } catch (IOException e) {
                if (!aborted) {
                    problems.add("c" + id + " writer failed: " + e);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException | Error e) {
                problems.add("c" + id + " writer threw: " + e);
            }
        }

        private void read() {
            long owed = (long) spec.clients() * spec.linesEach();
            boolean slow = id == 0 && spec.readPauseMicros() > 0;
            byte[] buffer = new byte[slow ? 4096 : 64 * 1024];
            byte[] line = new byte[Math.max(spec.lineBytes(), 64)];
            int at = 0;
            try (InputStream in = socket.getInputStream()) {
                while (heardTotal < owed || !helloHeard) {
                    int n = in.read(buffer);
                    if (n < 0) {
                        cutByServer("EOF");
                        return;
                    }
                    for (int i = 0; i < n; i++) {
                        if (at == line.length) {
                            problems.add("c" + id + " got a line longer than " + line.length + " bytes");
                            return;
                        }
                        line[at++] = buffer[i];
                        if (buffer[i] == '\n') {
                            if (!heardLine(line, at)) {
                                return;
                            }
                            at = 0;
                        }
                    }
                    if (slow) {
                        java.util.concurrent.locks.LockSupport.parkNanos(spec.readPauseMicros() * 1000L);
                    }
                }
            } catch (IOException e) {
                cutByServer(e.toString());
            } catch (RuntimeException | Error e) {
                problems.add("c" + id + " reader threw: " + e);
            } finally {
                synchronized (heard) {
                    heard.notifyAll();
                }
            }
        }

        /** The server closed this reader before it heard everything: the load stops, and says so. */
        private void cutByServer(String how) {
            if (aborted) {
                return; // closed by us, after another reader was cut
            }
            endedEarly = true;
            aborted = true;
            problems.add("c" + id + " was closed by the server (" + how + ") after hearing " + heardTotal + " of "
                    + (long) spec.clients() * spec.linesEach() + " lines");
            for (Client c : clients) {
                if (c != this) {
                    c.close();
                }
            }
        }

        private boolean heardLine(byte[] line, int length) {
            String header = new String(line, 0, Math.min(length, HEADER), StandardCharsets.ISO_8859_1);
            if (header.startsWith("[c000] hello")) {
                synchronized (heard) {
                    helloHeard = true;
                    heard.notifyAll();
                }
                return true;
            }
            if (length != spec.lineBytes() || header.length() < HEADER || header.charAt(0) != '[') {
                problems.add("c" + id + " got a torn or foreign line of " + length + " bytes: " + header);
                return false;
            }
            int sender = Integer.parseInt(header.substring(2, 5));
            int seq = Integer.parseInt(header.substring(7, 15));
            if (seq != lastSeq[sender] + 1) {
                problems.add("c" + id + " got c" + sender + "'s line " + seq + " after " + lastSeq[sender]);
                return false;
            }
            lastSeq[sender] = seq;
            deliveries.incrementAndGet();
            heardTotal++;
            if (sender == id) {
                synchronized (heard) {
                    heardOwn++;
                    heard.notifyAll();
                }
            }
            return true;
        }

        void close() {
            writer.interrupt();
            try {
                socket.close();
            } catch (IOException ignored) {
                // going anyway
            }
            if (Thread.currentThread() == reader || Thread.currentThread() == writer) {
                return;
            }
            try {
                reader.join(5_000);
                writer.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
