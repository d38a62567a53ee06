package dev.jepoll.clients;

import static dev.jepoll.clients.HostileServer.Behaviour.CLOSES_MID_LINE;
import static dev.jepoll.clients.HostileServer.Behaviour.NEVER_ANSWERS;
import static dev.jepoll.clients.HostileServer.Behaviour.RESETS_MID_LINE;
import static dev.jepoll.clients.HostileServer.Behaviour.SENDS_ENDLESS_LINE;
import static dev.jepoll.clients.HostileServer.Behaviour.SENDS_GARBAGE;
import static dev.jepoll.testsupport.JavaProcess.LOOPBACK;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.jepoll.clients.HostileServer.Behaviour;
import dev.jepoll.testsupport.JavaProcess;
import java.io.IOException;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Both clients, run as processes, against a {@link HostileServer}: whatever it does, a client
 * ends (or goes on) with words a user can read, never a stack trace, a hang or a heap that
 * grows with what the server sends.
 */
class HostileServerProcessTest {
    private static final String PROMPT = "Input message(Q to quit): ";
    private static final String WRONG_ECHO = "the server echoed different bytes than it was sent (first difference at byte 0)";
    /** Far longer than any of these servers takes to misbehave, so only a silent one meets it. */
    private static final String PATIENT_TIMEOUT_SECONDS = "60";

    static Stream<Arguments> echoClientFailures() {
        return Stream.of(
                arguments(SENDS_GARBAGE, WRONG_ECHO),
                arguments(SENDS_ENDLESS_LINE, WRONG_ECHO),
                arguments(CLOSES_MID_LINE, ClientSupport.SERVER_CLOSED),
                arguments(RESETS_MID_LINE, ClientSupport.SERVER_CLOSED + " (Connection reset)"));
    }

    /** The echo client knows what it sent, so anything else, or less of it, is a broken server. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("echoClientFailures")
    void echoClientReportsABrokenServerInOneLine(Behaviour behaviour, String expectedError) throws Exception {
        try (HostileServer server = HostileServer.start(behaviour);
                JavaProcess client = echoClient(server.port(), PATIENT_TIMEOUT_SECONDS)) {
            client.type("hello\n"); // stdin stays open: only the server can end the client

            assertEquals(1, client.awaitExit(), client::toString);
            assertEquals(expectedError + "\n", ClientErrors.afterConnect(client), client::toString);
            assertEquals(PROMPT, client.stdout());
        }
    }

    @Test
    void echoClientGivesUpOnASilentServerAfterItsTimeout() throws Exception {
        try (HostileServer server = HostileServer.start(NEVER_ANSWERS);
                JavaProcess client = echoClient(server.port(), "1")) {
            long typed = System.nanoTime();
            client.type("hello\n");

            assertEquals(1, client.awaitExit(), client::toString);
            assertTrue(System.nanoTime() - typed >= 1_000_000_000L, "gave up before its timeout");
            assertEquals("no echo from " + LOOPBACK + ":" + server.port() + " within 1 s\n", ClientErrors.afterConnect(client));
            assertEquals(PROMPT, client.stdout());
        }
    }

    /** Sanitized, not raw: control characters and invalid UTF-8 print as U+FFFD, tab and text as they are. */
    @Test
    void chatClientPrintsGarbageSafelyAndGoesOn() throws Exception {
        String printableAscii = " !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`"
                + "abcdefghijklmnopqrstuvwxyz{|}~";
        try (HostileServer server = HostileServer.start(SENDS_GARBAGE);
                JavaProcess client = chatClient(server.port(), List.of())) {
            client.type("hello\n");
            client.awaitStdout(printableAscii + BoundedLineReader.REPLACEMENT);
            client.type("q\n");

            assertEquals(0, client.awaitExit(), client::toString);
            String stdout = client.stdout();
            assertEquals(2, stdout.lines().count(), client::toString); // the garbage holds one \n, then ends with one
            assertTrue(stdout.contains("\t"), client::toString);
            assertFalse(stdout.chars().anyMatch(c -> Character.isISOControl(c) && c != '\t' && c != '\n'),
                    () -> "a control character reached the terminal: " + client);
            assertEquals("", ClientErrors.afterConnect(client));
        }
    }

    /**
     * In a 32 MB heap a 10 MB line without a newline costs the client 64 KiB: it prints the line
     * cut there as soon as it has that much, drops the rest, and quits when asked.
     */
    @Test
    void chatClientCutsAnEndlessLineInASmallHeap() throws Exception {
        try (HostileServer server = HostileServer.start(SENDS_ENDLESS_LINE);
                JavaProcess client = chatClient(server.port(), List.of("-Xmx32m"))) {
            client.type("hello\n");
            client.awaitStdout(BoundedLineReader.CUT_MARKER); // while the server still holds the line open
            client.type("q\n");

            assertEquals(0, client.awaitExit(), client::toString);
            String expected = "x".repeat(BoundedLineReader.MAX_LINE_BYTES) + BoundedLineReader.CUT_MARKER + "\n";
            assertTrue(expected.equals(client.stdout()), client::toString); // assertEquals would print 64 KiB twice
            assertEquals("", ClientErrors.afterConnect(client)); // no OutOfMemoryError
        }
    }

    @Test
    void chatClientPrintsThePartialLastLineWhenTheServerCloses() throws Exception {
        try (HostileServer server = HostileServer.start(CLOSES_MID_LINE);
                JavaProcess client = chatClient(server.port(), List.of())) {
            client.type("hello there\n"); // sent as "[user1] hello there\n", half of it comes back

            assertEquals(1, client.awaitExit(), client::toString);
            assertEquals("[user1] he\n", client.stdout());
            assertEquals(ClientSupport.SERVER_CLOSED + "\n", ClientErrors.afterConnect(client));
        }
    }

    @Test
    void chatClientPrintsThePartialLastLineAndReportsAReset() throws Exception {
        try (HostileServer server = HostileServer.start(RESETS_MID_LINE);
                JavaProcess client = chatClient(server.port(), List.of())) {
            client.type("hello there\n");

            assertEquals(1, client.awaitExit(), client::toString);
            assertEquals("[user1] he\n", client.stdout());
            assertEquals(ClientSupport.SERVER_CLOSED + " (Connection reset)\n", ClientErrors.afterConnect(client));
        }
    }

    /** Silence is normal in a chat; quitting still ends the client, the server's close or not. */
    @Test
    void chatClientQuitsASilentServerThatNeverCloses() throws Exception {
        try (HostileServer server = HostileServer.start(NEVER_ANSWERS);
                JavaProcess client = chatClient(server.port(), List.of())) {
            client.type("hello\nq\n");

            assertEquals(0, client.awaitExit(), client::toString);
            assertEquals("", client.stdout());
            assertEquals("", ClientErrors.afterConnect(client));
        }
    }

    private static JavaProcess echoClient(int port, String timeoutSeconds) throws IOException {
        return JavaProcess.client(EchoClient.class, LOOPBACK, String.valueOf(port), timeoutSeconds);
    }

    private static JavaProcess chatClient(int port, List<String> jvmOptions) throws IOException {
        String classes = Objects.requireNonNull(System.getProperty("jepoll.test-classes"),
                "jepoll.test-classes is not set; run the tests through Maven (surefire sets it)");
        return JavaProcess.start(null, jvmOptions, classes, ChatClient.class.getName(),
                LOOPBACK, String.valueOf(port), "user1");
    }
}
