package dev.jepoll.reactor;

import java.util.Arrays;

/**
 * The native poller's interest changes of one wakeup, kept until the next wait and then applied
 * once per socket, only where they matter: what {@code epoll_ctl(MOD)} calls to make. A plain
 * class on any Java, so that its rule is tested where the native backend cannot run.
 *
 * <p>The rule: a socket whose interest (in {@link java.nio.channels.SelectionKey} ops) differs
 * from what the kernel was last given gets a {@code MOD}. So does, in edge-triggered mode, a
 * socket that had an op turned on again since the last wait even though the kernel's mask is
 * the same: meanwhile an edge may have been reported while the op was off, dropped by the
 * poller because no one wanted it then, and under {@code EPOLLET} the kernel will not report
 * it again. A {@code MOD} re-arms the socket (the kernel checks readiness again and reports it),
 * so reading or writing that was paused and resumed within one wakeup cannot strand a socket.
 */
final class InterestBatch {
    /** Makes one {@code epoll_ctl(MOD)}. */
    interface Modify {
        void modify(int slot, int ops);
    }

    private static final int OPS = java.nio.channels.SelectionKey.OP_READ | java.nio.channels.SelectionKey.OP_WRITE
            | java.nio.channels.SelectionKey.OP_ACCEPT;

    private final boolean edge;
    private int[] wanted;
    private int[] applied;
    private boolean[] pending;
    private boolean[] rearm;
    private int[] queue;
    private int queued;

    InterestBatch(boolean edge, int capacity) {
        this.edge = edge;
        wanted = new int[capacity];
        applied = new int[capacity];
        pending = new boolean[capacity];
        rearm = new boolean[capacity];
        queue = new int[capacity];
    }

    /** Room for slots {@code 0..capacity-1}. */
    void grow(int capacity) {
        if (capacity > wanted.length) {
            wanted = Arrays.copyOf(wanted, capacity);
            applied = Arrays.copyOf(applied, capacity);
            pending = Arrays.copyOf(pending, capacity);
            rearm = Arrays.copyOf(rearm, capacity);
        }
    }

    /** A socket just registered ({@code EPOLL_CTL_ADD}) with {@code ops}: nothing owed for it. */
    void registered(int slot, int ops) {
        wanted[slot] = ops;
        applied[slot] = ops;
        pending[slot] = false;
        rearm[slot] = false;
    }

    /** A socket deregistered: whatever was noted for it is dropped. */
    void forget(int slot) {
        pending[slot] = false;
        rearm[slot] = false;
    }

    /** What the reactor wants reported for {@code slot} now. */
    int wanted(int slot) {
        return wanted[slot];
    }

    /** Notes a change of interest, applied at {@link #apply}. */
    void change(int slot, int ops) {
        if (edge && (ops & ~wanted[slot] & OPS) != 0) {
            rearm[slot] = true;
        }
        wanted[slot] = ops;
        if (!pending[slot]) {
            pending[slot] = true;
            if (queued == queue.length) {
                queue = Arrays.copyOf(queue, queued * 2);
            }
            queue[queued++] = slot;
        }
    }

    /** The {@code MOD}s this wakeup's changes need, each socket once, in the order first changed. */
    void apply(Modify modify) {
        for (int i = 0; i < queued; i++) {
            int slot = queue[i];
            if (!pending[slot]) {
                continue; // deregistered since
            }
            pending[slot] = false;
            if (wanted[slot] != applied[slot] || rearm[slot]) {
                rearm[slot] = false;
                modify.modify(slot, wanted[slot]);
                applied[slot] = wanted[slot];
            }
        }
        queued = 0;
    }

    /** Changes noted and not yet applied (a test seam). */
    int queued() {
        return queued;
    }
}
