package dev.jepoll.reactor;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;

/** A read strategy's sink for tests: keeps every byte and counts the chunks; its room is set by the test. */
final class RecordingSink implements ReadStrategy.Sink {
    final ByteArrayOutputStream received = new ByteArrayOutputStream();
    int chunks;
    int room = Integer.MAX_VALUE;

    @Override
    public int room() {
        return room;
    }

    @Override
    public void accept(ByteBuffer chunk) {
        chunks++;
        while (chunk.hasRemaining()) {
            received.write(chunk.get());
        }
    }
}
