package dev.jepoll.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jepoll.reactor.SelectorKind;
import dev.jepoll.testsupport.Backends;
import dev.jepoll.testsupport.JavaProcess;
import dev.jepoll.testsupport.StraceLog;
import dev.jepoll.testsupport.TestClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The server's descriptors from the kernel's side, under {@code strace -f -e trace=desc,network}:
 * a chat server on two loops (one of which has no client when it stops, as the loop that once
 * closed its eventfd while another still woke it), clients that talk, leave, reset, and one
 * still talking when SIGTERM comes. From start to exit no call fails with {@code EBADF}, none
 * touches a descriptor after it was closed, none is closed twice, and every socket, epoll
 * instance and eventfd made is closed before the process ends.
 */
class DescriptorLifecycleProcessTest {
    private static boolean straceRuns() {
        try {
            Process p = new ProcessBuilder("strace", "-V").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor() == 0;
        } catch (Exception e) {
            return false;
        }
    }

    @ParameterizedTest
    @MethodSource("dev.jepoll.testsupport.Backends#all")
    void everyDescriptorIsUsedWhileOpenAndClosedOnce(SelectorKind backend) throws Exception {
        Backends.assumeRuns(backend);
        boolean strace = straceRuns();
        if (!strace) {
            System.err.println("jepoll tests: the strace lifecycle test is skipped: install strace (apt-get install strace)");
        }
        assumeTrue(strace, "strace is not installed");
        Path trace = Files.createTempFile("jepoll-strace", ".txt");
        try {
            List<String> wrapper = List.of("strace", "-f", "-qq", "-e", "trace=desc,network", "-o", trace.toString());
            try (JavaProcess server = JavaProcess.start(null, wrapper, List.of(), JavaProcess.serverClasses(),
                    "dev.jepoll.cli.Main", "--port", "0", "--app", "chat", "--loops", "2", "--grace", "1",
                    "--selector", backend.name().toLowerCase(Locale.ROOT))) {
                int port = server.awaitPort();
                List<TestClient> clients = new ArrayList<>();
                for (int i = 0; i < 4; i++) {
                    clients.add(TestClient.connect(port));
                }
                byte[] hello = "[a] hello\n".getBytes(StandardCharsets.US_ASCII);
                clients.get(0).write(hello);
                for (TestClient c : clients) {
                    c.readExactly(hello.length);
                }
                clients.get(1).reset();          // abrupt
                clients.get(2).shutdownOutput(); // clean: the server closes after what it owes
                clients.get(2).readToEof();
                clients.get(2).close();
                // Two clients are left, and one of them talks through the SIGTERM: its lines are still
                // being fanned out to the other loop as the loops stop.
                TestClient talker = clients.get(3);
                Thread talking = new Thread(() -> {
                    try {
                        for (int i = 0; i < 100_000; i++) {
                            talker.write(("[t] still talking " + i + "\n").getBytes(StandardCharsets.US_ASCII));
                        }
                    } catch (java.io.IOException e) {
                        // the server closed it: the point of the exercise
                    }
                }, "talker");
                talking.start();
                talker.readExactly(16);
                server.terminateJava();
                assertEquals(0, server.awaitExit(), server.toString());
                talker.close();
                talking.join(10_000);
                clients.get(0).close();
            }
            StraceLog log = StraceLog.read(trace);
            assertTrue(log.lines() > 100, "strace saw the server: " + log.lines() + " lines");
            assertEquals(List.of(), log.problems());
            assertEquals(java.util.Map.of(), log.networkDescriptorsLeftOpen(), "sockets, epoll fds and eventfds left open");
        } finally {
            Files.deleteIfExists(trace);
        }
    }
}
