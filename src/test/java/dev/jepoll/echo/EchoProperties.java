package dev.jepoll.echo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jepoll.reactor.SelectorKind;
import dev.jepoll.reactor.TriggerMode;
import dev.jepoll.testsupport.Backends;
import dev.jepoll.testsupport.Payloads;
import dev.jepoll.testsupport.TestClient;
import dev.jepoll.testsupport.TestServers;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * The echo law, over real loopback sockets, on every backend this JVM runs: what comes back
 * is exactly what was sent.
 */
class EchoProperties {
    private static final int MAX_PAYLOAD = 3 * 1024 * 1024;

    /** The JDK's selector, and native epoll where this JVM runs it (Java 22+). */
    @Provide
    Arbitrary<SelectorKind> backends() {
        return Arbitraries.of(Backends.available());
    }

    /** Read buffers from one byte to a megabyte: past 64 KiB, where the native backend's scratch area ends. */
    @Provide
    Arbitrary<Integer> buffers() {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, Arbitraries.integers().between(1, 64 * 1024)),
                net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(64 * 1024 + 1, 1024 * 1024)));
    }

    /** Payloads mostly up to 256 KiB, sometimes megabytes: more than a socket and a watermark hold. */
    @Provide
    Arbitrary<Integer> lengths() {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(5, Arbitraries.integers().between(0, 256 * 1024)),
                net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(256 * 1024, MAX_PAYLOAD)));
    }

    /**
     * For any payload, cut into writes anywhere, through any buffer size, in either mode:
     * after the client half-closes, the echo is the payload and then EOF. Small socket send
     * buffers and watermarks make partial writes and read pauses happen, not just exist.
     */
    @Property(tries = 60)
    void echoIsExactWhateverTheChunkingAndBuffer(
            @ForAll("backends") SelectorKind backend,
            @ForAll TriggerMode mode,
            @ForAll @IntRange(min = 1, max = 4) int loops,
            @ForAll("buffers") int bufferSize,
            @ForAll @IntRange(min = 0, max = 256 * 1024) int sendBuffer,
            @ForAll @IntRange(min = 2, max = 4 * 1024 * 1024) int highWatermark,
            @ForAll("lengths") int length,
            @ForAll long seed,
            @ForAll @Size(max = 16) List<@IntRange(min = 0, max = MAX_PAYLOAD) Integer> cutPoints) throws Exception {
        byte[] payload = Payloads.of(seed, length);
        int[] cuts = cutPoints.stream().mapToInt(c -> c % (length + 1)).sorted().distinct().toArray();
        try (var server = TestServers.start(backend, new EchoProtocol(), mode, b -> b.bufferSize(bufferSize).loops(loops)
                        .sendBufferSize(sendBuffer).highWatermark(highWatermark).lowWatermark(highWatermark / 2));
             var client = TestClient.connect(server.port(), 4 * 1024)) {
            byte[] echoed = client.roundTrip(payload, cuts); // ends at the server's EOF
            assertEquals(payload.length, echoed.length, "echo length");
            assertEquals(Payloads.sha256(payload), Payloads.sha256(echoed), "echo digest");
        }
    }

    /** Many clients at once, each with its own bytes: none gets another's, none loses any. */
    @Property(tries = 12)
    void concurrentConnectionsEachGetTheirOwnBytesBack(
            @ForAll("backends") SelectorKind backend,
            @ForAll TriggerMode mode,
            @ForAll @IntRange(min = 1, max = 4) int loops,
            @ForAll @IntRange(min = 2, max = 48) int clients,
            @ForAll @IntRange(min = 1, max = 64 * 1024) int length,
            @ForAll @IntRange(min = 1, max = 16 * 1024) int bufferSize,
            @ForAll long seed) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try (var server = TestServers.start(backend, new EchoProtocol(), mode, b -> b.bufferSize(bufferSize).loops(loops))) {
            List<Future<?>> results = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                byte[] payload = Payloads.of(seed + i, length + i);
                results.add(pool.submit(() -> {
                    try (var client = TestClient.connect(server.port())) {
                        byte[] echoed = client.roundTrip(payload, new int[] {payload.length / 3});
                        assertEquals(Payloads.sha256(payload), Payloads.sha256(echoed));
                    }
                    return null;
                }));
            }
            for (Future<?> result : results) {
                result.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
            pool.awaitTermination(20, TimeUnit.SECONDS);
        }
    }
}
