package dev.jepoll.chat;

import java.nio.ByteBuffer;
import java.util.Collection;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongConsumer;

/**
 * Where other nodes' lines enter this node: the backplane's receiving thread (one thread, the
 * only one that appends here) copies each message once into this inbox's blocks, and hands the
 * delivery to every loop through its task queue, to be fanned out like one of the loop's own
 * wakeups: one view per region for each member.
 *
 * <p>Flow control as for a loop: remote lines in flight to the loops are bounded by
 * {@link LocalRoom#WINDOW_PER_PEER} per loop, and while the room waits for a member that is
 * behind, nothing more is handed in. Other nodes cannot be paused (NATS core pushes), so the
 * receiving thread waits; the broker client's own bounded buffer then fills and drops, and the
 * backplane counts those lines as gaps. Closing it (the backplane is done) ends any wait and
 * gives back the block being appended to.
 */
final class RemoteInbox implements Backplane.Inbox {
    /** How often a wait looks again at the room, besides being woken by credit coming back. */
    private static final long RECHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    private final Collection<LocalRoom> rooms;
    private final RoomFlow flow;
    private final LineLog log;
    private final AtomicLong inFlight = new AtomicLong();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition room = lock.newCondition();
    private final LongConsumer credit = this::creditBack;
    private boolean closed; // guarded by lock

    RemoteInbox(Collection<LocalRoom> rooms, RoomFlow flow, BlockPool pool) {
        this.rooms = rooms;
        this.flow = flow;
        this.log = new LineLog(pool);
    }

    @Override
    public void deliver(ByteBuffer lines, int lineCount) throws InterruptedException {
        lock.lock();
        try {
            while (!closed && !roomForMore()) {
                room.awaitNanos(RECHECK_NANOS);
            }
            if (closed || rooms.isEmpty()) {
                return; // stopped, or no loop has had a member yet: nobody to tell
            }
            log.lines(lines, lines.position(), lines.limit(), lineCount);
            Delivery delivery = log.takeDelivery();
            for (LocalRoom local : rooms) {
                delivery.retain(1); // the loop's, released once it has fanned out
                inFlight.addAndGet(delivery.bytes());
                local.loop().execute(new PeerDelivery(local.chat(), local.loop(), delivery, credit));
            }
            delivery.release(); // the log's
        } finally {
            lock.unlock();
        }
    }

    /** Nobody is behind, and the lines in flight leave room in the window. */
    private boolean roomForMore() {
        return flow.open() && inFlight.get() < LocalRoom.WINDOW_PER_PEER * Math.max(1, rooms.size());
    }

    /** Any thread: a loop is done with {@code bytes} of remote lines. */
    private void creditBack(long bytes) {
        inFlight.addAndGet(-bytes);
        lock.lock();
        try {
            room.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** The backplane stopped: the block being appended to goes back. Call on the receiving thread, or after it ended. */
    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            log.close();
            room.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
