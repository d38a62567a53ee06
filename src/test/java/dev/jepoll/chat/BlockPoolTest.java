package dev.jepoll.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Blocks are counted by reference, come back to their pool on the last release, and the pool accounts its memory. */
class BlockPoolTest {
    private final List<Long> accounted = new ArrayList<>();
    private final BlockPool pool = new BlockPool(16, 2, accounted::add);

    @Test
    void aBlockCountsWhileInUseAndNotWhileIdle() {
        assertEquals(16, pool.blockSize());
        Block first = pool.take();
        assertEquals(List.of(16L), accounted);
        assertEquals(1, pool.allocated());
        assertEquals(1, first.references(), "the caller's reference");
        first.release();
        assertEquals(1, pool.idle());
        Block again = pool.take();
        assertSame(first, again);
        assertEquals(0, pool.idle());
        assertEquals(1, pool.reused());
        assertEquals(List.of(16L, -16L, 16L), accounted, "taken, idle (not counted: the server can do without it), taken again");
    }

    @Test
    void idleBlocksBeyondTheBoundAreLeftToTheCollector() {
        Block a = pool.take();
        Block b = pool.take();
        Block c = pool.take();
        a.release();
        b.release();
        assertEquals(2, pool.idle(), "up to the bound they wait");
        assertEquals(List.of(16L, 16L, 16L, -16L, -16L), accounted);
        c.release();
        assertEquals(2, pool.idle());
        assertEquals(3, pool.allocated());
        assertEquals(List.of(16L, 16L, 16L, -16L, -16L, -16L), accounted, "nothing idle is counted");
    }

    @Test
    void aBlockGoesBackOnItsLastReleaseOnly() {
        Block block = pool.take();
        block.retain(2);
        assertEquals(3, block.references());
        block.release();
        block.release();
        assertEquals(0, pool.idle());
        block.release();
        assertEquals(1, pool.idle());
        assertEquals(0, block.references());
    }

    @Test
    void releasingMoreThanRetainedIsABug() {
        Block block = pool.take();
        block.retain(1);
        block.release();
        block.release();
        assertThrows(IllegalStateException.class, block::release);
    }

    @Test
    void appendedBytesAreSeenThroughViewsAndAReusedBlockStartsEmpty() {
        Block block = pool.take();
        block.append("abc".getBytes(StandardCharsets.ISO_8859_1), 0, 3);
        block.append(ByteBuffer.wrap("xdefx".getBytes(StandardCharsets.ISO_8859_1)), 1, 3);
        assertEquals(6, block.size());
        assertEquals(10, block.room());
        assertEquals("bcde", StandardCharsets.ISO_8859_1.decode(block.view(1, 5)).toString());
        block.release();
        Block reused = pool.take();
        assertEquals(0, reused.size());
        assertEquals(16, reused.room());
    }
}
