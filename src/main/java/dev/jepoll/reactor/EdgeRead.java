package dev.jepoll.reactor;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;

/**
 * Edge-triggered reading, emulated: drain the socket on every readiness event until
 * {@code read()} returns 0 (the chapter's {@code EAGAIN} on a non-blocking socket) or -1.
 * A real {@code EPOLLET} registration would not report the socket again, so stopping
 * early would strand bytes; here the sink may still stop us (backpressure), and the
 * level-triggered selector underneath brings us back once it has room.
 */
final class EdgeRead implements ReadStrategy {

    @Override
    public Outcome read(ReadableByteChannel channel, ByteBuffer buffer, Sink sink, Counters counters)
            throws IOException {
        while (true) {
            int room = sink.room();
            if (room == 0) {
                return Outcome.STOPPED;
            }
            int n = ReadStrategy.readOnce(channel, buffer, room, counters);
            if (n < 0) {
                return Outcome.EOF;
            }
            if (n == 0) {
                return Outcome.DRAINED;
            }
            sink.accept(buffer);
        }
    }
}
