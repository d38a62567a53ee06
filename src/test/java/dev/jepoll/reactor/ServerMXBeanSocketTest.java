package dev.jepoll.reactor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jepoll.echo.EchoProtocol;
import dev.jepoll.testsupport.Await;
import dev.jepoll.testsupport.TestClient;
import dev.jepoll.testsupport.TestServers;
import java.lang.management.ManagementFactory;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import javax.management.openmbean.TabularData;
import org.junit.jupiter.api.Test;

/** A running server's numbers, read the way jconsole reads them: through the platform MBean server. */
class ServerMXBeanSocketTest {
    private final MBeanServer platform = ManagementFactory.getPlatformMBeanServer();

    private long entry(TabularData table, String key) {
        CompositeData row = table.get(new Object[] {key});
        return (Long) row.get("value");
    }

    @Test
    void theCountersAreAPlatformMBeanWhileTheServerRuns() throws Exception {
        ObjectName name;
        try (var server = TestServers.start(new EchoProtocol(), TriggerMode.EDGE, b -> b.loops(2))) {
            name = server.server().mbeanName();
            assertNotNull(name);
            assertEquals("dev.jepoll", name.getDomain());
            assertEquals(String.valueOf(server.port()), name.getKeyProperty("port"));
            try (var client = TestClient.connect(server.port())) {
                client.write(new byte[] {1, 2, 3});
                client.readExactly(3);
                Await.equal("connections over JMX", 1, () -> attribute(name, "Connections"));
                assertEquals(2, (Integer) platform.getAttribute(name, "Loops"));
                TabularData counters = (TabularData) platform.getAttribute(name, "Counters");
                assertEquals(1L, entry(counters, "accepts"));
                assertEquals(3L, entry(counters, "bytes_in"));
                assertTrue((Long) platform.getAttribute(name, "MemoryBudget") > 0);
            }
            Await.equal("closes over JMX", 1L,
                    () -> entry((TabularData) attribute(name, "ClosesByReason"), "peer closed"));
        }
        assertFalse(platform.isRegistered(name), "gone with the server");
    }

    private Object attribute(ObjectName name, String attribute) {
        try {
            return platform.getAttribute(name, attribute);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
