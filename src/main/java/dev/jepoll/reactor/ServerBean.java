package dev.jepoll.reactor;

import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/** The {@link ServerMXBean} of one server, registered while it runs. */
final class ServerBean implements ServerMXBean {
    private static final AtomicInteger INSTANCES = new AtomicInteger();

    private final Server server;
    private final ObjectName name;

    private ServerBean(Server server, ObjectName name) {
        this.server = server;
        this.name = name;
    }

    /** Registers a bean for {@code server}; null (and no harm) if the platform refuses. */
    static ServerBean register(Server server) {
        try {
            ObjectName name = new ObjectName("dev.jepoll:type=Server,port=" + server.port() + ",instance="
                    + INSTANCES.incrementAndGet());
            ServerBean bean = new ServerBean(server, name);
            ManagementFactory.getPlatformMBeanServer().registerMBean(bean, name);
            return bean;
        } catch (JMException | RuntimeException e) {
            return null;
        }
    }

    ObjectName name() {
        return name;
    }

    void unregister() {
        MBeanServer platform = ManagementFactory.getPlatformMBeanServer();
        try {
            platform.unregisterMBean(name);
        } catch (JMException | RuntimeException e) {
            // already gone
        }
    }

    @Override
    public int getPort() {
        return server.port();
    }

    @Override
    public int getLoops() {
        return server.loopCount();
    }

    @Override
    public int getConnections() {
        int n = 0;
        for (int c : server.connectionsPerLoop()) {
            n += c;
        }
        return n;
    }

    @Override
    public long getHeldBytes() {
        return server.heldBytes();
    }

    @Override
    public long getMemoryBudget() {
        return server.memoryBudget();
    }

    @Override
    public Map<String, Long> getCounters() {
        Map<String, Long> values = new LinkedHashMap<>();
        server.counters().snapshot().forEach((c, v) -> values.put(c.name().toLowerCase(Locale.ROOT), v));
        return values;
    }

    @Override
    public Map<String, Long> getClosesByReason() {
        Counters counters = server.counters();
        Map<String, Long> closes = new LinkedHashMap<>();
        for (CloseReason r : CloseReason.values()) {
            closes.put(r.label(), counters.closes(r));
        }
        return closes;
    }
}
