package dev.jepoll.clients;

import static dev.jepoll.testsupport.JavaProcess.DEADLINE;
import static dev.jepoll.testsupport.JavaProcess.LOOPBACK;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.jepoll.chat.ChatConfig;
import dev.jepoll.chat.ChatProtocol;
import dev.jepoll.reactor.Counter;
import dev.jepoll.reactor.Server;
import dev.jepoll.reactor.ServerConfig;
import dev.jepoll.reactor.TriggerMode;
import dev.jepoll.testsupport.JavaProcess;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** {@link ChatClient} run as processes against the real chat server, in both trigger modes. */
class ChatClientProcessTest {

    @ParameterizedTest
    @EnumSource(TriggerMode.class)
    void twoClientsSeeEachOthersLinesAndQuitWithQ(TriggerMode mode) throws Exception {
        try (Server server = startChatServer(mode);
                JavaProcess user1 = startClient(server.port(), "user1");
                JavaProcess user2 = startClient(server.port(), "user2")) {
            awaitConnections(server, 2);

            user1.type("hello from user1\n");
            user2.type("안녕하세요 from user2\n");
            for (JavaProcess user : List.of(user1, user2)) { // the sender gets its own line too
                user.awaitStdout("[user1] hello from user1\n");
                user.awaitStdout("[user2] 안녕하세요 from user2\n");
            }

            user1.type("q\n");
            assertEquals(0, user1.awaitExit(), user1::toString);
            user2.type("q\n");
            assertEquals(0, user2.awaitExit(), user2::toString);
            assertEquals("", ClientErrors.afterConnect(user1));
            assertEquals("", ClientErrors.afterConnect(user2));
        }
    }

    /** Quitting half-closes: the echo of the last line still arrives and is printed before the exit. */
    @ParameterizedTest
    @EnumSource(TriggerMode.class)
    void endOfInputQuitsAfterPrintingWhatTheServerStillSends(TriggerMode mode) throws Exception {
        try (Server server = startChatServer(mode);
                JavaProcess client = startClient(server.port(), "user1")) {
            client.type("last words\n");
            client.endInput();

            assertEquals(0, client.awaitExit(), client::toString);
            assertEquals("[user1] last words\n", client.stdout());
            assertEquals("", ClientErrors.afterConnect(client));
        }
    }

    @ParameterizedTest
    @EnumSource(TriggerMode.class)
    void reportsTheServerGoingAway(TriggerMode mode) throws Exception {
        Server server = startChatServer(mode);
        try (server; JavaProcess client = startClient(server.port(), "user1")) {
            awaitConnections(server, 1);

            server.close(); // the client's stdin stays open: it has not quit

            assertEquals(1, client.awaitExit(), client::toString);
            assertTrue(ClientErrors.afterConnect(client).contains(ClientSupport.SERVER_CLOSED), client::toString);
            client.assertNoStackTrace();
        }
    }

    private static Server startChatServer(TriggerMode mode) throws IOException {
        return Server.start(ServerConfig.builder().port(0).mode(mode).build(),
                new ChatProtocol(ChatConfig.defaults()));
    }

    private static JavaProcess startClient(int port, String name) throws IOException {
        return JavaProcess.client(ChatClient.class, LOOPBACK, String.valueOf(port), name);
    }

    /**
     * Waits until the server has accepted {@code count} connections, which puts them in the
     * room: a line sent before a client joins never reaches it. The server adds a client to
     * the room on its loop thread right after counting it, before it reads anything more.
     */
    private static void awaitConnections(Server server, long count) throws InterruptedException {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (server.counters().get(Counter.ACCEPTS) < count) {
            if (System.nanoTime() - deadline > 0) {
                fail("the server did not accept " + count + " connections within " + DEADLINE);
            }
            Thread.sleep(10); // polling the counter; the deadline above bounds it
        }
    }
}
