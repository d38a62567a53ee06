package dev.jepoll.echo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jepoll.reactor.Counter;
import dev.jepoll.reactor.SelectorKind;
import dev.jepoll.reactor.TriggerMode;
import dev.jepoll.testsupport.TestClient;
import dev.jepoll.testsupport.TestServers;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Output far larger than any scratch area or socket buffer, queued in one piece: a 1 MiB read
 * buffer, a 4 MiB high watermark and a 128 KiB send buffer, and a client that sends 3 MB before
 * it reads a byte. Whatever the server could not write at once is one heap copy of up to a
 * megabyte; on a real {@code EPOLLET} registration a short write that is not a full socket would
 * never be reported writable again (the native backend once stalled at 477,588 bytes).
 */
class BigWritesSocketTest {

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("dev.jepoll.testsupport.Backends#andModes")
    void threeMegabytesSentBeforeReadingComeBackWhole(SelectorKind backend, TriggerMode mode) throws Exception {
        byte[] payload = new byte[3_000_000];
        new Random(7).nextBytes(payload);
        try (var server = TestServers.start(backend, new EchoProtocol(), mode,
                b -> b.bufferSize(1 << 20).highWatermark(4 << 20).lowWatermark(1 << 20).sendBufferSize(128 << 10));
             var client = TestClient.connect(server.port())) {
            client.write(payload); // all of it before reading: the server queues what the socket does not take
            assertArrayEquals(payload, client.readExactly(payload.length));
            client.shutdownOutput();
            assertEquals(0, client.readToEof().length);
            assertEquals(payload.length, server.count(Counter.BYTES_OUT));
        }
    }
}
