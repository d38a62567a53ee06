package dev.jepoll.reactor.backend.epoll;

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
 *
 * <p>A socket whose interest falls to nothing leaves the epoll set ({@code DEL}) and comes back
 * with {@code ADD} when it wants something again, as the JDK's selector does: epoll reports
 * {@code EPOLLHUP} and {@code EPOLLERR} whatever the mask, so a level-triggered registration
 * with an empty mask would wake the loop on every wait for a hung-up socket nobody will read
 * until the memory budget or the peer's flow control lets it.
 */
final class InterestBatch {
    /** Makes one {@code epoll_ctl}: {@code slot}'s interest goes from {@code from} to {@code to}. */
    interface Modify {
        void modify(int slot, int from, int to);
    }

    /** The {@code epoll_ctl} operation a change of interest needs. */
    enum Ctl {
        ADD, MOD, DEL;

        /** From {@code from} to {@code to}: nothing to something is an ADD, something to nothing a DEL. */
        static Ctl of(int from, int to) {
            return from == 0 ? ADD : to == 0 ? DEL : MOD;
        }
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

    /** A socket just registered with {@code ops} (added to the set unless {@code ops} is 0): nothing owed for it. */
    void registered(int slot, int ops) {
        wanted[slot] = ops;
        applied[slot] = ops;
        pending[slot] = false;
        rearm[slot] = false;
    }

    /** What the kernel was last given for {@code slot}: 0 when it is not in the epoll set. */
    int applied(int slot) {
        return applied[slot];
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
            boolean differs = wanted[slot] != applied[slot];
            boolean rearmed = rearm[slot] && wanted[slot] != 0; // an empty set has nothing to re-arm
            rearm[slot] = false;
            if (differs || rearmed) {
                modify.modify(slot, applied[slot], wanted[slot]);
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
