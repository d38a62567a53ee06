package dev.jepoll.chat;

import java.nio.ByteBuffer;
import java.util.function.Consumer;

/**
 * Cuts one sender's byte stream into lines ending in {@code \n}, however the stream is
 * chunked. Each complete line is copied once into a fresh buffer that becomes the shared,
 * read-only bytes every recipient gets a view of. Bytes of an unfinished line wait in a
 * small array that exists only while such a line is pending.
 */
final class LineFramer {
    private static final byte NEWLINE = '\n';

    private final int maxLineBytes;
    private byte[] partial;
    private int partialLength;

    LineFramer(int maxLineBytes) {
        this.maxLineBytes = maxLineBytes;
    }

    /**
     * Consumes all of {@code chunk} (read mode), passing each completed line, with its
     * {@code \n}, to {@code lines}.
     *
     * @return false if a line grew past the maximum; the framer must not be fed again
     */
    boolean feed(ByteBuffer chunk, Consumer<ByteBuffer> lines) {
        int pos = chunk.position();
        int limit = chunk.limit();
        while (pos < limit) {
            int newline = indexOfNewline(chunk, pos, limit);
            int end = newline < 0 ? limit : newline;
            if (partialLength + (end - pos) > maxLineBytes) {
                chunk.position(limit);
                return false;
            }
            if (newline < 0) {
                keep(chunk, pos, end - pos);
                break;
            }
            lines.accept(complete(chunk, pos, end - pos + 1));
            pos = newline + 1;
        }
        chunk.position(limit);
        return true;
    }

    /** At the sender's EOF: the unfinished line with a {@code \n} added, or null if none. */
    ByteBuffer finish() {
        if (partialLength == 0) {
            return null;
        }
        ByteBuffer line = ByteBuffer.allocate(partialLength + 1);
        line.put(partial, 0, partialLength).put(NEWLINE).flip();
        partial = null;
        partialLength = 0;
        return line.asReadOnlyBuffer();
    }

    int pendingBytes() {
        return partialLength;
    }

    private ByteBuffer complete(ByteBuffer chunk, int from, int length) {
        byte[] line = new byte[partialLength + length];
        if (partialLength > 0) {
            System.arraycopy(partial, 0, line, 0, partialLength);
        }
        chunk.get(from, line, partialLength, length);
        partial = null;
        partialLength = 0;
        return ByteBuffer.wrap(line).asReadOnlyBuffer();
    }

    private void keep(ByteBuffer chunk, int from, int length) {
        int needed = partialLength + length;
        if (partial == null || partial.length < needed) {
            byte[] grown = new byte[Math.min(maxLineBytes, Math.max(needed, 2 * needed))];
            if (partialLength > 0) {
                System.arraycopy(partial, 0, grown, 0, partialLength);
            }
            partial = grown;
        }
        chunk.get(from, partial, partialLength, length);
        partialLength = needed;
    }

    private static int indexOfNewline(ByteBuffer chunk, int from, int limit) {
        for (int i = from; i < limit; i++) {
            if (chunk.get(i) == NEWLINE) {
                return i;
            }
        }
        return -1;
    }
}
