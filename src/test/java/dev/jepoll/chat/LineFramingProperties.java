package dev.jepoll.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.From;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Line framing laws: however a stream is cut, the same lines come out, whole, in order, once.
 * Chunks start at varying offsets of their buffers, 0 included (where the reactor's reads put
 * them) and a few bytes in.
 */
class LineFramingProperties {
    private static final int MAX_LINE = 300;

    @Provide
    Arbitrary<String> lineText() {
        // any byte but the newline, as ISO-8859-1 chars so that one char is one byte
        return Arbitraries.strings().withCharRange((char) 0, (char) 9).withCharRange((char) 11, (char) 255)
                .ofMaxLength(MAX_LINE);
    }

    @Property(tries = 300)
    void anyCutYieldsTheSameLines(
            @ForAll @Size(max = 30) List<@From("lineText") String> lines,
            @ForAll @Size(max = 40) List<@IntRange(min = 0, max = 10_000) Integer> cutPoints,
            @ForAll @IntRange(min = 0, max = 3) int firstOffset,
            @ForAll boolean direct) {
        byte[] stream = String.join("", lines.stream().map(l -> l + "\n").toList()).getBytes(StandardCharsets.ISO_8859_1);
        LineFramer framer = new LineFramer(MAX_LINE);
        List<String> out = new ArrayList<>();
        for (ByteBuffer chunk : chunks(stream, cutPoints, firstOffset, direct)) {
            assertTrue(framer.feed(chunk, collect(out)));
            assertFalse(chunk.hasRemaining(), "every chunk is consumed");
        }
        assertEquals(lines.stream().map(l -> l + "\n").toList(), out);
        assertFalse(framer.finish(collect(out)), "nothing left over");
        assertEquals(0, framer.pendingBytes());
    }

    @Property(tries = 200)
    void anUnfinishedLastLineIsDeliveredAtEofWithItsNewline(
            @ForAll @Size(max = 5) List<@From("lineText") String> lines,
            @ForAll("lineText") String last,
            @ForAll @Size(max = 10) List<@IntRange(min = 0, max = 2_000) Integer> cutPoints,
            @ForAll @IntRange(min = 0, max = 3) int firstOffset) {
        String joined = String.join("", lines.stream().map(l -> l + "\n").toList()) + last;
        LineFramer framer = new LineFramer(MAX_LINE);
        List<String> out = new ArrayList<>();
        for (ByteBuffer chunk : chunks(joined.getBytes(StandardCharsets.ISO_8859_1), cutPoints, firstOffset, false)) {
            framer.feed(chunk, collect(out));
        }
        assertEquals(!last.isEmpty(), framer.finish(collect(out)), "a line was left over");
        List<String> expected = new ArrayList<>(lines.stream().map(l -> l + "\n").toList());
        if (!last.isEmpty()) {
            expected.add(last + "\n");
        }
        assertEquals(expected, out);
    }

    @Property(tries = 200)
    void aLineOverTheLimitIsRefusedAndTheLinesBeforeItSurvive(
            @ForAll @Size(max = 5) List<@From("lineText") String> before,
            @ForAll @IntRange(min = MAX_LINE + 1, max = 3 * MAX_LINE) int tooLong,
            @ForAll @Size(max = 10) List<@IntRange(min = 0, max = 5_000) Integer> cutPoints,
            @ForAll @IntRange(min = 0, max = 3) int firstOffset) {
        String stream = String.join("", before.stream().map(l -> l + "\n").toList()) + "x".repeat(tooLong) + "\n";
        LineFramer framer = new LineFramer(MAX_LINE);
        List<String> out = new ArrayList<>();
        boolean refused = false;
        for (ByteBuffer chunk : chunks(stream.getBytes(StandardCharsets.ISO_8859_1), cutPoints, firstOffset, false)) {
            if (!framer.feed(chunk, collect(out))) {
                refused = true;
                break;
            }
        }
        assertTrue(refused);
        assertEquals(before.stream().map(l -> l + "\n").toList(), out);
    }

    @Property(tries = 50)
    void aLineOfExactlyTheLimitIsAccepted(@ForAll @IntRange(min = 1, max = MAX_LINE) int split,
            @ForAll @IntRange(min = 0, max = 3) int firstOffset) {
        byte[] stream = ("y".repeat(MAX_LINE) + "\n").getBytes(StandardCharsets.ISO_8859_1);
        LineFramer framer = new LineFramer(MAX_LINE);
        List<String> out = new ArrayList<>();
        for (ByteBuffer chunk : chunks(stream, List.of(split), firstOffset, true)) {
            assertTrue(framer.feed(chunk, collect(out)));
        }
        assertEquals(List.of("y".repeat(MAX_LINE) + "\n"), out);
    }

    /**
     * Cuts {@code stream} at the given points; chunk {@code i} starts at offset
     * {@code (firstOffset + i) % 4} of its buffer (0 is where the reactor's reads put it), with
     * a few bytes of garbage before it and after its limit.
     */
    private static List<ByteBuffer> chunks(byte[] stream, List<Integer> cutPoints, int firstOffset, boolean direct) {
        int[] cuts = cutPoints.stream().mapToInt(c -> c % (stream.length + 1)).sorted().distinct().toArray();
        List<ByteBuffer> chunks = new ArrayList<>();
        int from = 0;
        for (int i = 0; i <= cuts.length; i++) {
            int to = i < cuts.length ? cuts[i] : stream.length;
            int offset = (firstOffset + i) % 4;
            ByteBuffer b = direct ? ByteBuffer.allocateDirect(offset + to - from + 4) : ByteBuffer.allocate(offset + to - from + 4);
            while (b.hasRemaining()) {
                b.put((byte) '\n'); // garbage around the chunk: newlines, the byte a framer must not see
            }
            b.position(offset);
            b.put(stream, from, to - from);
            b.limit(b.position()).position(offset);
            chunks.add(b);
            from = to;
        }
        return chunks;
    }

    /** A sink that adds each line, head and chunk part together, to {@code out} as text. */
    private static LineFramer.Sink collect(List<String> out) {
        return (head, headLength, chunk, from, to) -> {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            bytes.write(head == null ? new byte[0] : head, 0, headLength);
            for (int i = from; i < to; i++) {
                bytes.write(chunk.get(i));
            }
            out.add(bytes.toString(StandardCharsets.ISO_8859_1));
        };
    }
}
