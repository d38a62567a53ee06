package dev.jepoll.reactor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jepoll.chat.ChatConfig;
import dev.jepoll.chat.ChatProtocol;
import dev.jepoll.testsupport.Await;
import dev.jepoll.testsupport.TestClient;
import dev.jepoll.testsupport.TestServers;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * 5,000 connections each send an unfinished 60 KiB chat line and then nothing: 300 MB the
 * server would otherwise hold. With a 16 MiB budget it pauses reading, closes the largest
 * holders until it is back under, serves a normal client meanwhile, and says what it did.
 */
class MemoryBudgetSocketTest {
    private static final int HOSTILE = 5_000;
    private static final long BUDGET = 16 * 1024 * 1024;
    /**
     * How far past the budget the total may go: on each of the two loops, the read under way when
     * it was passed (64 KiB, in a partial line's array that may be twice that).
     */
    private static final long OVERSHOOT = 2 * 2 * 64 * 1024;

    @ParameterizedTest
    @MethodSource("dev.jepoll.testsupport.Backends#all")
    void unfinishedLinesCannotTakeTheServerPastItsBudget(SelectorKind backend) throws Exception {
        byte[] unfinished = new byte[60 * 1024];
        Arrays.fill(unfinished, (byte) 'z');
        try (var server = TestServers.start(backend, new ChatProtocol(ChatConfig.defaults()), TriggerMode.EDGE,
                b -> b.memoryBudget(BUDGET).loops(2))) {
            List<TestClient> hostile = new ArrayList<>();
            try {
                for (int i = 0; i < HOSTILE; i++) {
                    TestClient c = TestClient.connect(server.port());
                    hostile.add(c);
                    c.write(unfinished);
                    assertTrue(server.server().heldBytes() <= BUDGET + OVERSHOOT,
                            "held " + server.server().heldBytes() + " of " + BUDGET);
                }
                Await.until("the largest holders closed", () -> server.server().counters().closes(CloseReason.MEMORY_BUDGET) > 0);
                try (var normal = TestClient.connect(server.port()); var other = TestClient.connect(server.port())) {
                    normal.write("[n] hello\n".getBytes());
                    assertEquals("[n] hello\n", new String(other.readExactly(10)), "a normal client is served meanwhile");
                }
                assertTrue(server.server().heldBytes() <= BUDGET + OVERSHOOT, "held " + server.server().heldBytes());
                assertTrue(server.log().stream().anyMatch(l -> l.contains("memory budget")), server.log().toString());
            } finally {
                for (TestClient c : hostile) {
                    c.close();
                }
            }
        }
    }
}
