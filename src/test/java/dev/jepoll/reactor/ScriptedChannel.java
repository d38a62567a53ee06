package dev.jepoll.reactor;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.GatheringByteChannel;
import java.nio.channels.ReadableByteChannel;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * A channel that plays a script: each read delivers the next step's byte count (0 is the
 * chapter's EAGAIN, -1 is EOF), each write takes at most the next cap. Bytes delivered are
 * 0, 1, 2, ... so a test can check order; bytes written are recorded.
 */
final class ScriptedChannel implements ReadableByteChannel, GatheringByteChannel {
    private final Deque<Integer> reads = new ArrayDeque<>();
    private final Deque<Integer> writeCaps = new ArrayDeque<>();
    private final ByteArrayOutputStream written = new ByteArrayOutputStream();
    private int nextByte;
    int readCalls;
    int writeCalls;

    ScriptedChannel reads(int... steps) {
        for (int s : steps) {
            reads.add(s);
        }
        return this;
    }

    /** Caps for successive write calls; once used up, writes take everything. */
    ScriptedChannel writeCaps(int... caps) {
        for (int c : caps) {
            writeCaps.add(c);
        }
        return this;
    }

    byte[] written() {
        return written.toByteArray();
    }

    @Override
    public int read(ByteBuffer dst) {
        readCalls++;
        Integer step = reads.poll();
        if (step == null) {
            throw new AssertionError("read past the end of the script");
        }
        if (step <= 0) {
            return step;
        }
        int n = Math.min(step, dst.remaining());
        for (int i = 0; i < n; i++) {
            dst.put((byte) nextByte++);
        }
        return n;
    }

    @Override
    public int write(ByteBuffer src) {
        return (int) write(new ByteBuffer[] {src}, 0, 1);
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) {
        writeCalls++;
        Integer cap = writeCaps.poll();
        long budget = cap == null ? Long.MAX_VALUE : cap;
        long total = 0;
        for (int i = offset; i < offset + length && budget > 0; i++) {
            while (srcs[i].hasRemaining() && budget > 0) {
                written.write(srcs[i].get());
                budget--;
                total++;
            }
        }
        return total;
    }

    @Override
    public long write(ByteBuffer[] srcs) {
        return write(srcs, 0, srcs.length);
    }

    @Override
    public boolean isOpen() {
        return true;
    }

    @Override
    public void close() {
    }
}
