package dev.jepoll.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jepoll.reactor.CloseReason;
import dev.jepoll.reactor.SelectorKind;
import dev.jepoll.reactor.TriggerMode;
import dev.jepoll.testsupport.Backends;
import dev.jepoll.testsupport.ChatLoad;
import dev.jepoll.testsupport.TestServers;
import java.time.Duration;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.constraints.IntRange;

/**
 * The law of flow control, for any number of loops and any placement of senders: a member that
 * keeps reading is never closed as a slow consumer, however slowly it reads; a member that does
 * not read at all is, and only it. Senders on random loops (the order they connect in decides
 * where the acceptor puts them), one deliberately slow reader among them, up to two clients that
 * never read, lines from a few bytes to the 64 KiB line limit; enough said that every non-reader
 * falls behind.
 */
class FlowControlProperties {
    private static final long LIMIT = 256 * 1024;
    private static final long STALL_MILLIS = 800;
    /** What every try says in all: far more than a non-reader's kernel buffers and the limit. */
    private static final long SAID = 3L * 1024 * 1024;

    @Property(tries = 6, shrinking = ShrinkingMode.OFF)
    void readersAreNeverCutNonReadersAreAndOnlyThey(@ForAll("backends") SelectorKind backend,
                                                     @ForAll("modes") TriggerMode mode,
                                                     @ForAll @IntRange(min = 1, max = 4) int loops,
                                                     @ForAll @IntRange(min = 2, max = 8) int senders,
                                                     @ForAll @IntRange(min = 0, max = 2) int nonReaders,
                                                     @ForAll("lineBytes") int lineBytes,
                                                     @ForAll @IntRange(min = 100, max = 2000) int slowReaderPauseMicros,
                                                     @ForAll long order) throws Exception {
        int lines = (int) Math.max(4, SAID / ((long) senders * lineBytes));
        try (var server = TestServers.start(backend, new ChatProtocol(new ChatConfig(ChatConfig.DEFAULT_MAX_LINE, LIMIT,
                STALL_MILLIS)), mode, b -> b.loops(loops).sendBufferSize(64 * 1024))) {
            ChatLoad.Result result = ChatLoad.run(server.port(),
                    new ChatLoad.Spec(senders, lines, lineBytes, 16, 64, nonReaders, slowReaderPauseMicros),
                    Duration.ofSeconds(60), order, () -> { });
            assertTrue(result.complete(), result + "; server log " + server.log());
            assertEquals(nonReaders, server.server().counters().closes(CloseReason.SLOW_CONSUMER),
                    "only the non-readers are cut: " + server.log());
        }
    }

    @Provide
    Arbitrary<SelectorKind> backends() {
        return Arbitraries.of(Backends.available());
    }

    @Provide
    Arbitrary<TriggerMode> modes() {
        return Arbitraries.of(TriggerMode.values());
    }

    @Provide
    Arbitrary<Integer> lineBytes() {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(2, Arbitraries.integers().between(200, 800)),
                net.jqwik.api.Tuple.of(2, Arbitraries.integers().between(2000, 9000)),
                net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(60 * 1024, 64 * 1024 + 1)));
    }
}
