package dev.jepoll.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Line framing on chunks as the reactor hands them over (position 0 of the loop's buffer), and
 * what the framer keeps between chunks: the bytes of an unfinished line, in an array that
 * grows by doubling up to the max line and is dropped once the line ends.
 */
class LineFramerTest {
    private final List<String> lines = new ArrayList<>();
    private final LineFramer.Sink sink = (head, headLength, chunk, from, to) -> {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(head == null ? new byte[0] : head, 0, headLength);
        for (int i = from; i < to; i++) {
            b.write(chunk.get(i));
        }
        lines.add(b.toString(StandardCharsets.ISO_8859_1));
    };

    private static ByteBuffer chunk(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.ISO_8859_1)); // position 0, as reads leave it
    }

    @Test
    void aNewlineAtIndexZeroOfAChunkLongerThanTheMaxLineEndsAnEmptyLine() {
        LineFramer framer = new LineFramer(4);
        assertTrue(framer.feed(chunk("\nab\ncd\n"), sink));
        assertEquals(List.of("\n", "ab\n", "cd\n"), lines);
    }

    @Test
    void aNewlineAtIndexZeroEndsTheLineStartedInTheChunkBefore() {
        LineFramer framer = new LineFramer(4);
        assertTrue(framer.feed(chunk("ab"), sink));
        assertTrue(framer.feed(chunk("\ncd\nef\n"), sink));
        assertEquals(List.of("ab\n", "cd\n", "ef\n"), lines);
        assertEquals(0, framer.pendingBytes());
    }

    @Test
    void anUnfinishedLineIsKeptInAnArrayThatDoublesUpToTheMaxLine() {
        LineFramer framer = new LineFramer(100);
        assertEquals(0, framer.heldBytes());
        framer.feed(chunk("abc"), sink);
        assertEquals(3, framer.pendingBytes());
        assertEquals(6, framer.heldBytes(), "room for twice what it holds");
        framer.feed(chunk("def"), sink);
        assertEquals(6, framer.pendingBytes());
        assertEquals(6, framer.heldBytes(), "it fits: no new array");
        framer.feed(chunk("g"), sink);
        assertEquals(7, framer.pendingBytes());
        assertEquals(14, framer.heldBytes());
        framer.feed(chunk("\n"), sink);
        assertEquals(List.of("abcdefg\n"), lines);
        assertEquals(0, framer.pendingBytes());
        assertEquals(0, framer.heldBytes(), "the array goes with the line");
    }

    @Test
    void theArrayNeverOutgrowsTheMaxLine() {
        LineFramer framer = new LineFramer(4);
        framer.feed(chunk("abc"), sink);
        assertEquals(4, framer.heldBytes());
        framer.feed(chunk("d"), sink);
        assertEquals(4, framer.heldBytes());
        assertFalse(framer.feed(chunk("e"), sink), "a fifth byte makes the line too long");
    }

    @Test
    void finishingPassesTheUnfinishedLineWithANewlineOnce() {
        LineFramer framer = new LineFramer(10);
        assertFalse(framer.finish(sink));
        framer.feed(chunk("x\nbye"), sink);
        assertTrue(framer.finish(sink));
        assertEquals(List.of("x\n", "bye\n"), lines);
        assertEquals(0, framer.pendingBytes());
        assertEquals(0, framer.heldBytes());
        assertFalse(framer.finish(sink));
    }
}
