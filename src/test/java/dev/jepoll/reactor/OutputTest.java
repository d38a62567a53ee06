package dev.jepoll.reactor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import dev.jepoll.reactor.backend.Endpoint;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** A connection's output side at its edges: the drain mark, and a direct write the socket failed on. */
class OutputTest {
    private final Endpoint endpoint = mock(Endpoint.class);
    private final Output output = new Output(endpoint, new Counters());

    @Test
    void aDrainMarkExactlyReachedCountsAsReached() {
        output.queue(ByteBuffer.allocate(5), null, 0);
        assertTrue(output.markDrain(5), "5 pending, told at 5: already there");
        assertTrue(output.drainedToMark());
        assertFalse(output.markDrain(4), "5 pending, told at 4: not yet");
        assertFalse(output.drainedToMark());
    }

    @Test
    void aDirectWriteTheSocketFailedOnCountsAsDroppedWhenTheConnectionCloses() throws IOException {
        when(endpoint.write(any(ByteBuffer.class))).thenThrow(new IOException("Connection reset by peer"));
        assertThrows(IOException.class, () -> output.writeNow(ByteBuffer.allocate(7), 0));
        assertEquals(7, output.drop(), "the 7 bytes offered were never sent");
        assertEquals(0, output.drop(), "and counted once");
    }
}
