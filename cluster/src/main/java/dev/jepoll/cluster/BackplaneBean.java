package dev.jepoll.cluster;

import java.lang.management.ManagementFactory;
import javax.management.JMException;
import javax.management.ObjectName;

/** The JMX view of one backplane; registered while it is open. */
final class BackplaneBean implements BackplaneMXBean {
    private final NatsBackplane backplane;
    private ObjectName name;

    BackplaneBean(NatsBackplane backplane) {
        this.backplane = backplane;
    }

    void register() {
        try {
            name = new ObjectName("dev.jepoll:type=Backplane,node=" + Long.toHexString(backplane.node()));
            ManagementFactory.getPlatformMBeanServer().registerMBean(this, name);
        } catch (JMException e) {
            name = null; // the counters are still in the stats line and the summary
        }
    }

    void unregister() {
        try {
            if (name != null) {
                ManagementFactory.getPlatformMBeanServer().unregisterMBean(name);
            }
        } catch (JMException e) {
            // already gone
        }
    }

    @Override
    public boolean isConnected() {
        return backplane.stats().connected();
    }

    @Override
    public long getLinesSent() {
        return backplane.stats().sent();
    }

    @Override
    public long getLinesReceived() {
        return backplane.stats().received();
    }

    @Override
    public long getLinesDropped() {
        return backplane.stats().dropped();
    }

    @Override
    public long getGapLines() {
        return backplane.stats().gaps();
    }

    @Override
    public long getDuplicateLines() {
        return backplane.stats().duplicates();
    }

    @Override
    public long getOutages() {
        return backplane.stats().outages();
    }
}
