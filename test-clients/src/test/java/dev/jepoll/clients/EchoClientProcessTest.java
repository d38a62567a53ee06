package dev.jepoll.clients;

import static dev.jepoll.testsupport.JavaProcess.DEADLINE;
import static dev.jepoll.testsupport.JavaProcess.LOOPBACK;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jepoll.echo.EchoProtocol;
import dev.jepoll.reactor.Server;
import dev.jepoll.reactor.ServerConfig;
import dev.jepoll.reactor.TriggerMode;
import dev.jepoll.testsupport.JavaProcess;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** {@link EchoClient} run as a process, against the real echo server and against scripted stand-ins. */
class EchoClientProcessTest {
    private static final String PROMPT = "Input message(Q to quit): ";
    private static final String KOREAN = "안녕하세요, 세계";

    @ParameterizedTest
    @EnumSource(TriggerMode.class)
    void printsTheEchoOfEveryPipedLineAndExitsAtTheEndOfInput(TriggerMode mode) throws Exception {
        try (Server server = startEchoServer(mode);
                JavaProcess client = startClient(server.port())) {
            client.type("a\nb\n" + KOREAN + "\n");
            client.endInput();

            assertEquals(0, client.awaitExit(), client::toString);
            assertEquals(PROMPT + "Message from server: a\n"
                    + PROMPT + "Message from server: b\n"
                    + PROMPT + "Message from server: " + KOREAN + "\n"
                    + PROMPT + "\n", client.stdout()); // Ctrl+D's missing newline, added
            assertEquals("", ClientErrors.afterConnect(client));
        }
    }

    @ParameterizedTest
    @EnumSource(TriggerMode.class)
    void quitsOnQBeforeTheEndOfInput(TriggerMode mode) throws Exception {
        try (Server server = startEchoServer(mode);
                JavaProcess client = startClient(server.port())) {
            client.type("a\nQ\nnever sent\n"); // stdin stays open: only the Q can end the client

            assertEquals(0, client.awaitExit(), client::toString);
            assertEquals(PROMPT + "Message from server: a\n" + PROMPT, client.stdout());
            assertEquals("", ClientErrors.afterConnect(client));
        }
    }

    /**
     * Sent whole, a line this long fills the socket buffers both ways and stalls client and
     * server alike; the client sends it a piece at a time instead.
     */
    @ParameterizedTest
    @EnumSource(TriggerMode.class)
    void echoesALineTooLongForTheSocketBuffers(TriggerMode mode) throws Exception {
        String line = "x".repeat(16 * 1024 * 1024);
        try (Server server = startEchoServer(mode);
                JavaProcess client = startClient(server.port())) {
            client.type(line + "\n");
            client.endInput();

            assertEquals(0, client.awaitExit(), client::toString);
            String expected = PROMPT + "Message from server: " + line + "\n" + PROMPT + "\n";
            String stdout = client.stdout();
            // Not assertEquals: its failure message would hold the 16 MB line twice.
            assertTrue(expected.equals(stdout), () -> "expected " + expected.length() + " characters of stdout, got "
                    + stdout.length() + ", ending " + stdout.substring(Math.max(0, stdout.length() - 80)));
        }
    }

    /** The chapter's bug: one read is not one echo. Here the echo comes back a byte at a time. */
    @Test
    void waitsForTheWholeEchoWhenItArrivesInPieces() throws Exception {
        try (ScriptedServer server = ScriptedServer.start(ScriptedServer::echoByteByByte);
                JavaProcess client = startClient(server.port())) {
            client.type(KOREAN + "\n");
            client.awaitStdout("Message from server: " + KOREAN + "\n");
            client.endInput();

            assertEquals(0, client.awaitExit(), client::toString);
            assertEquals(PROMPT + "Message from server: " + KOREAN + "\n" + PROMPT + "\n", client.stdout());
        }
    }

