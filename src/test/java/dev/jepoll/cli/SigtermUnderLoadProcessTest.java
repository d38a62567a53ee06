package dev.jepoll.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jepoll.testsupport.Await;
import dev.jepoll.testsupport.JavaProcess;
import dev.jepoll.testsupport.ProcNetTcp;
import dev.jepoll.testsupport.TestClient;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * SIGTERM while 200 clients are each owed hundreds of KiB: the grace period is a promise to
 * every client that reads, and an honest account of every client that does not.
 *
 * <p>Each client has a small receive buffer and sends 512 KiB without reading, below the
 * 1 MiB high watermark, so the server reads all of it and owes it all back, nearly all of it
 * queued in the server because the kernel's buffers on the way (a 16 KiB send buffer, an
 * 8 KiB receive buffer) hold only tens of KiB. Then SIGTERM. Half the clients read until EOF:
 * each must get its own bytes back, every one of them, in order, then a clean EOF (not a
 * reset), within the 3-second grace. The other half never read: each is still owed far more
 * than the kernel can hold for it, so each must be cut when the grace ends, and the
 * {@code dropped:} line must name exactly those 100 clients, no reader among them. The
 * process exits 0, not before the grace is over (non-readers were still owed bytes) and not
 * long after.
 */
class SigtermUnderLoadProcessTest {
    private static final int CLIENTS = 200;
    private static final int PAYLOAD = 512 * 1024;
    private static final int RECEIVE_BUFFER = 8 * 1024;
    /** What the brief's law asks at the least of every client: far more than kernel buffers hold. */
    private static final int MIN_OWED = 256 * 1024;
    private static final int GRACE_SECONDS = 3;
    /**
     * How long after the grace the process may take to exit: the server waits at most 5 s for
     * its loops past the grace (Server.shutdown), then prints and exits; a pass takes well under 1 s.
     */
    private static final long EXIT_SLACK_MILLIS = 7_000;
    private static final Pattern DROPPED = Pattern.compile("(?m)^dropped: (\\d+) bytes owed to (\\d+) clients ");

    @Test
    void readersGetEverythingTheyAreOwedNonReadersAreCountedAndTheProcessExitsZero() throws Exception {
        try (JavaProcess server = JavaProcess.server(List.of(), "--port", "0", "--bind", "127.0.0.1",
                "--app", "echo", "--grace", String.valueOf(GRACE_SECONDS), "--high-watermark", "1m",
                "--send-buffer", "16k", "--loops", "2", "--stats", "0")) {
            int port = server.awaitPort();
            List<TestClient> clients = new ArrayList<>();
            ThreadPoolExecutor readers = (ThreadPoolExecutor) Executors.newFixedThreadPool(CLIENTS / 2);
            readers.prestartAllCoreThreads(); // ready before the signal, so reading starts right after it
            try {
                for (int i = 0; i < CLIENTS; i++) {
                    clients.add(TestClient.connect(port, RECEIVE_BUFFER));
                }
                for (int i = 0; i < CLIENTS; i++) {
                    // One after the other: 512 KiB is under the watermark, so the server reads it
                    // all whether or not the client ever reads its echo.
                    clients.get(i).write(payload(i));
                }
                awaitServerReadEverything(port, clients);

                long signalled = System.nanoTime();
                server.terminate();
                List<Future<String>> verdicts = new ArrayList<>();
                for (int i = 0; i < CLIENTS; i++) {
                    if (reads(i)) {
                        int index = i;
                        verdicts.add(readers.submit(() -> readEverything(clients.get(index), index)));
                    }
                }
                for (Future<String> verdict : verdicts) {
                    assertNull(verdict.get(JavaProcess.DEADLINE.toMillis(), TimeUnit.MILLISECONDS), server::toString);
                }

                assertEquals(0, server.awaitExit(), server::toString);
                long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - signalled);
                // The non-readers were owed bytes to the end, so the grace ran out in full first
                // (a little tolerance for the timer's granularity).
                assertTrue(tookMillis >= GRACE_SECONDS * 1000L - 500, () -> "exited after " + tookMillis + " ms\n" + server);
                assertTrue(tookMillis <= GRACE_SECONDS * 1000L + EXIT_SLACK_MILLIS,
                        () -> "exited after " + tookMillis + " ms\n" + server);
            } finally {
                readers.shutdownNow();
                readers.awaitTermination(JavaProcess.DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
                for (TestClient c : clients) {
                    c.close();
                }
            }

            String out = server.stdout();
            Matcher dropped = DROPPED.matcher(out);
            assertTrue(dropped.find(), () -> "no dropped: line\n" + server);
            long droppedBytes = Long.parseLong(dropped.group(1));
            assertEquals(CLIENTS / 2, Integer.parseInt(dropped.group(2)), () -> "exactly the non-readers\n" + server);
            // Each non-reader was owed its 512 KiB; what the kernel had taken for it was not dropped.
            assertTrue(droppedBytes >= (long) CLIENTS / 2 * MIN_OWED && droppedBytes <= (long) CLIENTS / 2 * PAYLOAD,
                    () -> droppedBytes + " bytes dropped\n" + server);
            Map<String, Long> summary = summary(out);
            assertEquals((long) CLIENTS * PAYLOAD, summary.get("bytes_in"), out);
            // Echo's books balance: every byte read was either written to a socket or dropped at the cut.
            assertEquals(summary.get("bytes_in"), summary.get("bytes_out") + summary.get("bytes_dropped"), out);
            assertEquals(CLIENTS / 2, summary.get("closes_dropping_bytes"), out);
            server.assertNoStackTrace();
        }
    }

