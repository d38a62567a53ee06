package dev.jepoll.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * One node frozen (SIGSTOP) for a few seconds while another floods: the other nodes' members
 * get everything as if nothing happened; the broker cuts the frozen node when it cannot take
 * its share, and on resume the node reconnects by itself and counts what it missed as a gap.
 */
class StoppedNodeTest {
    static final int FLOOD_LINES = 8000;

    @Test
    void othersAreUnaffectedAndTheStoppedNodeCountsItsGapOnResume() throws Exception {
        Path config = Files.createTempFile("nats", ".conf");
        // a broker that will not hold much for a client that takes nothing (defaults: 64 MB, 10 s)
        Files.writeString(config, "write_deadline: \"1s\"\nmax_pending: 1048576\n");
        String padding = "x".repeat(2000);
        try (NatsBroker broker = NatsBroker.launch("-c", config.toString());
             Node a = new Node(broker.url(), "stop", 1);
             Node b = new Node(broker.url(), "stop", 1);
             NodeProcess c = new NodeProcess("--loops", "1", "--backplane", broker.url(), "--cluster", "stop");
             LineClient a1 = new LineClient(a.port());
             LineClient a2 = new LineClient(a.port());
             LineClient b1 = new LineClient(b.port());
             LineClient c1 = new LineClient(c.port())) {
            a.awaitMembers(2);
            b.awaitMembers(1);
            List<String> saidOnA = new ArrayList<>();
            sayUntilHeard(a1, c1, "[warm] ", saidOnA);

            c.signal("STOP");
            List<String> flood = new ArrayList<>();
            for (int i = 0; i < FLOOD_LINES; i++) {
                flood.add("[flood] " + i + " " + padding);
            }
            for (int i = 0; i < FLOOD_LINES; i += 500) {
                a1.sayAll(flood.subList(i, i + 500));
            }
            saidOnA.addAll(flood);
            assertEquals(flood, a2.await(l -> l.startsWith("[flood]"), FLOOD_LINES, 60), "A's own members, in order");
            assertEquals(flood, b1.await(l -> l.startsWith("[flood]"), FLOOD_LINES, 60), "B's members, in order");
            NatsBroker.sleep(2000); // past the broker's write deadline, frozen all along
            c.signal("CONT");

            sayUntilHeard(a1, c1, "[mark] ", saidOnA);
            a1.say("[end]");
            saidOnA.add("[end]");
            c1.await(l -> l.equals("[end]"), 1, 20);
            assertEquals(0, c.stop(), "the node stops cleanly after its freeze");
            String summary = c.awaitLine(l -> l.startsWith("backplane: sent="), 5);
            long gaps = NodeProcess.counter(summary, "gaps");
            long received = NodeProcess.counter(summary, "received"); // c1 may have joined after C heard the first lines
            assertEquals(saidOnA.size(), received + gaps, "every line of A reached C or is counted as a gap: " + summary);
            assertTrue(gaps > 0, "the freeze cost C lines, and C says how many: " + summary);
            assertEquals(0, NodeProcess.counter(summary, "duplicates"), summary);
            assertTrue(NodeProcess.counter(summary, "outages") >= 1, "the broker cut the frozen node: " + summary);
            assertInOrder(saidOnA, c1.received());
        } finally {
            Files.deleteIfExists(config);
        }
    }

    /** Says numbered lines every 100 ms until {@code listener} hears one (a subscription takes a moment to reach the broker). */
    static void sayUntilHeard(LineClient speaker, LineClient listener, String tag, List<String> said) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (listener.received().stream().noneMatch(l -> l.startsWith(tag))) {
            assertTrue(System.nanoTime() < deadline, "nothing tagged " + tag + " was heard across nodes within 30 s");
            String line = tag + said.size();
            said.add(line);
            speaker.say(line);
            NatsBroker.sleep(100);
        }
    }

    /** {@code heard} is {@code said} with some lines missing, never reordered or repeated. */
    static void assertInOrder(List<String> said, List<String> heard) {
        int at = 0;
        for (String line : heard) {
            while (at < said.size() && !said.get(at).equals(line)) {
                at++;
            }
            assertTrue(at < said.size(), "heard out of order or twice: " + line.substring(0, Math.min(40, line.length())));
            at++;
        }
    }
}
