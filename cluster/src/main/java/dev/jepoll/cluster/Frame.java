package dev.jepoll.cluster;

import java.nio.ByteBuffer;

/**
 * One NATS message of the backplane: a 22-byte header, then whole chat lines as the sending
 * node's members said them. The header names the node and numbers its lines, so a receiver
 * counts what went missing or came twice instead of guessing:
 * <pre>
 *   byte 0     'J'
 *   byte 1     version (1)
 *   bytes 2-9  node id (random per process start)
 *   bytes 10-17 sequence number of the first line (each node numbers its lines 1, 2, 3, ...)
 *   bytes 18-21 lines in this message
 * </pre>
 *
 * @param node      the sending node
 * @param firstLine the sequence number of its first line
 * @param lineCount lines it holds
 */
record Frame(long node, long firstLine, int lineCount) {
    static final int HEADER_BYTES = 22;
    private static final byte MAGIC = 'J';
    private static final byte VERSION = 1;

    /** Writes this header into the first {@link #HEADER_BYTES} of {@code message}. */
    void writeTo(byte[] message) {
        ByteBuffer.wrap(message).put(MAGIC).put(VERSION).putLong(node).putLong(firstLine).putInt(lineCount);
    }

    /** The last line's sequence number. */
    long lastLine() {
        return firstLine + lineCount - 1;
    }

    /**
     * Reads the header of {@code message}.
     *
     * @throws IllegalArgumentException if it is not one of ours (another program on the subject)
     */
    static Frame read(byte[] message) {
        if (message.length < HEADER_BYTES || message[0] != MAGIC || message[1] != VERSION) {
            throw new IllegalArgumentException("not a jepoll backplane message (" + message.length + " bytes)");
        }
        ByteBuffer in = ByteBuffer.wrap(message, 2, HEADER_BYTES - 2);
        long node = in.getLong();
        long first = in.getLong();
        int count = in.getInt();
        if (first < 1 || count < 1) {
            throw new IllegalArgumentException("bad backplane header: first line " + first + ", " + count + " lines");
        }
        return new Frame(node, first, count);
    }
}