    /**
     * Until, for every client, the server's side of the connection has nothing left unread and
     * the client's side nothing unacknowledged: then the server has read all 512 KiB, and owes
     * them all. (A client's write returning proves less: its send buffer may hold megabytes.)
     */
    private static void awaitServerReadEverything(int port, List<TestClient> clients) {
        Await.until("the server has read every byte of every client", () -> {
            Map<Integer, ProcNetTcp.Row> clientSide = new HashMap<>();
            Map<Integer, ProcNetTcp.Row> serverSide = new HashMap<>();
            try {
                for (ProcNetTcp.Row row : ProcNetTcp.rows()) {
                    if (row.remotePort() == port) {
                        clientSide.put(row.localPort(), row);
                    } else if (row.localPort() == port && row.state() != ProcNetTcp.LISTEN) {
                        serverSide.put(row.remotePort(), row);
                    }
                }
            } catch (IOException e) {
                throw new AssertionError(e);
            }
            for (TestClient c : clients) {
                int local = c.socket().getLocalPort();
                ProcNetTcp.Row mine = clientSide.get(local);
                ProcNetTcp.Row theirs = serverSide.get(local);
                if (mine == null || theirs == null || mine.txQueue() != 0 || theirs.rxQueue() != 0) {
                    return false;
                }
            }
            return true;
        });
    }

    /** Null if client {@code index} got exactly its payload back and then a clean EOF; else what went wrong. */
    private static String readEverything(TestClient client, int index) {
        byte[] expected = payload(index);
        byte[] buf = new byte[64 * 1024];
        int got = 0;
        try {
            InputStream in = client.socket().getInputStream();
            for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
                for (int k = 0; k < n; k++) {
                    if (got + k >= PAYLOAD || buf[k] != expected[got + k]) {
                        return "client " + index + ": byte " + (got + k) + " is not what it sent";
                    }
                }
                got += n;
            }
        } catch (IOException e) {
            return "client " + index + ": " + e + " after " + got + " bytes (cut short, not a clean EOF)";
        }
        // The server had read all of it (awaitServerReadEverything), so all of it is owed.
        return got == PAYLOAD ? null : "client " + index + ": EOF after " + got + " of " + PAYLOAD + " bytes";
    }

    /**
     * Clients 0, 1, 4, 5, 8, 9, ... read; 2, 3, 6, 7, ... never do. Connections go to the two
     * loops in turn, so each loop has readers and non-readers (even/odd would put all the
     * readers on one loop and all the non-readers on the other).
     */
    private static boolean reads(int index) {
        return index % 4 < 2;
    }

    /** Client {@code index}'s bytes: its own, so that a byte delivered to the wrong client shows. */
    private static byte[] payload(int index) {
        byte[] bytes = new byte[PAYLOAD];
        new Random(index).nextBytes(bytes);
        return bytes;
    }

    private static Map<String, Long> summary(String out) {
        String line = out.lines().filter(l -> l.startsWith("summary: ")).findFirst()
                .orElseThrow(() -> new AssertionError("no summary line\n" + out));
        Map<String, Long> values = new HashMap<>();
        Matcher m = Pattern.compile("(\\w+)=(\\d+)").matcher(line.substring(0, line.indexOf(" closes[")));
        while (m.find()) {
            values.put(m.group(1), Long.parseLong(m.group(2)));
        }
        return values;
    }
}