    @Test
    void reportsAServerThatClosesBeforeTheWholeEchoIsBack() throws Exception {
        try (ScriptedServer server = ScriptedServer.start(ScriptedServer::echoHalfAndClose);
                JavaProcess client = startClient(server.port())) {
            client.type("hello\n");

            assertEquals(1, client.awaitExit(), client::toString);
            assertEquals(PROMPT, client.stdout());
            assertEquals(ClientSupport.SERVER_CLOSED, ClientErrors.afterConnect(client).strip());
            client.assertNoStackTrace();
        }
    }

    @Test
    void waitsTenSecondsForAnEchoUnlessTheThirdArgumentSaysOtherwise() throws Exception {
        assertEquals(10, EchoClient.timeoutSeconds(new String[] {LOOPBACK, "9190"}));
        assertEquals(3, EchoClient.timeoutSeconds(new String[] {LOOPBACK, "9190", "3"}));
        assertEquals(86_400, EchoClient.timeoutSeconds(new String[] {LOOPBACK, "9190", "86400"}));
    }

    private static Server startEchoServer(TriggerMode mode) throws IOException {
        return Server.start(ServerConfig.builder().port(0).mode(mode).build(), new EchoProtocol());
    }

    private static JavaProcess startClient(int port) throws IOException {
        return JavaProcess.client(EchoClient.class, LOOPBACK, String.valueOf(port));
    }

    /**
     * A one-connection stand-in for the echo server that misbehaves on purpose: it reads the
     * client's first line and answers it as its {@link Answer} says.
     */
    private static final class ScriptedServer implements AutoCloseable {
        private final ServerSocket listener;
        private final Thread thread;

        @FunctionalInterface
        interface Answer {
            void answer(byte[] line, Socket client) throws IOException;
        }

        private ScriptedServer(ServerSocket listener, Thread thread) {
            this.listener = listener;
            this.thread = thread;
        }

        static ScriptedServer start(Answer answer) throws IOException {
            ServerSocket listener = new ServerSocket();
            listener.bind(new InetSocketAddress(LOOPBACK, 0));
            listener.setSoTimeout((int) DEADLINE.toMillis());
            Thread thread = new Thread(() -> serveOne(listener, answer), "scripted-echo-server");
            thread.setDaemon(true);
            thread.start();
            return new ScriptedServer(listener, thread);
        }

        int port() {
            return listener.getLocalPort();
        }

        private static void serveOne(ServerSocket listener, Answer answer) {
            try (Socket client = listener.accept()) {
                client.setTcpNoDelay(true); // so each small write leaves as its own segment
                answer.answer(readLine(client.getInputStream()), client);
            } catch (IOException e) {
                // closed by the test, or the client left: the assertions are on what the client printed
            }
        }

        /** Writes the echo one flushed byte at a time, then stays until the client leaves. */
        static void echoByteByByte(byte[] line, Socket client) throws IOException {
            OutputStream out = client.getOutputStream();
            for (byte b : line) {
                out.write(b);
                out.flush();
            }
            awaitEndOfInput(client.getInputStream());
        }

        /** Writes half the echo and closes; the client sent nothing more, so that is a clean FIN, not a reset. */
        static void echoHalfAndClose(byte[] line, Socket client) throws IOException {
            client.getOutputStream().write(line, 0, line.length / 2);
        }

        private static byte[] readLine(InputStream in) throws IOException {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            int b;
            do {
                b = in.read();
                if (b < 0) {
                    throw new IOException("client left before sending a whole line");
                }
                line.write(b);
            } while (b != '\n');
            return line.toByteArray();
        }

        private static void awaitEndOfInput(InputStream in) throws IOException {
            while (in.read() >= 0) {
                // the client sends nothing more; this only waits for its close
            }
        }

        /** Stops listening and waits for the connection to end; the test closes its client first. */
        @Override
        public void close() throws IOException {
            listener.close();
            try {
                thread.join(DEADLINE.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
