package dev.jepoll.reactor.backend.epoll;

import dev.jepoll.reactor.backend.BackendSettings;
import dev.jepoll.reactor.backend.Handler;
import dev.jepoll.reactor.backend.Poller;
import dev.jepoll.reactor.backend.Watched;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.SelectionKey;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One loop's epoll instance, called directly: {@code epoll_create1}, {@code epoll_ctl},
 * {@code epoll_wait}, and an {@code eventfd} in the set that other threads write to wake it.
 *
 * <p>In edge-triggered mode connections are registered {@code EPOLLIN | EPOLLRDHUP |
 * EPOLLET} (plus {@code EPOLLOUT} while output waits): the kernel reports a socket once per
 * arrival of data, so {@link #reportsOnce()} is true and the loop reads again, next turn,
 * any socket it stopped reading before {@code EAGAIN}. In level mode there is no
 * {@code EPOLLET}.
 *
 * <p>An event's {@code data} is not the descriptor, which the kernel reuses as soon as it is
 * closed, but a registration id: a slot in this poller's table and that slot's generation, so
 * that an event still queued for a connection closed in the same wakeup can never reach the
 * connection that got its number. One arena per loop holds the event array, the
 * {@code epoll_event} for {@code epoll_ctl}, the capture segment for {@code errno} and the
 * I/O scratch; nothing is allocated per event.
 */
final class NativePoller implements Poller {
    private static final long WAKEUP = -1L;
    /** The 8-byte 1 that {@link #wakeup()} writes to the eventfd, from any thread. */
    private static final MemorySegment ONE = Arena.global().allocate(JAVA_LONG);

    static {
        ONE.set(JAVA_LONG, 0, 1L);
    }

    private final Arena arena = Arena.ofShared();
    private final NativeIo io = new NativeIo(arena);
    private final LibC libc = io.libc();
    private final EpollEventLayout layout;
    private final boolean edge;
    private final int maxEvents;
    private final int epfd;
    private final int wakeFd;
    private final MemorySegment events;
    private final MemorySegment change;
    private final MemorySegment drain;
    private final AtomicBoolean wakeupPending = new AtomicBoolean();
    private final RetryingWait.Call waitCall;
    private Handler[] handlers = new Handler[64];
    private int[] generations = new int[64];
    private int[] fds = new int[64];
    private final InterestBatch interests;   // what the reactor wants reported; the MODs owed
    private final InterestBatch.Modify applyOne = (slot, from, to) -> {
        InterestBatch.Ctl op = InterestBatch.Ctl.of(from, to);
        int code = switch (op) {
            case ADD -> LibC.EPOLL_CTL_ADD;
            case MOD -> LibC.EPOLL_CTL_MOD;
            case DEL -> LibC.EPOLL_CTL_DEL;
        };
        if (ctl(code, this.fds[slot], mask(to, this.listeners[slot]), id(slot)) < 0) {
            throw new UncheckedIOException(libc.lastError("epoll_ctl(" + op + ")"));
        }
    };
    /** Guards the eventfd between {@link #wakeup()} on other threads and {@link #close()}. */
    private final Object wakeLock = new Object();
    private boolean closed; // guarded by wakeLock
    private boolean[] listeners = new boolean[64];
    private int[] free = new int[64];
    private int freeCount;
    private int used;
    private int ready;

    NativePoller(BackendSettings settings, EpollEventLayout layout) throws IOException {
        this.layout = layout;
        this.edge = settings.edgeTriggered();
        this.interests = new InterestBatch(edge, 64);
        this.maxEvents = settings.maxEvents();
        this.events = arena.allocate((long) maxEvents * layout.size(), 8);
        this.change = arena.allocate(layout.size(), 8);
        this.drain = arena.allocate(JAVA_LONG);
        this.epfd = libc.epollCreate1(LibC.EPOLL_CLOEXEC);
        if (epfd < 0) {
            IOException e = libc.lastError("epoll_create1");
            arena.close();
            throw e;
        }
        this.wakeFd = libc.eventfd(0, LibC.EFD_NONBLOCK | LibC.EFD_CLOEXEC);
        if (wakeFd < 0 || ctl(LibC.EPOLL_CTL_ADD, wakeFd, LibC.EPOLLIN, WAKEUP) < 0) {
            IOException e = libc.lastError("eventfd");
            close();
            throw e;
        }
        Arrays.fill(generations, 1);
        this.waitCall = new RetryingWait.Call() {
            @Override
            public int await(int timeoutMillis) {
                return libc.epollWait(epfd, events, maxEvents, timeoutMillis);
            }

            @Override
            public int errno() {
                return libc.errno();
            }
        };
    }

    int epfd() {
        return epfd;
    }

    boolean edgeTriggered() {
        return edge;
    }

    @Override
    public void register(Watched socket, int ops, Handler handler) throws IOException {
        boolean listener = socket instanceof NativeListener;
        int fd = listener ? ((NativeListener) socket).fd() : ((NativeEndpoint) socket).fd();
        int slot = newSlot(handler, ops, listener);
        fds[slot] = fd;
        if (ops != 0 && ctl(LibC.EPOLL_CTL_ADD, fd, mask(ops, listener), id(slot)) < 0) { // nothing wanted: not in the set yet
            IOException e = libc.lastError("epoll_ctl(ADD)");
            freeSlot(slot);
            throw e;
        }
        if (listener) {
            ((NativeListener) socket).attach(this, slot);
        } else {
            ((NativeEndpoint) socket).attach(this, io, slot);
        }
    }

    /**
     * Notes what {@code ops} asks for; the {@code epoll_ctl(MOD)} is made before the next wait,
     * as the JDK's selector batches its changes: a connection that wants to write and, within the
     * same wakeup, no longer does costs no call ({@link InterestBatch} has the rule, and why an
     * op turned off and on again still costs one under {@code EPOLLET}).
     */
    void modify(int slot, int fd, int ops) {
        interests.change(slot, ops);
    }

    /** The interest changes of this wakeup, made before waiting again. */
    private void applyChanges() {
        interests.apply(applyOne);
    }

    /** {@code epoll_ctl(DEL)}, before the descriptor is closed and its number reused. */
    void deregister(int slot, int fd) {
        if (interests.applied(slot) != 0) { // with nothing wanted, it already left the set
            ctl(LibC.EPOLL_CTL_DEL, fd, 0, 0);
        }
        freeSlot(slot);
    }

    private int mask(int ops, boolean listener) {
        int mask = 0;
        if ((ops & (SelectionKey.OP_READ | SelectionKey.OP_ACCEPT)) != 0) {
            mask |= listener ? LibC.EPOLLIN : LibC.EPOLLIN | LibC.EPOLLRDHUP;
        }
        if ((ops & SelectionKey.OP_WRITE) != 0) {
            mask |= LibC.EPOLLOUT;
        }
        return edge && !listener ? mask | LibC.EPOLLET : mask;
    }

    private int ctl(int op, int fd, int mask, long data) {
        change.set(JAVA_INT, layout.eventsOffset(), mask);
        change.set(JAVA_LONG_UNALIGNED, layout.dataOffset(), data);
        return libc.epollCtl(epfd, op, fd, change);
    }

    @Override
    public int select(long timeoutMillis) throws IOException {
        applyChanges();
        int timeout = timeoutMillis < 0 ? -1 : (int) Math.min(timeoutMillis, Integer.MAX_VALUE);
        ready = RetryingWait.await(waitCall, timeout, System::nanoTime, LibC::describe);
        return ready;
    }

    @Override
    public int dispatchReady(Dispatcher dispatcher) {
        int handled = 0;
        for (int i = 0; i < ready; i++) {
            long at = (long) i * layout.size();
            int happened = events.get(JAVA_INT, at + layout.eventsOffset());
            long id = events.get(JAVA_LONG_UNALIGNED, at + layout.dataOffset());
            if (id == WAKEUP) {
                libc.read(wakeFd, drain, 8); // resets the eventfd's counter
                wakeupPending.set(false);
                continue;
            }
            int slot = (int) id;
            if (slot >= used || generations[slot] != (int) (id >>> 32) || handlers[slot] == null) {
                continue; // closed earlier in this wakeup; its number may already be someone else's
            }
            int ops = readyOps(happened, interests.wanted(slot));
            if (ops != 0) {
                dispatcher.dispatch(handlers[slot], ops);
                handled++;
            }
        }
        ready = 0;
        return handled;
    }

    /** What happened, in the reactor's terms; an error or hang-up is reported as whatever was asked for. */
    private static int readyOps(int happened, int interest) {
        int ops = 0;
        if ((happened & (LibC.EPOLLIN | LibC.EPOLLRDHUP | LibC.EPOLLHUP | LibC.EPOLLERR)) != 0) {
            ops |= interest & (SelectionKey.OP_READ | SelectionKey.OP_ACCEPT);
        }
        if ((happened & (LibC.EPOLLOUT | LibC.EPOLLHUP | LibC.EPOLLERR)) != 0) {
            ops |= interest & SelectionKey.OP_WRITE;
        }
        return ops;
    }

    @Override
    public boolean hasBacklog() {
        return false; // events past maxEvents wait in the kernel's ready list for the next epoll_wait
    }

    /**
     * Any thread. Writes the eventfd at most once per wait (the loop resets the flag as it drains
     * it), and never once {@link #close()} has begun: a closed descriptor's number may already
     * belong to a client's socket.
     */
    @Override
    public void wakeup() {
        if (wakeupPending.compareAndSet(false, true)) {
            synchronized (wakeLock) {
                if (!closed) {
                    LibC.write(wakeFd, ONE, 8);
                }
            }
        }
    }

    @Override
    public boolean reportsOnce() {
        return edge;
    }

    /** Once: the eventfd only after no wakeup can reach it any more, then the epoll fd and the arena. */
    @Override
    public void close() {
        synchronized (wakeLock) {
            if (closed) {
                return;
            }
            closed = true;
        }
        if (wakeFd >= 0) {
            LibC.close(wakeFd);
        }
        if (epfd >= 0) {
            LibC.close(epfd);
        }
        arena.close();
    }

    // ---- registrations: slot and generation, so a stale event finds no one ----

    private long id(int slot) {
        return ((long) generations[slot] << 32) | slot;
    }

    private int newSlot(Handler handler, int ops, boolean listener) {
        int slot;
        if (freeCount > 0) {
            slot = free[--freeCount];
        } else {
            if (used == handlers.length) {
                int grown = used * 2;
                handlers = Arrays.copyOf(handlers, grown);
                interests.grow(grown);
                fds = Arrays.copyOf(fds, grown);
                listeners = Arrays.copyOf(listeners, grown);
                generations = Arrays.copyOf(generations, grown);
                Arrays.fill(generations, used, grown, 1);
                free = Arrays.copyOf(free, grown);
            }
            slot = used++;
        }
        handlers[slot] = handler;
        interests.registered(slot, ops);
        listeners[slot] = listener;
        return slot;
    }

    private void freeSlot(int slot) {
        handlers[slot] = null;
        interests.forget(slot);
        generations[slot] = generations[slot] == Integer.MAX_VALUE ? 1 : generations[slot] + 1;
        free[freeCount++] = slot;
    }
}
