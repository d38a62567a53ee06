package dev.jepoll.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** A loop's lines appended to blocks and taken as one delivery per wakeup, across block boundaries. */
class LineLogTest {
    private final BlockPool pool = new BlockPool(8, 4, delta -> { });
    private final LineLog log = new LineLog(pool);

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static String text(Delivery d) {
        StringBuilder s = new StringBuilder();
        for (Region r : d.regions()) {
            s.append(StandardCharsets.ISO_8859_1.decode(r.view()));
        }
        return s.toString();
    }

    @Test
    void unpublishedCountsTheBufferedHeadAndTheChunkPart() {
        log.line(ascii("abc"), 3, ByteBuffer.wrap(ascii("de\n")), 0, 3);
        assertEquals(6, log.unpublished());
        log.line(null, 0, ByteBuffer.wrap(ascii("xx\nyy\n")), 3, 6);
        assertEquals(9, log.unpublished());
        log.takeDelivery().release();
        assertEquals(0, log.unpublished());
    }

    @Test
    void aLineWhoseBufferedHeadSpansBlocksArrivesWhole() {
        byte[] head = ascii("0123456789ab????"); // an array larger than the head, as the framer keeps it
        log.line(head, 12, ByteBuffer.wrap(ascii("..xy\n")), 2, 5);
        Delivery d = log.takeDelivery();
        assertEquals("0123456789abxy\n", text(d));
        assertEquals(15, d.bytes());
        assertEquals(2, d.regions().length);
        d.release();
    }

    @Test
    void aDeliveryIsWhatCameSinceTheLastOneAndNothingIsNoDelivery() {
        assertNull(log.takeDelivery());
        log.line(null, 0, ByteBuffer.wrap(ascii("a\n")), 0, 2);
        Delivery first = log.takeDelivery();
        assertEquals("a\n", text(first));
        assertNull(log.takeDelivery(), "nothing new in the same block");
        log.line(null, 0, ByteBuffer.wrap(ascii("b\n")), 0, 2);
        Delivery second = log.takeDelivery();
        assertEquals("b\n", text(second));
        assertEquals(1, second.regions().length);
        assertEquals(2, second.regions()[0].from(), "it continues the same block");
        first.release();
        second.release();
    }

    @Test
    void aDeliverysSizeIsThatOfAllItsRegions() {
        Block block = pool.take();
        block.append(ascii("abcdefgh"), 0, 8);
        Delivery d = Delivery.of(new Region[] {new Region(block, 0, 3), new Region(block, 5, 8)}, 2);
        assertEquals(6, d.bytes());
        d.retain(1);
        assertEquals(3, block.references(), "one per region");
    }

    @Test
    void aDeliveryCountsItsLinesWhetherFramedOneByOneOrTakenWhole() {
        LineLog log = new LineLog(pool);
        log.line(null, 0, ByteBuffer.wrap(ascii("a\n")), 0, 2);
        log.line(ascii("[x] "), 4, ByteBuffer.wrap(ascii("b\n")), 0, 2);
        log.lines(ByteBuffer.wrap(ascii("c\nd\ne\n")), 0, 6, 3); // another node's three lines, as one message
        Delivery d = log.takeDelivery();
        assertEquals(5, d.lines());
        assertEquals("a\n[x] b\nc\nd\ne\n", text(d));
        log.line(null, 0, ByteBuffer.wrap(ascii("f\n")), 0, 2);
        Delivery next = log.takeDelivery();
        assertEquals(1, next.lines(), "counted afresh for each delivery");
        d.release();
        next.release();
        log.close();
    }
}
