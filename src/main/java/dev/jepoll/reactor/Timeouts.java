package dev.jepoll.reactor;

import dev.jepoll.reactor.backend.Endpoint;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * How a connection that makes no progress ends: the write and idle timeouts the loop's sweep
 * checks, and the lingering close's last reads. Pure rules on a connection's clocks and socket;
 * the connection acts on what they say.
 */
final class Timeouts {
    static final String NO_WRITE_PROGRESS = "no write progress";
    /** A closing connection reads only to see the peer's EOF, a few reads per event. */
    static final int DISCARD_READS_PER_EVENT = 16;

    private Timeouts() {
    }

    /**
     * Why the connection must close now, or null: it owed output and wrote none of it for the
     * write timeout, or nothing moved either way for the idle timeout (0: no such timeout).
     */
    static String why(long now, Output output, long writeTimeoutNanos, long lastActivityNanos, long idleTimeoutNanos) {
        long stalled = output.stalledNanos(now);
        if (writeTimeoutNanos > 0 && !output.isEmpty() && stalled >= writeTimeoutNanos) {
            return NO_WRITE_PROGRESS + " for " + millis(stalled) + " ms with " + output.pendingBytes() + " bytes owed";
        }
        if (idleTimeoutNanos > 0 && now - lastActivityNanos >= idleTimeoutNanos) {
            return "nothing moved for " + millis(now - lastActivityNanos) + " ms";
        }
        return null;
    }

    /** Closes {@code link} if {@link #why} says so; true if it did. */
    static boolean closeIfStalled(Link link, Output output, long now, long writeTimeoutNanos, long lastActivityNanos,
            long idleTimeoutNanos) {
        String why = why(now, output, writeTimeoutNanos, lastActivityNanos, idleTimeoutNanos);
        if (why != null) {
            link.close(why.startsWith(NO_WRITE_PROGRESS) ? CloseReason.WRITE_TIMEOUT : CloseReason.IDLE_TIMEOUT, why);
        }
        return why != null;
    }

    /**
     * A closing connection whose output is shut reads and discards until the peer's EOF, so
     * that it does not reset a peer still sending; a few reads per event, so that a peer still
     * flooding cannot hold the loop. {@code EOF}: the peer is done; {@code DRAINED}: nothing
     * more for now; {@code MAYBE_MORE}: it stopped before {@code EAGAIN}.
     */
    static ReadStrategy.Outcome discard(Endpoint endpoint, ByteBuffer scratch, Counters counters) throws IOException {
        for (int reads = 0; reads < DISCARD_READS_PER_EVENT; reads++) {
            scratch.clear();
            int n = endpoint.read(scratch);
            if (n < 0) {
                return ReadStrategy.Outcome.EOF;
            }
            if (n == 0) {
                return ReadStrategy.Outcome.DRAINED;
            }
            counters.add(Counter.BYTES_DISCARDED, n);
        }
        return ReadStrategy.Outcome.MAYBE_MORE;
    }

    private static long millis(long nanos) {
        return nanos / 1_000_000;
    }
}
