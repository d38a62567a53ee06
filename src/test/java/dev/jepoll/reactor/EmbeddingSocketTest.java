package dev.jepoll.reactor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jepoll.chat.ChatConfig;
import dev.jepoll.chat.ChatProtocol;
import dev.jepoll.testsupport.Await;
import dev.jepoll.testsupport.Backends;
import dev.jepoll.testsupport.TestClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A server embedded in a longer-lived program, started and stopped again and again in one JVM:
 * each stop ends its threads, gives back everything it held against its budget, and closes every
 * socket, epoll instance and eventfd it opened, so that the hundredth start finds the process as
 * the first did.
 */
class EmbeddingSocketTest {
    private static final int ROUNDS = 25;

    @ParameterizedTest
    @MethodSource("dev.jepoll.testsupport.Backends#all")
    void startingAndStoppingAgainAndAgainLeavesNothingBehind(SelectorKind backend) throws Exception {
        Backends.assumeRuns(backend);
        round(backend); // the JDK's own lazily made descriptors exist after the first
        Set<String> before = dev.jepoll.testsupport.OpenDescriptors.ofThisProcess();
        for (int i = 0; i < ROUNDS; i++) {
            round(backend);
        }
        Await.until("descriptors as before", () -> before.containsAll(dev.jepoll.testsupport.OpenDescriptors.ofThisProcess()));
        assertEquals(0, Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("jepoll-loop") && t.isAlive()).count(), "loop threads left");
    }

    private static void round(SelectorKind backend) throws Exception {
        Server server = Server.start(ServerConfig.builder().port(0).loops(2).selector(backend, true).jmx(true)
                .log(line -> { }).build(), new ChatProtocol(ChatConfig.defaults()));
        try (TestClient a = TestClient.connect(server.port()); TestClient b = TestClient.connect(server.port())) {
            Await.until("both in the room", () -> server.counters().get(Counter.ACCEPTS) == 2);
            byte[] line = "[a] hi\n".getBytes(StandardCharsets.US_ASCII);
            a.write(line);
            a.readExactly(line.length);
            b.readExactly(line.length);
        } finally {
            server.shutdown(Duration.ofSeconds(1));
        }
        assertTrue(server.awaitTermination(Duration.ofSeconds(10)));
        assertEquals(0, server.heldBytes(), "held after stop");
        Await.until("the MXBean is unregistered", () -> server.mbeanName() == null || !isRegistered(server));
    }

    private static boolean isRegistered(Server server) {
        return java.lang.management.ManagementFactory.getPlatformMBeanServer().isRegistered(server.mbeanName());
    }

}
