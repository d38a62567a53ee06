package dev.jepoll.clients;

import static dev.jepoll.testsupport.JavaProcess.LOOPBACK;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jepoll.echo.EchoProtocol;
import dev.jepoll.reactor.Counter;
import dev.jepoll.reactor.SelectorKind;
import dev.jepoll.reactor.Server;
import dev.jepoll.reactor.ServerConfig;
import dev.jepoll.reactor.TriggerMode;
import dev.jepoll.testsupport.Await;
import dev.jepoll.testsupport.Backends;
import dev.jepoll.testsupport.JavaProcess;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The raw client prints what arrives as it arrives, which is what the chapter's stranded-bytes
 * demonstration needs: the echo client waits for the whole echo and cannot show a part of one.
 */
class RawClientProcessTest {

    /** {@code make demo-et-stranded} with {@code make run-client CLIENT=raw}: only "Hell" comes back, then "o Wo". */
    @Test
    void showsTheStrandedDemoAsTheReadmeTellsIt() throws Exception {
        Backends.assumeRuns(SelectorKind.NATIVE);
        ServerConfig stranded = ServerConfig.builder().port(0).loops(1).mode(TriggerMode.EDGE).bufferSize(4)
                .selector(SelectorKind.NATIVE, true).edgeReadOnce(true).build();
        try (Server server = Server.start(stranded, new EchoProtocol());
                JavaProcess client = JavaProcess.client(RawClient.class, LOOPBACK, String.valueOf(server.port()))) {
            client.awaitStderr(ClientSupport.CONNECTED_TO);
            client.type("Hello World\n");
            client.awaitStdout("Hell");
            // The server read 4 of 12 bytes and, under EPOLLET with one read per edge, no more:
            // what the client shows is all there is until it sends again.
            Await.until("8 bytes left unread", () -> server.counters().get(Counter.PEAK_BYTES_LEFT_UNREAD) == 8);
            assertEquals(4, server.counters().get(Counter.BYTES_IN));
            assertEquals("Hell", client.stdout());

            client.type("!\n"); // a new arrival, a new edge, one more 4-byte read
            client.awaitStdout("Hello Wo");
            assertTrue(client.isAlive(), client::toString);
        }
    }

    @Test
    void printsAWholeEchoAndEndsCleanlyAtTheEndOfInput() throws Exception {
        try (Server server = Server.start(ServerConfig.builder().port(0).build(), new EchoProtocol());
                JavaProcess client = JavaProcess.client(RawClient.class, LOOPBACK, String.valueOf(server.port()))) {
            client.type("Hello World\n안녕\n");
            client.awaitStdout("Hello World\n안녕\n");
            client.endInput();
            assertEquals(0, client.awaitExit(), client::toString);
            assertEquals("Hello World\n안녕\n", client.stdout());
            assertEquals(ClientSupport.CONNECTED_TO + LOOPBACK + ":" + server.port() + "\n", client.stderr());
        }
    }

    /** A piece without a newline is shown before the rest arrives; the server going away ends the line and the client. */
    @Test
    void showsAPieceAtOnceAndReportsTheServerClosing() throws Exception {
        try (ServerSocket listener = new ServerSocket()) {
            listener.bind(new InetSocketAddress(LOOPBACK, 0));
            listener.setSoTimeout((int) Await.DEFAULT.toMillis());
            try (JavaProcess client = JavaProcess.client(RawClient.class, LOOPBACK,
                    String.valueOf(listener.getLocalPort()))) {
                try (Socket accepted = listener.accept()) {
                    accepted.getOutputStream().write("Hell\u001b[2J".getBytes(StandardCharsets.UTF_8));
                    client.awaitStdout("Hell\uFFFD[2J");
                    assertTrue(client.isAlive(), client::toString);
                }
                assertEquals(1, client.awaitExit(), client::toString);
                assertEquals("Hell\uFFFD[2J\n", client.stdout());
                assertTrue(client.stderr().endsWith(ClientSupport.SERVER_CLOSED + "\n"), client::toString);
                client.assertNoStackTrace();
            }
        }
    }

    @Test
    void namesABadPortAndShowsTheUsage() throws IOException, InterruptedException {
        try (JavaProcess client = JavaProcess.client(RawClient.class, LOOPBACK, "99999")) {
            assertEquals(2, client.awaitExit(), client::toString);
            assertEquals("port must be 1..65535, got '99999'\n" + RawClient.USAGE, client.stderr().strip());
        }
    }
}
