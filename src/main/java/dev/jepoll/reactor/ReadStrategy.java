package dev.jepoll.reactor;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;

/**
 * Reads a ready channel into the loop's shared buffer and hands each chunk on.
 * The two implementations are the chapter's two trigger modes.
 */
sealed interface ReadStrategy permits LevelRead, EdgeRead, EdgeReadOnce {

    /** Where read bytes go, and how many it may take now. */
    interface Sink {
        /** Bytes the sink may accept now; 0 means stop reading (paused or closing). */
        int room();

        /** Takes a chunk, in read mode; it is only valid during the call. */
        void accept(ByteBuffer chunk) throws IOException;

        /** {@code --edge-read-once}: the one read left this many bytes in the kernel, unreported. */
        default void leftUnread(int bytes) {
        }
    }

    /** What the socket looked like when the strategy stopped reading. */
    enum Outcome {
        /** Level mode read once, or edge mode spent its budget; the selector reports the channel again if more waits. */
        MAYBE_MORE,
        /** {@code read()} returned 0: the socket is drained ({@code EAGAIN}). */
        DRAINED,
        /** The sink had no room left; reading resumes when it has. */
        STOPPED,
        /** {@code read()} returned -1: the peer shut down its output. */
        EOF
    }

    Outcome read(ReadableByteChannel channel, ByteBuffer buffer, Sink sink, Counters counters)
            throws IOException;

    /** One {@code read()} call into {@code buffer}, capped by the sink's room; counted. */
    static int readOnce(ReadableByteChannel channel, ByteBuffer buffer, int room, Counters counters)
            throws IOException {
        buffer.clear();
        if (room < buffer.capacity()) {
            buffer.limit(room);
        }
        int n = channel.read(buffer);
        counters.add(Counter.READS, 1);
        if (n > 0) {
            counters.add(Counter.BYTES_IN, n);
            buffer.flip();
        } else if (n == 0) {
            counters.add(Counter.EAGAIN_READS, 1);
        }
        return n;
    }
}
