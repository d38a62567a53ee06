package dev.jepoll.reactor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jepoll.echo.EchoProtocol;
import dev.jepoll.testsupport.Await;
import dev.jepoll.testsupport.Payloads;
import dev.jepoll.testsupport.TestClient;
import dev.jepoll.testsupport.TestServers;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Connections that hold the server without making progress are closed, and counted; the others are not. */
class TimeoutsSocketTest {

    /** A client that sends without ever reading parks at the watermark; its stalled output times out. */
    @ParameterizedTest
    @MethodSource("dev.jepoll.testsupport.Backends#all")
    void outputThatMakesNoProgressForTheWriteTimeoutIsClosed(SelectorKind backend) throws Exception {
        try (var server = TestServers.start(backend, new EchoProtocol(), TriggerMode.EDGE,
                b -> b.writeTimeoutMillis(300).sendBufferSize(16 * 1024).highWatermark(64 * 1024));
             var stalled = TestClient.connect(server.port(), 8 * 1024);
             var fine = TestClient.connect(server.port())) {
            Thread writer = new Thread(() -> {
                try {
                    stalled.write(Payloads.of(1, 4 * 1024 * 1024));
                } catch (IOException e) {
                    // expected: the server closes it
                }
            });
            writer.start();
            Await.equal("write timeouts", 1L, () -> server.server().counters().closes(CloseReason.WRITE_TIMEOUT));
            writer.join(20_000);
            byte[] hello = "still served\n".getBytes();
            fine.write(hello);
            assertEquals(new String(hello), new String(fine.readExactly(hello.length)));
            assertTrue(server.log().stream().anyMatch(l -> l.contains("write timeout") && l.contains("bytes owed")),
                    server.log().toString());
        }
    }

    /** A peer that half-closed and never reads owes nothing more to anyone: it is closed at the timeout. */
    @ParameterizedTest
    @MethodSource("dev.jepoll.testsupport.Backends#all")
    void aHalfClosedPeerThatNeverReadsIsClosedAtTheWriteTimeout(SelectorKind backend) throws Exception {
        try (var server = TestServers.start(backend, new EchoProtocol(), TriggerMode.LEVEL,
                b -> b.writeTimeoutMillis(300).sendBufferSize(8 * 1024).highWatermark(1024 * 1024));
             var client = TestClient.connect(server.port(), 4 * 1024)) {
            client.write(Payloads.of(2, 512 * 1024));
            client.shutdownOutput(); // and never reads what it is owed
            Await.equal("write timeouts", 1L, () -> server.server().counters().closes(CloseReason.WRITE_TIMEOUT));
            Await.equal("connections", 0, () -> server.server().connectionsPerLoop()[0]);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.jepoll.testsupport.Backends#all")
    void anIdleConnectionIsClosedAndABusyOneIsNot(SelectorKind backend) throws Exception {
        try (var server = TestServers.start(backend, new EchoProtocol(), TriggerMode.EDGE, b -> b.idleTimeoutMillis(400));
             var idle = TestClient.connect(server.port());
             var busy = TestClient.connect(server.port())) {
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (server.server().counters().closes(CloseReason.IDLE_TIMEOUT) == 0 && System.nanoTime() < deadline) {
                busy.write(new byte[] {7});
                busy.readExactly(1);
                Thread.sleep(50); // the busy client's pace, well inside the timeout
            }
            assertEquals(1, server.server().counters().closes(CloseReason.IDLE_TIMEOUT));
            assertEquals(-1, idle.socket().getInputStream().read(), "the idle one sees the server close");
            busy.write(new byte[] {8});
            assertEquals(8, busy.readExactly(1)[0]);
        }
    }
}
