package dev.jepoll.chat;

import java.nio.ByteBuffer;

/**
 * Cuts one sender's byte stream into lines ending in {@code \n}, however the stream is
 * chunked, and hands each complete line to a {@link Sink} without copying it first: the
 * sink copies it once, straight from the loop's read buffer, into shared memory. Only the
 * bytes of an unfinished line wait here, in a small array that exists only while such a line
 * is pending.
 */
final class LineFramer {
    private static final byte NEWLINE = '\n';
    private static final ByteBuffer NEWLINE_ONLY = ByteBuffer.wrap(new byte[] {NEWLINE}).asReadOnlyBuffer();

    /** Takes complete lines. */
    interface Sink {
        /**
         * One complete line, {@code \n} included: the first {@code headLength} bytes of
         * {@code head} (its earlier, buffered part), then bytes {@code from} to {@code to} of
         * {@code chunk} (absolute indexes). Both are valid during the call only.
         */
        void line(byte[] head, int headLength, ByteBuffer chunk, int from, int to);
    }

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
    boolean feed(ByteBuffer chunk, Sink lines) {
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
            lines.line(partial, partialLength, chunk, pos, newline + 1);
            partial = null;
            partialLength = 0;
            pos = newline + 1;
        }
        chunk.position(limit);
        return true;
    }

    /** At the sender's EOF: passes the unfinished line, with a {@code \n} added; false if there was none. */
    boolean finish(Sink lines) {
        if (partialLength == 0) {
            return false;
        }
        lines.line(partial, partialLength, NEWLINE_ONLY, 0, 1);
        partial = null;
        partialLength = 0;
        return true;
    }

    int pendingBytes() {
        return partialLength;
    }

    /** Memory this framer keeps: the array of an unfinished line, whole. */
    int heldBytes() {
        return partial == null ? 0 : partial.length;
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
