package dev.jepoll.reactor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The configuration an embedding application builds, checked on its own (the command line checks
 * its options before they get here, so these are the checks an embedder meets): every bound
 * accepted at its edge and refused one step past it, with the message a user can act on.
 */
class ServerConfigTest {
    static Stream<Arguments> oneStepPast() {
        return Stream.of(
                Arguments.of((UnaryOperator<ServerConfig.Builder>) b -> b.port(-1), "port must be 0..65535, got -1"),
                Arguments.of((UnaryOperator<ServerConfig.Builder>) b -> b.port(65536), "port must be 0..65535, got 65536"),
                Arguments.of((UnaryOperator<ServerConfig.Builder>) b -> b.loops(0), "loops must be 1..256, got 0"),
                Arguments.of((UnaryOperator<ServerConfig.Builder>) b -> b.loops(257), "loops must be 1..256, got 257"),
                Arguments.of((UnaryOperator<ServerConfig.Builder>) b -> b.bufferSize(0), "buffer size must be at least 1 byte, got 0"),
                Arguments.of((UnaryOperator<ServerConfig.Builder>) b -> b.edgeReadBudget(-1), "edge read budget must not be negative, got -1"),
                Arguments.of((UnaryOperator<ServerConfig.Builder>) b -> b.maxEvents(0), "max events must be 1..65536, got 0"),
                Arguments.of((UnaryOperator<ServerConfig.Builder>) b -> b.maxEvents(65537), "max events must be 1..65536, got 65537"),
                Arguments.of((UnaryOperator<ServerConfig.Builder>) b -> b.highWatermark(0).lowWatermark(0),
                        "high watermark must be at least 1 byte, got 0"),
                Arguments.of((UnaryOperator<ServerConfig.Builder>) b -> b.highWatermark(10).lowWatermark(10),
                        "low watermark must be below the high watermark (10), got 10"),
                Arguments.of((UnaryOperator<ServerConfig.Builder>) b -> b.lowWatermark(-1),
                        "low watermark must be below the high watermark (65536), got -1"),
                Arguments.of((UnaryOperator<ServerConfig.Builder>) b -> b.maxConnections(0), "max connections must be at least 1, got 0"),
                Arguments.of((UnaryOperator<ServerConfig.Builder>) b -> b.backlog(0), "backlog must be at least 1, got 0"),
                Arguments.of((UnaryOperator<ServerConfig.Builder>) b -> b.lingerMillis(-1), "linger must not be negative"),
                Arguments.of((UnaryOperator<ServerConfig.Builder>) b -> b.sendBufferSize(-1), "send buffer must not be negative, got -1"),
                Arguments.of((UnaryOperator<ServerConfig.Builder>) b -> b.writeTimeoutMillis(-1), "write timeout must not be negative"),
                Arguments.of((UnaryOperator<ServerConfig.Builder>) b -> b.idleTimeoutMillis(-1), "idle timeout must not be negative"),
                Arguments.of((UnaryOperator<ServerConfig.Builder>) b -> b.memoryBudget(-1), "memory budget must not be negative"),
                Arguments.of((UnaryOperator<ServerConfig.Builder>) b -> b.loops(2).memoryBudget(512 * 1024 - 1),
                        "memory budget must be at least 256k per event loop (512k for 2 loops), got 524287 bytes"),
                Arguments.of((UnaryOperator<ServerConfig.Builder>) b -> b.memoryBudget(255 * 1024),
                        "memory budget must be at least 256k per event loop (256k for 1 loop), got 255k"),
                Arguments.of((UnaryOperator<ServerConfig.Builder>) b -> b.mode(null), "mode, selector and logger are required"),
                Arguments.of((UnaryOperator<ServerConfig.Builder>) b -> b.selector(null, false), "mode, selector and logger are required"),
                Arguments.of((UnaryOperator<ServerConfig.Builder>) b -> b.logger(null), "mode, selector and logger are required"),
                Arguments.of((UnaryOperator<ServerConfig.Builder>) b -> b.edgeReadOnce(true),
                        "--edge-read-once needs --selector native and --mode edge: only a real EPOLLET registration strands what"
                                + " one read leaves (the JDK's selector reports the socket again)"),
                Arguments.of((UnaryOperator<ServerConfig.Builder>) b -> b.edgeReadOnce(true).selector(SelectorKind.NATIVE, true)
                        .mode(TriggerMode.LEVEL), "--edge-read-once needs --selector native and --mode edge: only a real"
                        + " EPOLLET registration strands what one read leaves (the JDK's selector reports the socket again)"));
    }

    @ParameterizedTest
    @MethodSource("oneStepPast")
    void oneStepPastEveryBoundIsRefusedWithAMessageForTheUser(UnaryOperator<ServerConfig.Builder> tweak, String message) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> tweak.apply(ServerConfig.builder()).build());
        assertEquals(message, e.getMessage());
    }

    @Test
    void everyBoundIsAcceptedAtItsEdge() {
        ServerConfig edge = ServerConfig.builder().port(65535).loops(256).bufferSize(1).edgeReadBudget(0).maxEvents(65536)
                .highWatermark(1).lowWatermark(0).maxConnections(1).backlog(1).lingerMillis(0).sendBufferSize(0)
                .writeTimeoutMillis(0).idleTimeoutMillis(0).memoryBudget(256L * 1024 * 256)
                .edgeReadOnce(true).selector(SelectorKind.NATIVE, true).mode(TriggerMode.EDGE).build();
        assertEquals(65535, edge.port());
        assertEquals(256, edge.loops());
        assertEquals(256L * 1024 * 256, edge.memoryBudget());
        assertEquals(0, ServerConfig.builder().port(0).maxEvents(1).memoryBudget(0).build().memoryBudget(), "0: from the heap");
        assertEquals(256 * 1024, ServerConfig.builder().memoryBudget(256 * 1024).build().memoryBudget());
    }

    @Test
    void theBudgetInForceIsTheConfiguredOneOrAShareOfTheHeap() {
        assertEquals(300_000, ServerConfig.builder().memoryBudget(300_000).build().effectiveMemoryBudget());
        assertEquals((long) (Runtime.getRuntime().maxMemory() * ServerConfig.DEFAULT_BUDGET_SHARE_OF_HEAP),
                ServerConfig.builder().build().effectiveMemoryBudget());
        assertEquals(Runtime.getRuntime().maxMemory() / 2, ServerConfig.builder().build().effectiveMemoryBudget(), 1.0,
                "half the heap");
    }
}
