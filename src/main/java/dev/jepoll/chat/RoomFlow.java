package dev.jepoll.chat;

import java.util.Collection;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The room-wide half of chat's flow control: how many members, on any loop, are behind (their
 * queue past the slow-consumer limit and not yet back under a quarter of it). While any is,
 * every member of the room stops reading, on every loop: a flood is slowed at its senders,
 * whichever loop they are on, instead of piling up for the member that cannot keep up. When the
 * last one catches up, every loop is told to let its members read again. Shared by the loops;
 * any thread.
 *
 * <p>The other half is per loop: a loop's lines in flight to the other loops are bounded
 * ({@link LocalRoom#inputAllowance()}), so no loop can hand a busier one more than it has fanned
 * out.
 */
final class RoomFlow {
    private final AtomicInteger behind = new AtomicInteger();
    private final Collection<LocalRoom> rooms;

    /** {@code rooms}: the room's part on every loop, as it grows. */
    RoomFlow(Collection<LocalRoom> rooms) {
        this.rooms = rooms;
    }

    /** True while no member is behind: the room may read. */
    boolean open() {
        return behind.get() == 0;
    }

    /** Members behind now. */
    int behind() {
        return behind.get();
    }

    void fellBehind() {
        behind.incrementAndGet();
    }

    /**
     * A member caught up (or left while behind). The last one re-opens the room: every loop then
     * resumes its members, after anything it has already started (so a member that saw the room
     * closed a moment ago is resumed after it paused, never before).
     */
    void caughtUp() {
        if (behind.decrementAndGet() == 0) {
            for (LocalRoom room : rooms) {
                room.resumeMembersSoon();
            }
        }
    }
}
