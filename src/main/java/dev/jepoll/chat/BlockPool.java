package dev.jepoll.chat;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;

/**
 * One loop's supply of {@link Block}s: a block whose last reference is released comes back
 * here, from any loop's thread, and is handed out again. {@code ByteBuffer.allocateDirect}
 * is slow (it zeroes memory, counts it, registers a cleaner), so blocks are reused; at most
 * {@code maxIdle} wait here, and any more are left to the garbage collector, so a burst does
 * not pin its memory for ever.
 */
final class BlockPool {
    private final int blockSize;
    private final int maxIdle;
    private final LongConsumer account;
    private final Queue<Block> idle = new ConcurrentLinkedQueue<>();
    private final AtomicInteger idleCount = new AtomicInteger();
    private final AtomicLong allocated = new AtomicLong();
    private final AtomicLong reused = new AtomicLong();

    /** {@code account} is told of memory taken into use (a block handed out) and given back (a block returned). */
    BlockPool(int blockSize, int maxIdle, LongConsumer account) {
        this.blockSize = blockSize;
        this.maxIdle = maxIdle;
        this.account = account;
    }

    /** A block with no bytes, holding one reference for the caller. */
    Block take() {
        Block block = idle.poll();
        if (block != null) {
            idleCount.decrementAndGet();
            reused.incrementAndGet();
        } else {
            block = new Block(blockSize, this);
            allocated.incrementAndGet();
        }
        account.accept(blockSize);
        block.retain(1);
        return block;
    }

    void recycle(Block block) {
        account.accept(-blockSize);
        if (idleCount.incrementAndGet() <= maxIdle) {
            idle.add(block);
        } else {
            idleCount.decrementAndGet(); // beyond the pool's bound: the garbage collector frees it
        }
    }

    int blockSize() {
        return blockSize;
    }

    /** Blocks ever allocated: stays small when blocks are reused. */
    long allocated() {
        return allocated.get();
    }

    long reused() {
        return reused.get();
    }

    int idle() {
        return idleCount.get();
    }
}
