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

/**
 * Shutdown honours its grace for a connection still receiving what it is owed: the 2-second
 * linger of a closing connection starts at its half-close, after the flush, not at the shutdown.
 */
class GraceSocketTest {

    @ParameterizedTest
    @MethodSource("dev.jepoll.testsupport.Backends#all")
    void aClientThatReadsLateStillGetsEverythingWithinTheGrace(SelectorKind backend) throws Exception {
        var server = TestServers.start(backend, new EchoProtocol(), TriggerMode.EDGE,
                b -> b.highWatermark(256 * 1024).sendBufferSize(16 * 1024).lingerMillis(500));
        byte[] sent = Payloads.of(11, 1024 * 1024);
        try (var client = TestClient.connect(server.port(), 4 * 1024)) {
            Thread writer = new Thread(() -> {
                try {
                    client.write(sent);
                } catch (IOException e) {
                    // expected once the server stops reading and closes
                }
            });
            writer.start();
            Await.until("held back at the watermark", () -> server.count(Counter.READ_PAUSES) > 0);
            Thread stopper = new Thread(() -> {
                try {
                    server.server().shutdown(Duration.ofSeconds(15));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            stopper.start();
            // A slow reader: nothing is read for twice the linger time. (This wait is the
            // scenario, not a synchronisation: no condition could stand for "a reader that is late".)
            Thread.sleep(1_000);
            byte[] echoed = client.readToEof();
            stopper.join(30_000);
            writer.join(30_000);
            assertTrue(echoed.length >= 256 * 1024, "it was owed a lot: " + echoed.length);
            assertEquals(server.count(Counter.BYTES_IN), echoed.length, "every byte the server accepted came back");
            assertEquals(Payloads.sha256(sent, 0, echoed.length), Payloads.sha256(echoed));
            assertEquals(0, server.count(Counter.BYTES_DROPPED));
        } finally {
            server.close();
        }
    }
}
