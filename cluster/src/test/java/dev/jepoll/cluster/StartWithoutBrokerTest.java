package dev.jepoll.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A node started while its broker is down serves its own members at once and keeps trying;
 * when the broker comes up, the node joins the cluster without being restarted.
 */
class StartWithoutBrokerTest {
    @Test
    void servesLocallyAndJoinsWhenTheBrokerComesUp() throws Exception {
        try (NatsBroker broker = NatsBroker.launch()) {
            broker.kill(); // its port, with nobody listening
            try (Node a = new Node(broker.url(), "late", 1);
                 LineClient a1 = new LineClient(a.port());
                 LineClient a2 = new LineClient(a.port())) {
                assertFalse(a.stats().connected());
                assertTrue(a.backplane.describe().contains("not connected yet"), a.backplane.describe());
                assertTrue(a.log.stream().anyMatch(l -> l.contains("cannot reach") && l.contains("trying again")), a.log.toString());
                a.awaitMembers(2);
                a1.say("[local] only");
                assertEquals(List.of("[local] only"), a2.await(l -> l.startsWith("[local]"), 1, 10));

                broker.start();
                a.awaitStats("connected once the broker is up", s -> s.connected(), 20);
                assertTrue(a.log.stream().anyMatch(l -> l.contains("connected to")), a.log.toString());
                try (Node b = new Node(broker.url(), "late", 1);
                     LineClient b1 = new LineClient(b.port())) {
                    b.awaitMembers(1);
                    StoppedNodeTest.sayUntilHeard(a1, b1, "[joined] ", new ArrayList<>());
                    StoppedNodeTest.sayUntilHeard(b1, a2, "[back] ", new ArrayList<>());
                }
            }
        }
    }
}
