package dev.jepoll.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class FrameTest {
    @Property
    void aHeaderReadsBackAsWritten(@ForAll long node, @ForAll @LongRange(min = 1) long first,
                                   @ForAll @IntRange(min = 1) int count) {
        byte[] message = new byte[Frame.HEADER_BYTES + 3];
        new Frame(node, first, count).writeTo(message);
        assertEquals(new Frame(node, first, count), Frame.read(message));
    }

    @Test
    void somethingElseOnTheSubjectIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> Frame.read("hello, world, not ours at all".getBytes()));
        assertThrows(IllegalArgumentException.class, () -> Frame.read(new byte[3]));
        byte[] zeroLines = new byte[Frame.HEADER_BYTES];
        new Frame(1, 1, 1).writeTo(zeroLines);
        zeroLines[Frame.HEADER_BYTES - 1] = 0;
        assertThrows(IllegalArgumentException.class, () -> Frame.read(zeroLines));
    }

    @Test
    void theLastLineIsTheFirstPlusTheCountLessOne() {
        assertEquals(10, new Frame(7, 8, 3).lastLine());
    }
}
