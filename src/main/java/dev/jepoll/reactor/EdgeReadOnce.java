package dev.jepoll.reactor;

import dev.jepoll.reactor.backend.Endpoint;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;

/**
 * The mistake the chapter warns about, on purpose ({@code --edge-read-once}, a teaching
 * switch): one read per edge-triggered event, and no coming back. On a real {@code EPOLLET}
 * registration whatever that read did not take stays in the kernel, unreported, until the
 * peer sends again and raises a new edge. It claims the socket drained, which is exactly the
 * wrong belief that strands the bytes.
 */
final class EdgeReadOnce implements ReadStrategy {

    @Override
    public Outcome read(ReadableByteChannel channel, ByteBuffer buffer, Sink sink, Counters counters)
            throws IOException {
        int room = sink.room();
        if (room == 0) {
            return Outcome.STOPPED;
        }
        int n = ReadStrategy.readOnce(channel, buffer, room, counters);
        if (n < 0) {
            return Outcome.EOF;
        }
        if (n > 0) {
            sink.accept(buffer);
        }
        int left = channel instanceof Endpoint endpoint ? endpoint.bytesWaiting() : -1;
        if (left > 0) {
            counters.max(Counter.PEAK_BYTES_LEFT_UNREAD, left);
            sink.leftUnread(left);
        }
        return Outcome.DRAINED; // the wrong belief: the rest of the bytes are never asked for
    }
}
