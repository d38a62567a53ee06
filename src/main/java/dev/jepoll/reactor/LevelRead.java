package dev.jepoll.reactor;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;

/**
 * Level-triggered reading: one {@code read()} per readiness event. Bytes left in the
 * socket make the selector report the channel again on the next wait, so with a 4-byte
 * buffer a 12-byte message takes three wakeups, as in the chapter's {@code echo_EPLTserv}.
 */
final class LevelRead implements ReadStrategy {

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
        if (n == 0) {
            return Outcome.DRAINED;
        }
        sink.accept(buffer);
        return Outcome.MAYBE_MORE;
    }
}
