package dev.jepoll.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jepoll.testsupport.Await;
import dev.jepoll.testsupport.JavaProcess;
import dev.jepoll.testsupport.ServerJar;
import dev.jepoll.testsupport.StatsLine;
import dev.jepoll.testsupport.TestClient;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server that runs out of descriptors with a thousand clients on it, not just a handful
 * (that is {@link TooManyOpenFilesProcessTest}): under {@code ulimit -n 1024} the test makes
 * 1,200 connections, which the kernel completes into the listen backlog whether or not the
 * server can accept them. The server is held to the chapter's fix for an ignored {@code EMFILE}:
 * <ul>
 * <li>the clients it did accept are served, before and while it is at the cap;</li>
 * <li>the failure is logged once, not once per retry;</li>
 * <li>it does not spin on the listening socket, which stays readable the whole time (its
 *     own {@code stats:} lines count the wakeups);</li>
 * <li>once the clients go, every descriptor they cost is given back (the {@code fds=} of its
 *     stats lines) and the listener, which it kept, accepts again.</li>
 * </ul>
 */
class DescriptorCapProcessTest {
    private static final int ATTEMPTS = 1_200;
    /**
     * Wakeups a second a loop at the cap may have: the back-off retries accepting every 100 ms
     * (10 a second) and the test's few echoes add some more. A loop spinning on the readable
     * listener wakes tens of thousands of times a second even with a small share of a loaded
     * core, so 2,000 tells the two apart with a wide margin both ways.
     */
    private static final double MAX_WAKEUPS_PER_SECOND_AT_CAP = 2_000;
    /**
     * How far {@code fds=} may end above where it started. Every descriptor the load cost is a
     * socket the server must close, so the count should come back exactly; 2 leaves room only
     * for the JVM opening a file of its own for good during the run (none was seen to), never
     * for leaked connections, of which there would be hundreds.
     */
    private static final long FD_SLACK = 2;

    @Test
    void atTheCapItServesWhomItAcceptedLogsOnceDoesNotSpinAndGivesEveryDescriptorBack(@TempDir Path dir)
            throws Exception {
        Path jar = ServerJar.build(dir);
        try (JavaProcess server = JavaProcess.start("ulimit -n 1024", List.of(), jar.toString(), "dev.jepoll.cli.Main",
                "--port", "0", "--bind", "127.0.0.1", "--loops", "1", "--stats", "1")) {
            int port = server.awaitPort();
            Await.until("a stats line before the load", () -> !StatsLine.in(server.stdout()).isEmpty());
            StatsLine before = StatsLine.in(server.stdout()).get(0);
            long fdsBefore = before.count("fds");
            assertEquals(0, before.count("connections"), before::toString);
            assertTrue(fdsBefore > 0, before::toString);

            List<TestClient> clients = new ArrayList<>();
            try {
                for (int i = 0; i < ATTEMPTS; i++) {
                    // Blocking connects: the kernel completes them into the backlog (1024 by default)
                    // even once the server cannot accept any more.
                    clients.add(TestClient.connect(port));
                }
                server.awaitStderr("accept failed: Too many open files");
                int atCap = StatsLine.in(server.stdout()).size();
                // The line printed next may still cover part of the connection burst; the two after
                // it cover only time at the cap (every client is held until the checks are done).
                Await.until("three stats lines at the cap", () -> StatsLine.in(server.stdout()).size() >= atCap + 3);
                List<StatsLine> capLines = StatsLine.in(server.stdout()).subList(atCap + 1, atCap + 3);
                for (StatsLine line : capLines) {
                    assertTrue(line.value("wakeups_per_s") < MAX_WAKEUPS_PER_SECOND_AT_CAP,
                            () -> "the loop spins at the cap: " + line + "\n" + server);
                }
                long accepted = capLines.get(1).count("connections");
                assertTrue(accepted > ATTEMPTS / 2 && accepted < ATTEMPTS,
                        () -> "at the cap the server holds most, not all, of the clients: " + capLines + "\n" + server);

                // The backlog is first in, first out, so the earliest clients are the accepted ones;
                // 16 short of the count leaves room for connects the kernel queued out of order.
                int[] sample = {0, 1, (int) accepted / 2, (int) accepted - 16};
                for (int i : sample) {
                    echo(clients.get(i), i);
                }
            } finally {
                for (TestClient c : clients) {
                    c.close();
                }
            }

            // Closing frees the accepted connections' descriptors; the server then accepts (and
            // closes, on their EOF) the ones that waited in the backlog, and is back where it began.
            Await.until("connections=0 and fds back to " + fdsBefore + " (+" + FD_SLACK + ")", () -> {
                List<StatsLine> lines = StatsLine.in(server.stdout());
                StatsLine last = lines.get(lines.size() - 1);
                return last.count("connections") == 0 && last.count("fds") >= 0
                        && last.count("fds") <= fdsBefore + FD_SLACK;
            });
            try (TestClient fresh = TestClient.connect(port)) {
                echo(fresh, 42); // the listener was kept and accepts again
            }

            server.terminate();
            assertEquals(0, server.awaitExit(), server::toString);
            assertEquals(1, server.stderr().lines().filter(l -> l.contains("accept failed: Too many open files")).count(),
                    server::toString);
            server.assertNoStackTrace();
        }
    }

    private static void echo(TestClient client, int value) throws IOException {
        byte[] bytes = {(byte) value, (byte) (value >> 8), 7};
        client.write(bytes);
        assertArrayEquals(bytes, client.readExactly(bytes.length));
    }
}
