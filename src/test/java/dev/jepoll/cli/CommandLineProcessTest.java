package dev.jepoll.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jepoll.testsupport.JavaProcess;
import dev.jepoll.testsupport.TestClient;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The server as a separate process: the selector provider is chosen once per JVM, so
 * {@code --selector poll} and a JVM forced to another provider need a JVM of their own.
 */
class CommandLineProcessTest {
    private static final String FORCE_POLL = "-Djava.nio.channels.spi.SelectorProvider=sun.nio.ch.PollSelectorProvider";

    @Test
    void pollIsSelectedOnRequestAndServes() throws Exception {
        try (JavaProcess server = JavaProcess.server(List.of(), "--port", "0", "--bind", "127.0.0.1",
                "--selector", "poll")) {
            int port = server.awaitPort();
            assertTrue(server.stdout().contains("sun.nio.ch.PollSelectorProvider -> sun.nio.ch.PollSelectorImpl"),
                    server.stdout());
            echoOnce(port);
            server.terminate();
            assertEquals(0, server.awaitExit());
        }
    }

    @Test
    void epollAskedForExplicitlyButForcedAwayRefusesToStart() throws Exception {
        try (JavaProcess server = JavaProcess.server(List.of(FORCE_POLL), "--port", "0", "--selector", "epoll")) {
            assertEquals(1, server.awaitExit());
            String err = server.stderr();
            assertTrue(err.startsWith("jepoll: error: epoll was asked for, but sun.nio.ch.PollSelectorProvider is in use"
                    + ": the JVM was started with -Djava.nio.channels.spi.SelectorProvider="), err);
            assertEquals(1, err.lines().count(), err);
        }
    }

    @Test
    void epollByDefaultButForcedAwayWarnsAndRunsOnWhatIsThere() throws Exception {
        try (JavaProcess server = JavaProcess.server(List.of(FORCE_POLL), "--port", "0", "--bind", "127.0.0.1")) {
            int port = server.awaitPort();
            assertTrue(server.stdout().contains("-> sun.nio.ch.PollSelectorImpl"), server.stdout());
            server.awaitStderr("jepoll: warning: epoll was asked for, but sun.nio.ch.PollSelectorProvider is in use");
            echoOnce(port);
            server.terminate();
            assertEquals(0, server.awaitExit());
        }
    }

    @Test
    void sigtermFlushesClosesPrintsTheSummaryAndExitsZero() throws Exception {
        try (JavaProcess server = JavaProcess.server(List.of(), "--port", "0", "--bind", "127.0.0.1")) {
            int port = server.awaitPort();
            try (TestClient client = TestClient.connect(port)) {
                client.write(new byte[] {7});
                assertArrayEquals(new byte[] {7}, client.readExactly(1));
                server.terminate();
                assertTrue(client.closedByPeerWithin(20_000), "the server closes its connections");
            }
            assertEquals(0, server.awaitExit());
            assertTrue(server.stdout().contains("summary: wakeups="), server.stdout() + "\nSTDERR:" + server.stderr());
            assertTrue(server.stdout().contains("closes[shutdown=1]"), server.stdout());
            server.assertNoStackTrace();
        }
    }

    @Test
    void levelTraceShowsOneWakeupPerFourByteRead() throws Exception {
        try (JavaProcess server = JavaProcess.server(List.of(), "--port", "0", "--bind", "127.0.0.1",
                "--mode", "level", "--buffer", "4", "--trace", "--loops", "1")) {
            int port = server.awaitPort();
            try (TestClient client = TestClient.connect(port)) {
                server.awaitStdout("connected client : 1\n");
                client.write("Hello World\n".getBytes(StandardCharsets.US_ASCII));
                client.readExactly(12);
            }
            server.awaitStdout("closed client : 1\n");
            String out = server.stdout();
            String afterConnect = out.substring(out.indexOf("connected client : 1\n"), out.indexOf("closed client : 1\n"));
            // 3 wakeups for the 12 bytes, then 1 for the client's EOF
            assertEquals(4, afterConnect.split("return epoll_wait", -1).length - 1, out);
            server.terminate();
            assertEquals(0, server.awaitExit());
        }
    }

    private static void echoOnce(int port) throws Exception {
        try (TestClient client = TestClient.connect(port)) {
            client.write("hi\n".getBytes(StandardCharsets.US_ASCII));
            assertArrayEquals("hi\n".getBytes(StandardCharsets.US_ASCII), client.readExactly(3));
        }
    }
}
