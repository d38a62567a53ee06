package dev.jepoll.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jepoll.chat.BackplaneStats;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The broker killed ({@code kill -9}) under load, then started again: local chat goes on as if
 * nothing happened, the lines said meanwhile are counted (dropped by their node, gaps at the
 * others), and lines cross between nodes again by themselves once the broker is back.
 */
class BrokerOutageTest {
    @Test
    void localChatGoesOnAndTheOutageIsCountedAndCrossNodeDeliveryResumes() throws Exception {
        try (NatsBroker broker = NatsBroker.launch();
             Node a = new Node(broker.url(), "outage", 2);
             Node b = new Node(broker.url(), "outage", 2);
             LineClient a1 = new LineClient(a.port());
             LineClient a2 = new LineClient(a.port());
             LineClient b1 = new LineClient(b.port())) {
            a.awaitMembers(2);
            b.awaitMembers(1);
            a1.sayAll(numbered("before", 20));
            b1.await(l -> l.startsWith("[before]"), 20, 10);

            broker.kill();
            a.awaitStats("the broker lost", s -> !s.connected(), 10);
            b.awaitStats("the broker lost", s -> !s.connected(), 10);
            a1.sayAll(numbered("during", 50));
            List<String> local = a2.await(l -> l.startsWith("[during]"), 50, 10);
            assertEquals(numbered("during", 50), local, "local members hear everything, in order, during the outage");
            a.awaitStats("the outage's lines dropped", s -> s.dropped() == 50, 10);
            assertTrue(b1.received().stream().noneMatch(l -> l.startsWith("[during]")), "nothing crossed without a broker");

            broker.start();
            a.awaitStats("reconnected", BackplaneStats::connected, 20);
            b.awaitStats("reconnected", BackplaneStats::connected, 20);
            // until both have resubscribed, a line may find nobody on the other side: say one every 100 ms until heard
            List<String> after = new ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (b1.received().stream().noneMatch(l -> l.startsWith("[after]"))) {
                assertTrue(System.nanoTime() < deadline, "no line crossed within 20 s of the broker's return: " + b.log);
                String line = "[after] " + after.size();
                after.add(line);
                a1.say(line);
                NatsBroker.sleep(100);
            }
            a1.say("[end]");
            b1.await(l -> l.equals("[end]"), 1, 10);

            BackplaneStats atA = a.stats();
            BackplaneStats atB = b.stats();
            long saidOnA = 20 + 50 + after.size() + 1;
            assertEquals(saidOnA, atA.sent() + atA.dropped(), "every line of A was sent or counted as dropped: " + atA.summary());
            long heardFromA = b1.received().size(); // b1 says nothing: all it hears is A's
            assertEquals(saidOnA, heardFromA + atB.gaps(), "every line of A reached B or was counted as a gap: " + atB.summary());
            assertTrue(atB.gaps() >= 50, "the outage's lines are gaps at B: " + atB.summary());
            assertEquals(0, atB.duplicates(), atB.summary());
            assertEquals(1, atA.outages(), atA.summary());
            assertTrue(a.log.stream().filter(l -> l.contains("lost the broker")).count() == 1, "one line for the outage: " + a.log);
        }
    }

    static List<String> numbered(String tag, int n) {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            lines.add("[" + tag + "] " + i);
        }
        return lines;
    }
}
