package dev.jepoll.clients;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * The lines a server sends, read with bounded memory and made safe to print, whatever the
 * server sends.
 *
 * <ul>
 * <li>A line is what comes before a {@code \n} (a {@code \r} right before it is dropped too);
 *     the bytes after the last {@code \n} are a line as well once the stream ends or fails, so
 *     a server that stops mid-line still has its last words printed.
 * <li>At most {@link #MAX_LINE_BYTES} of one line are kept, the chat server's own limit. A
 *     longer line is returned as soon as the limit is reached, its first
 *     {@code MAX_LINE_BYTES} followed by {@link #CUT_MARKER}, and the rest of it, up to its
 *     {@code \n}, is read and dropped. A server sending one endless line therefore costs a
 *     fixed 64 KiB, not all the heap.
 * <li>Bytes are decoded as UTF-8, each invalid sequence becoming U+FFFD, and every control
 *     character but tab becomes U+FFFD too: a hostile server can neither crash the client
 *     with bad encodings nor drive the user's terminal with escape sequences.
 * </ul>
 */
final class BoundedLineReader {
    static final int MAX_LINE_BYTES = 64 * 1024;
    static final String CUT_MARKER = " [line cut: longer than " + MAX_LINE_BYTES + " bytes]";
    static final char REPLACEMENT = '\uFFFD';

    private final InputStream in;
    private final byte[] chunk = new byte[8 * 1024];
    private int chunkPosition;
    private int chunkEnd;
    private final byte[] line = new byte[MAX_LINE_BYTES];
    private int lineLength;
    /** Set once a line has been cut: what remains of it, up to its {@code \n}, is dropped. */
    private boolean droppingRestOfLine;
    private boolean ended;
    /** Why the stream ended, held back until the partial line it cut short has been returned. */
    private IOException failure;

    BoundedLineReader(InputStream in) {
        this.in = in;
    }

    /**
     * The next line, printable, without its end; null once the server has closed and every
     * line has been returned.
     *
     * @throws IOException if the connection failed (a reset, say), after any partial line
     *         that came before the failure has been returned
     */
    String readLine() throws IOException {
        while (chunkPosition < chunkEnd || fill()) {
            byte b = chunk[chunkPosition++];
            if (b == '\n') {
                if (droppingRestOfLine) {
                    droppingRestOfLine = false;
                } else {
                    return takeLine(true, "");
                }
            } else if (droppingRestOfLine) {
                continue;
            } else if (lineLength == MAX_LINE_BYTES) {
                droppingRestOfLine = true; // b is the first byte of what is dropped
                return takeLine(false, CUT_MARKER);
            } else {
                line[lineLength++] = b;
            }
        }
        if (lineLength > 0) {
            return takeLine(false, "");
        }
        if (failure != null) {
            throw failure;
        }
        return null;
    }

    /** Reads the next chunk; false at the end of the stream or on its failure, which is kept. */
    private boolean fill() {
        if (ended) {
            return false;
        }
        int n;
        try {
            n = in.read(chunk);
        } catch (IOException e) {
            failure = e;
            n = -1;
        }
        if (n < 0) {
            ended = true;
            return false;
        }
        chunkPosition = 0;
        chunkEnd = n;
        return true;
    }

    private String takeLine(boolean endedByNewline, String suffix) {
        int length = lineLength;
        if (endedByNewline && length > 0 && line[length - 1] == '\r') {
            length--; // a CRLF line end, not a control character to show
        }
        lineLength = 0;
        return printable(new String(line, 0, length, StandardCharsets.UTF_8)) + suffix;
    }

    /** The text with every control character but tab replaced; the String constructor already replaced bad UTF-8. */
    static String printable(String text) {
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isISOControl(c) && c != '\t') {
                if (out == null) {
                    out = new StringBuilder(text);
                }
                out.setCharAt(i, REPLACEMENT);
            }
        }
        return out == null ? text : out.toString();
    }
}
