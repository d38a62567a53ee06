package dev.jepoll.reactor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jepoll.chat.ChatConfig;
import dev.jepoll.chat.ChatProtocol;
import dev.jepoll.testsupport.Await;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * What a server says about itself to an embedding application, the command line and JMX, while
 * it runs and once it has stopped: one server, one client, every accessor.
 */
class ServerAccessorsSocketTest {
    @Test
    void aRunningServerAnswersForItselfAndAStoppedOneSaysSo() throws Exception {
        ServerConfig config = ServerConfig.builder().port(0).bindAddress(InetAddress.getLoopbackAddress()).loops(2)
                .memoryBudget(1024 * 1024).jmx(true).log(line -> { }).build();
        Server server = Server.start(config, new ChatProtocol(ChatConfig.defaults()));
        javax.management.ObjectName bean = null;
        try {
            assertEquals(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.port()), server.address());
            assertEquals(2, server.loopCount());
            assertEquals(2, server.loopCounters().size());
            assertEquals(1024 * 1024, server.memoryBudget());
            assertNull(server.failure());
            assertNotNull(server.mbeanName());
            assertTrue(ManagementFactory.getPlatformMBeanServer().isRegistered(server.mbeanName()));
            bean = server.mbeanName();
            assertFalse(server.awaitAnyLoopEnd(Duration.ofMillis(20)), "no loop has ended");
            assertFalse(server.isTerminated());
            long heldIdle = server.heldBytes();
            try (Socket client = new Socket()) {
                client.connect(server.address(), 10_000);
                Await.until("one connection, on one loop",
                        () -> Arrays.stream(server.connectionsPerLoop()).sum() == 1);
                assertEquals(2, server.connectionsPerLoop().length);
                OutputStream out = client.getOutputStream();
                out.write("a line not yet ended".getBytes(StandardCharsets.US_ASCII)); // held by the room until its \n
                out.flush();
                Await.until("the partial line counted as held", () -> server.heldBytes() >= heldIdle + 20);
                long accepted = 0;
                for (Counters loop : server.loopCounters()) {
                    accepted += loop.get(Counter.ACCEPTS);
                }
                assertEquals(1, accepted, "each loop's own counters add up to the one accept");
            }
            Await.until("the connection gone", () -> Arrays.stream(server.connectionsPerLoop()).sum() == 0);
        } finally {
            server.shutdown(Duration.ofSeconds(1));
        }
        assertTrue(server.awaitTermination(Duration.ofSeconds(10)));
        assertTrue(server.isTerminated());
        assertTrue(server.awaitAnyLoopEnd(Duration.ZERO));
        assertArrayEquals(new int[] {0, 0}, server.connectionsPerLoop());
        assertEquals(0, server.heldBytes(), "a stopped server holds nothing");
        assertFalse(ManagementFactory.getPlatformMBeanServer().isRegistered(bean), "the MXBean goes with the server");
        assertNull(server.failure(), "it stopped because it was asked to");
    }
}
