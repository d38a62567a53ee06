package dev.jepoll.bench;

import java.nio.charset.StandardCharsets;

/**
 * The chat soak's lines, a pure function of (sender, sequence number), so any receiver can
 * check any line it gets without having seen it sent. A line of 32 bytes or more is
 * {@code <sender>.<seq>.} followed by filler from a 64-character alphabet, starting at a place
 * that depends on both numbers: a torn, spliced or shifted line does not match. Lengths run
 * from 32 B to the server's 64 KiB limit, spread evenly over the octaves (as many 40-byte lines
 * as 40 KiB ones), with every 50th line exactly at the limit.
 *
 * <p>Lines shorter than 32 bytes have no room for a header, so only one sender speaks them:
 * {@link #TINY_SENDER}, a member of the stable core, which says every third line in 1 to 31
 * bytes of filler. A receiver attributes any short line to it and checks it against the
 * sequence number it expects from it next. Together: every length from 1 byte to the limit.
 */
final class SoakLines {
    static final int MAX_LINE = 64 * 1024;
    static final int HEADERED_MIN = 32;
    static final int TINY_SENDER = 0;
    private static final byte[] ALPHABET =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".getBytes(StandardCharsets.US_ASCII);

    private SoakLines() {}

    /** Where line (sender, seq)'s filler starts in the alphabet, and its length draw. */
    private static int hash(long sender, long seq) {
        long h = sender * 0x9E3779B97F4A7C15L + seq * 0xC2B2AE3D27D4EB4FL;
        h ^= h >>> 31;
        h *= 0xBF58476D1CE4E5B9L;
        return (int) (h ^ (h >>> 29));
    }

    static boolean isTiny(int sender, long seq) {
        return sender == TINY_SENDER && seq % 3 == 1;
    }

    /** The length of line seq of sender, not counting the {@code \n}. */
    static int length(int sender, long seq) {
        int h = hash(sender, seq);
        if (isTiny(sender, seq)) {
            return 1 + Math.floorMod(h, HEADERED_MIN - 1);
        }
        if (seq % 50 == 7) {
            return MAX_LINE;
        }
        double u = (h >>> 8) / (double) (1 << 24); // [0, 1)
        return (int) Math.min(MAX_LINE, Math.round(HEADERED_MIN * Math.pow(2, 11 * u))); // 32 * 2^11 = 64 KiB
    }

    /** The line with its {@code \n}. */
    static byte[] line(int sender, long seq) {
        return make(sender, seq, length(sender, seq));
    }

    /** A line longer than the server's limit, which the server must refuse and no one may see. */
    static byte[] overlong(int sender, long seq, int extra) {
        return make(sender, seq, MAX_LINE + 1 + extra);
    }

    private static byte[] make(int sender, long seq, int length) {
        byte[] line = new byte[length + 1];
        int h = 0;
        if (length >= HEADERED_MIN) {
            byte[] header = (sender + "." + seq + ".").getBytes(StandardCharsets.US_ASCII);
            System.arraycopy(header, 0, line, 0, header.length);
            h = header.length;
        }
        int base = hash(sender, seq);
        for (int i = h; i < length; i++) {
            line[i] = ALPHABET[(base + i) & 63];
        }
        line[length] = '\n';
        return line;
    }

    /** The sender and sequence number of a headered line, or null when it has no valid header. */
    static long[] header(byte[] b, int len) {
        long[] fields = new long[2];
        int p = 0;
        for (int f = 0; f < 2; f++) {
            int start = p;
            long v = 0;
            while (p < len && p - start < 12 && b[p] >= '0' && b[p] <= '9') {
                v = v * 10 + (b[p++] - '0');
            }
            if (p == start || p >= len || b[p++] != '.') {
                return null;
            }
            fields[f] = v;
        }
        return fields;
    }

    /**
     * Null when {@code b[0..len)} is exactly line (sender, seq), or what is wrong with it: the
     * length (a torn or spliced line, or one of another sequence number), or the first wrong byte.
     */
    static String mismatch(byte[] b, int len, int sender, long seq) {
        int want = length(sender, seq);
        if (len != want) {
            return "length " + len + ", expected " + want;
        }
        byte[] expected = make(sender, seq, want);
        for (int i = 0; i < len; i++) {
            if (b[i] != expected[i]) {
                return "wrong byte at " + i + " of " + len;
            }
        }
        return null;
    }
}
