package dev.jepoll.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OutageLogTest {
    @Test
    void aFlappingBrokerIsOneLineNotOnePerFlap() {
        List<String> lines = new ArrayList<>();
        OutageLog log = new OutageLog("nats://127.0.0.1:4222", lines::add);
        for (int i = 0; i < 5; i++) {
            log.lost();
            log.back();
        }
        assertEquals(5, log.count(), "every outage is counted");
        assertEquals(2, lines.size(), "lost and back, once, within the quiet period: " + lines);
        assertTrue(lines.get(0).contains("lost the broker at nats://127.0.0.1:4222"), lines.get(0));
        assertTrue(lines.get(1).contains("back after"), lines.get(1));
    }

    @Test
    void foreignMessagesAreMentionedOnce() {
        List<String> lines = new ArrayList<>();
        OutageLog log = new OutageLog("b", lines::add);
        log.foreign("x");
        log.foreign("y");
        assertEquals(1, lines.size());
    }
}
