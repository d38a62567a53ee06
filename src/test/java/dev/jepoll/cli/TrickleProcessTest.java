package dev.jepoll.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jepoll.testsupport.Await;
import dev.jepoll.testsupport.JavaProcess;
import dev.jepoll.testsupport.StatsLine;
import dev.jepoll.testsupport.TestClient;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Ten thousand chat connections each sending one byte a second and never a {@code \n}: the
 * slow-loris crowd. Each holds an unfinished line, so nothing is relayed, and each costs the
 * server a connection and a few bytes. The room must not notice: two ordinary members talking
 * through it meanwhile hear each other's lines promptly and nothing else. The server counts
 * all 10,002 connections, stays up, keeps what they hold under its memory budget (so it closes
 * no one for memory), and once they all go it is back to no connections.
 */
class TrickleProcessTest {
    private static final int TRICKLERS = 10_000;
    /** Connections being opened at once: one blocking connect per opener thread. */
    private static final int OPENERS = 4;
    /** One byte per trickler per second, for this many seconds. */
    private static final int ROUNDS = 3;
    /**
     * How long a spoken line may take to reach both members: milliseconds even when the loops
     * fan it out to 10,001 recipients on a loaded machine; a loop held up by the tricklers
     * would never deliver it at all.
     */
    private static final int PROMPTLY_MILLIS = 5_000;
    private static final Set<String> NORMAL_CLOSES = Set.of("peer closed", "peer reset");

    @Test
    void tenThousandTricklersNeitherStallTheRoomNorSwellTheServer() throws Exception {
        try (JavaProcess server = JavaProcess.server(List.of(), "--port", "0", "--bind", "127.0.0.1",
                "--app", "chat", "--loops", "2", "--stats", "1",
                "--max-connections", "10002")) { // the default, 10,000, would turn the last two away
            int port = server.awaitPort();
            List<SocketChannel> tricklers = Collections.synchronizedList(new ArrayList<>(TRICKLERS));
            long talked = 0;
            ExecutorService threads = Executors.newFixedThreadPool(OPENERS + 1);
            try (TestClient alice = TestClient.connect(port); TestClient bob = TestClient.connect(port)) {
                alice.socket().setSoTimeout(PROMPTLY_MILLIS);
                bob.socket().setSoTimeout(PROMPTLY_MILLIS);
                try {
                    open(port, tricklers, threads);
                    Await.until("a stats line with connections=10002",
                            () -> StatsLine.in(server.stdout()).stream().anyMatch(l -> l.count("connections") == 10_002));

                    Future<?> trickling = threads.submit(() -> {
                        trickle(tricklers);
                        return null;
                    });
                    int said = 0;
                    while (!trickling.isDone() || said < 2 * ROUNDS) {
                        talked += say(said % 2 == 0 ? alice : bob,
                                (said % 2 == 0 ? "[alice] " : "[bob] ") + "line " + said, alice, bob);
                        said++;
                    }
                    trickling.get(); // rethrows a failed write
                    assertTrue(server.isAlive(), server::toString);
                } finally {
                    for (SocketChannel c : tricklers) {
                        // Reset, as the kernel would anyway: each has unread lines of the room in its
                        // receive buffer. A clean EOF would instead make the server deliver every
                        // unfinished line to the room, which is another test's scenario.
                        c.setOption(StandardSocketOptions.SO_LINGER, 0);
                        c.close();
                    }
                    threads.shutdownNow();
                    assertTrue(threads.awaitTermination(JavaProcess.DEADLINE.toMillis(), TimeUnit.MILLISECONDS));
                }
            }

            Await.until("a stats line with connections=0", () -> {
                List<StatsLine> lines = StatsLine.in(server.stdout());
                return lines.get(lines.size() - 1).count("connections") == 0;
            });
            List<StatsLine> lines = StatsLine.in(server.stdout());
            for (StatsLine line : lines) {
                assertTrue(line.count("held_bytes") < line.count("budget"), () -> line + "\n" + server);
            }
            // Everyone left on their own; no one was closed by the server (memory, slow consumer, ...).
            Matcher closes = Pattern.compile("closes\\[(.*)]").matcher(lines.get(lines.size() - 1).toString());
            assertTrue(closes.find());
            long closed = 0;
            for (String entry : closes.group(1).split(", ")) {
                String[] kv = entry.split("=");
                assertTrue(NORMAL_CLOSES.contains(kv[0]), () -> entry + "\n" + server);
                closed += Long.parseLong(kv[1]);
            }
            assertEquals(TRICKLERS + 2, closed, server::toString);

            server.terminate();
            assertEquals(0, server.awaitExit(), server::toString);
            server.assertNoStackTrace();
            // Every trickled byte was read (and held as an unfinished line, never relayed: the two
            // members heard only each other), as was every byte the two members said.
            Matcher bytesIn = Pattern.compile("(?m)^summary: .* bytes_in=(\\d+) ").matcher(server.stdout());
            assertTrue(bytesIn.find(), server::toString);
            assertEquals((long) TRICKLERS * ROUNDS + talked, Long.parseLong(bytesIn.group(1)), server::toString);
        }
    }

    /** Opens {@link #TRICKLERS} connections, {@link #OPENERS} at a time. */
    private static void open(int port, List<SocketChannel> into, ExecutorService threads) throws Exception {
        InetSocketAddress server = new InetSocketAddress(JavaProcess.LOOPBACK, port);
        List<Future<?>> openers = new ArrayList<>();
        for (int t = 0; t < OPENERS; t++) {
            openers.add(threads.submit(() -> {
                for (int i = 0; i < TRICKLERS / OPENERS; i++) {
                    SocketChannel channel = SocketChannel.open();
                    into.add(channel); // before connecting, so that it is closed whatever happens
                    channel.socket().connect(server, 10_000);
                }
                return null;
            }));
        }
        // Every opener is waited for, even after one failed, so that none still adds to the list
        // while the caller closes what it holds.
        Exception failure = null;
        for (Future<?> opener : openers) {
            try {
                opener.get(JavaProcess.DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                opener.cancel(true);
                failure = failure == null ? e : failure;
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** One byte on every connection, once a second, never a {@code \n}. */
    private static void trickle(List<SocketChannel> tricklers) throws IOException, InterruptedException {
        ByteBuffer one = ByteBuffer.allocate(1);
        long start = System.nanoTime();
        for (int round = 0; round < ROUNDS; round++) {
            for (SocketChannel c : tricklers) {
                one.clear();
                one.put((byte) ('a' + round)).flip();
                c.write(one);
            }
            // The pace of the scenario, not a wait for anything: the next byte is due a second
            // after the round began.
            long next = start + TimeUnit.SECONDS.toNanos(round + 1);
            TimeUnit.NANOSECONDS.sleep(Math.max(0, next - System.nanoTime()));
        }
    }

    /**
     * {@code speaker} says {@code text}; both members hear exactly that line next, promptly (a
     * trickler's byte relayed to them would show as a mismatch). Returns the bytes said.
     */
    private static int say(TestClient speaker, String text, TestClient... room) throws IOException {
        byte[] line = (text + "\n").getBytes(StandardCharsets.UTF_8);
        speaker.write(line);
        for (TestClient member : room) {
            assertArrayEquals(line, member.readExactly(line.length), text);
        }
        return line.length;
    }
}
