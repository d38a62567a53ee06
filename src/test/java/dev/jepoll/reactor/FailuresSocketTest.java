package dev.jepoll.reactor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jepoll.testsupport.Await;
import dev.jepoll.testsupport.TestClient;
import dev.jepoll.testsupport.TestServers;
import java.io.IOException;
import java.net.ConnectException;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What a loop survives and what it does not: a broken class or a bug closes one connection; a
 * JVM out of memory ends the server, listener included, never leaving a process that listens
 * and serves no one.
 */
class FailuresSocketTest {

    /** Echo, except that a byte of {@code 'x'} makes the handler throw what {@code failure} makes. */
    private static Protocol echoFailingOn(java.util.function.Supplier<Throwable> failure) {
        return link -> data -> {
            if (data.get(data.position()) == 'x') {
                Throwable t = failure.get();
                if (t instanceof Error e) {
                    throw e;
                }
                throw (RuntimeException) t;
            }
            link.write(data);
        };
    }

    @ParameterizedTest
    @MethodSource("dev.jepoll.testsupport.Backends#all")
    void aClassThatFailedToInitialiseClosesThatConnectionOnly(SelectorKind backend) throws Exception {
        try (var server = TestServers.start(backend, echoFailingOn(() -> new ExceptionInInitializerError("boom")),
                TriggerMode.EDGE, b -> b.loops(2));
             var victim = TestClient.connect(server.port());
             var other = TestClient.connect(server.port())) {
            victim.write(new byte[] {'x'});
            Await.equal("protocol errors", 1L, () -> server.server().counters().closes(CloseReason.PROTOCOL_ERROR));
            other.write(new byte[] {'o', 'k'});
            assertEquals("ok", new String(other.readExactly(2)));
            assertTrue(server.server().failure() == null);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.jepoll.testsupport.Backends#all")
    void outOfMemoryEndsTheServerListenerFirst(SelectorKind backend) throws Exception {
        var server = TestServers.start(backend, echoFailingOn(() -> new OutOfMemoryError("test: the heap is gone")),
                TriggerMode.EDGE, b -> b.loops(2));
        try (var victim = TestClient.connect(server.port());
             var other = TestClient.connect(server.port())) {
            // Both accepted first: a connection still in the listener's queue when it closes is
            // reset by the kernel, which says nothing about how the server closes its own.
            Await.equal("connections", 2, () -> java.util.Arrays.stream(server.server().connectionsPerLoop()).sum());
            victim.write(new byte[] {'x'});
            assertTrue(server.server().awaitTermination(Duration.ofSeconds(20)), "every loop stopped");
            assertInstanceOf(OutOfMemoryError.class, server.server().failure());
            assertEquals(-1, other.socket().getInputStream().read(), "the other connection is closed too");
            assertThrows(ConnectException.class, () -> TestClient.connect(server.port()), "nobody listens any more");
        } catch (IOException e) {
            throw new AssertionError(e);
        } finally {
            server.close();
        }
    }
}
