package dev.jepoll.reactor;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;

/**
 * Edge-triggered reading, emulated: drain the socket on every readiness event until
 * {@code read()} returns 0 (the chapter's {@code EAGAIN} on a non-blocking socket) or -1.
 * A real {@code EPOLLET} registration would not report the socket again, so stopping
 * early would strand bytes; here the sink may stop us (backpressure), and so may the read
 * budget (fairness, see {@link TriggerMode}); the level-triggered selector underneath
 * brings us back in both cases.
 */
final class EdgeRead implements ReadStrategy {
    private final int budget;

    /** @param budget most reads per readiness event, or 0 to drain whatever it takes */
    EdgeRead(int budget) {
        this.budget = budget;
    }

    @Override
    public Outcome read(ReadableByteChannel channel, ByteBuffer buffer, Sink sink, Counters counters)
            throws IOException {
        for (int reads = 0; budget == 0 || reads < budget; reads++) {
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
        counters.add(Counter.READ_BUDGET_SPENT, 1);
        return Outcome.MAYBE_MORE;
    }
}
