package dev.jepoll.reactor;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jepoll.echo.EchoProtocol;
import dev.jepoll.testsupport.Await;
import dev.jepoll.testsupport.Backends;
import dev.jepoll.testsupport.Hammer;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Clients that connect before and while the server starts are served like any other, and start
 * never hangs for them: the warm-up once took the first waiting client's socket for its own and
 * then waited for ever on a socket nobody would accept.
 */
class StartupSocketTest {

    @ParameterizedTest
    @MethodSource("dev.jepoll.testsupport.Backends#all")
    void clientsConnectingThroughStartUpAreServedAndStartReturns(SelectorKind backend) throws Exception {
        Backends.assumeRuns(backend);
        int port = Hammer.freePort();
        ExecutorService starter = Executors.newSingleThreadExecutor();
        try (Hammer early = Hammer.on(port)) {
            Await.until("the client is trying to connect before anything listens", () -> early.attempts() >= 3);
            Future<Server> starting = starter.submit(() -> Server.start(ServerConfig.builder().port(port).loops(2)
                    .selector(backend, true).log(line -> { }).build(), new EchoProtocol()));
            Server server;
            try {
                server = starting.get(20, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                starting.cancel(true);
                throw new AssertionError("Server.start did not return within 20 s while a client kept connecting", e);
            }
            try {
                Await.until("clients that connected during start-up are echoed", () -> early.served() >= 5);
            } finally {
                server.shutdown(Duration.ofSeconds(1));
            }
            assertTrue(server.awaitTermination(Duration.ofSeconds(10)));
        } finally {
            starter.shutdownNow();
        }
    }
}
