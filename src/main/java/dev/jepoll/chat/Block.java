package dev.jepoll.chat;

import dev.jepoll.reactor.BufferOwner;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A slab of direct memory that one loop appends its lines to, wakeup after wakeup; every
 * recipient's view is a read-only slice of it, so a line is copied once however many read it,
 * and the socket writes it with no further copy (the JDK copies heap buffers, not direct ones).
 *
 * <p>Reference-counted: the {@link LineLog} holds one reference while it appends, each region
 * not yet delivered one, each queued view one, each loop a delivery is on its way to one.
 * The last {@link #release()}, on whichever loop's thread, gives the block back to its pool;
 * only then may its bytes be overwritten.
 */
final class Block implements BufferOwner {
    private final ByteBuffer memory;   // write mode, appended to by the owning loop only
    private final ByteBuffer readOnly; // the same memory, read-only, for slicing views
    private final AtomicInteger refs = new AtomicInteger();
    private final BlockPool pool;

    Block(int capacity, BlockPool pool) {
        this.memory = ByteBuffer.allocateDirect(capacity);
        this.readOnly = memory.asReadOnlyBuffer();
        this.pool = pool;
    }

    /** Bytes appended so far. */
    int size() {
        return memory.position();
    }

    int room() {
        return memory.remaining();
    }

    /** Appends {@code length} bytes of {@code src} from its absolute index {@code from}; they must fit. */
    void append(ByteBuffer src, int from, int length) {
        memory.put(memory.position(), src, from, length);
        memory.position(memory.position() + length);
    }

    void append(byte[] src, int from, int length) {
        memory.put(src, from, length);
    }

    /** A read-only view of bytes {@code from} to {@code to}, for one recipient; the caller holds a reference for it. */
    ByteBuffer view(int from, int to) {
        return readOnly.slice(from, to - from);
    }

    void retain(int n) {
        refs.addAndGet(n);
    }

    @Override
    public void release() {
        int left = refs.decrementAndGet();
        if (left == 0) {
            memory.clear();
            pool.recycle(this);
        } else if (left < 0) {
            throw new IllegalStateException("block released more often than retained");
        }
    }

    int references() {
        return refs.get();
    }
}
