package dev.jepoll.clients;

import static dev.jepoll.testsupport.JavaProcess.LOOPBACK;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.jepoll.testsupport.JavaProcess;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** What both clients say when they cannot start: one line on stderr and an exit status, never a trace. */
class ClientCommandLineProcessTest {

    static Stream<Arguments> wrongArguments() {
        // The argument checks come before any connection, so no port here is ever connected to.
        return Stream.of(
                arguments(EchoClient.class, EchoClient.USAGE, List.of()),
                arguments(EchoClient.class, EchoClient.USAGE, List.of(LOOPBACK)),
                arguments(EchoClient.class, EchoClient.USAGE, List.of(LOOPBACK, "9190", "extra")),
                arguments(EchoClient.class, EchoClient.USAGE, List.of(LOOPBACK, "port")),
                arguments(EchoClient.class, EchoClient.USAGE, List.of(LOOPBACK, "0")),
                arguments(EchoClient.class, EchoClient.USAGE, List.of(LOOPBACK, "65536")),
                arguments(EchoClient.class, EchoClient.USAGE, List.of(LOOPBACK, "9190", "0")),
                arguments(EchoClient.class, EchoClient.USAGE, List.of(LOOPBACK, "9190", "-5")),
                arguments(EchoClient.class, EchoClient.USAGE, List.of(LOOPBACK, "9190", "1.5")),
                arguments(EchoClient.class, EchoClient.USAGE, List.of(LOOPBACK, "9190", "86401")),
                arguments(EchoClient.class, EchoClient.USAGE, List.of(LOOPBACK, "9190", "10", "extra")),
                arguments(ChatClient.class, ChatClient.USAGE, List.of()),
                arguments(ChatClient.class, ChatClient.USAGE, List.of(LOOPBACK, "9190")),
                arguments(ChatClient.class, ChatClient.USAGE, List.of(LOOPBACK, "-1", "user1")),
                arguments(ChatClient.class, ChatClient.USAGE, List.of(LOOPBACK, "99999", "user1")),
                arguments(RawClient.class, RawClient.USAGE, List.of(LOOPBACK)),
                arguments(RawClient.class, RawClient.USAGE, List.of(LOOPBACK, "9190", "extra")));
    }

    @ParameterizedTest(name = "{0} {2}")
    @MethodSource("wrongArguments")
    void printsTheUsageAndExitsWithTwo(Class<?> client, String usage, List<String> args) throws Exception {
        try (JavaProcess process = JavaProcess.client(client, args.toArray(String[]::new))) {
            assertEquals(2, process.awaitExit(), process::toString);
            String stderr = process.stderr().strip();
            boolean portProblem = args.size() >= 2 && !args.get(1).matches("[1-9][0-9]{0,3}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5]");
            assertEquals(portProblem ? "port must be 1..65535, got '" + args.get(1) + "'\n" + usage : usage, stderr);
            assertEquals("", process.stdout());
        }
    }

    @ParameterizedTest
    @ValueSource(classes = {EchoClient.class, ChatClient.class, RawClient.class})
    void reportsAnUnreachableServerInOneLine(Class<?> client) throws Exception {
        int port = portNobodyListensOn();
        List<String> args = new ArrayList<>(List.of(LOOPBACK, String.valueOf(port)));
        if (client == ChatClient.class) {
            args.add("user1");
        }
        try (JavaProcess process = JavaProcess.client(client, args.toArray(String[]::new))) {
            assertEquals(1, process.awaitExit(), process::toString);
            String stderr = process.stderr();
            assertTrue(stderr.startsWith("cannot connect to " + LOOPBACK + ":" + port + ": "), process::toString);
            assertEquals(1, stderr.lines().count(), process::toString);
            assertEquals("", process.stdout());
            process.assertNoStackTrace();
        }
    }

    /** A port that was just free: bound by the system, then released. */
    private static int portNobodyListensOn() throws IOException {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(LOOPBACK, 0));
            return socket.getLocalPort();
        }
    }
}
