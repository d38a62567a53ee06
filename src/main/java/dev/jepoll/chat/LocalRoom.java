package dev.jepoll.chat;

import dev.jepoll.reactor.CloseReason;
import dev.jepoll.reactor.Link;
import dev.jepoll.reactor.Loop;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;

/**
 * The chat room's members on one loop, and what that loop heard in its current wakeup.
 * Confined to the loop's thread, but for {@link #creditBack} and {@link #resumeMembersSoon}.
 *
 * <p>Lines are appended to the loop's {@link LineLog} as they are framed. At the end of the
 * wakeup they are published as one {@link Delivery}: each member here gets one view per
 * region (one queue entry and one write per wakeup however many lines were said), and each
 * other loop gets the delivery once, as one task, to do the same for its members. The work per
 * wakeup grows with the recipients, not with recipients times lines.
 *
 * <p>Flow control, so that nobody who reads is cut and nobody waits for one who does not:
 * <ul>
 * <li>A member whose queue costs the slow-consumer limit or more is behind ({@link RoomFlow}):
 *     the whole room stops reading until it is back under a quarter of the limit.
 * <li>A loop's deliveries in flight to the other loops, not yet fanned out there, are bounded
 *     by {@link #WINDOW_PER_PEER} per peer: its members stop reading until the peers catch up,
 *     so a busy loop is never handed more than it has delivered.
 * <li>A member that is behind and whose socket takes nothing for the stall timeout has stopped
 *     reading: it is closed as a slow consumer, and the room goes on.
 * </ul>
 * The cost of a queue counts what it really holds: its bytes (shared, off-heap) and
 * {@link #VIEW_HEAP_BYTES} of heap for each view queued.
 */
final class LocalRoom implements LineFramer.Sink {
    /** Heap per queued view, besides its bytes (a read-only direct buffer object and its queue slots). */
    static final int VIEW_HEAP_BYTES = Link.QUEUE_ENTRY_HEAP_BYTES;

    /**
     * A wakeup that has heard this much is published at once, after the line that passed it,
     * rather than at its end: recipients' queues then show what they are about to be owed, so
     * the reactor's watermarks and the room's flow control act while a flood is still being read,
     * instead of after the whole flood went into one delivery. Only whole lines are published,
     * so a line never reaches another loop in two deliveries that its own lines could come between.
     * It is also the most one read may take.
     */
    static final int PUBLISH_EARLY_BYTES = 64 * 1024;

    /** Bytes of this loop's deliveries that may be on their way to each other loop, not yet fanned out there. */
    static final long WINDOW_PER_PEER = 128 * 1024;

    private final Loop loop;
    private final ChatProtocol chat;
    private final RoomFlow flow;
    private final ChatConfig config;
    private final LineLog log;
    private final List<Member> members = new ArrayList<>();
    private final List<Member> leavingAfterPublish = new ArrayList<>();
    private final Runnable publish = this::publish;
    private final Runnable resumeMembers = this::resumeMembers;
    private final LongConsumer credit = this::creditBack;
    private final long window;
    /** Bytes of this loop's deliveries not yet fanned out on a peer, summed over peers; any thread. */
    private final AtomicLong inFlight = new AtomicLong();
    private boolean publishScheduled;
    private volatile int size;

    LocalRoom(Loop loop, ChatProtocol chat, RoomFlow flow, ChatConfig config, BlockPool pool) {
        this.loop = loop;
        this.chat = chat;
        this.flow = flow;
        this.config = config;
        this.log = new LineLog(pool);
        this.window = WINDOW_PER_PEER * (loop.peers().size() - 1);
    }

    Loop loop() {
        return loop;
    }

    ChatProtocol chat() {
        return chat;
    }

    void join(Member member) {
        member.slot = members.size();
        members.add(member);
        size = members.size();
    }

    /** Leaves at once; idempotent. */
    void leave(Member member) {
        int slot = member.slot;
        if (slot < 0) {
            return;
        }
        Member last = members.remove(members.size() - 1); // swap-remove: order among members does not matter
        if (last != member) {
            members.set(slot, last);
            last.slot = slot;
        }
        member.slot = -1;
        size = members.size();
        if (member.behind) {
            caughtUp(member); // gone: the room no longer waits for it
        }
    }

    /** Leaves once this wakeup's lines are published, so a sender at its EOF still hears its last line. */
    void leaveAfterPublish(Member member) {
        if (publishScheduled) {
            leavingAfterPublish.add(member);
        } else {
            leave(member);
        }
    }

    /** The loop stopped (its members are gone): the log gives back its block. */
    void stopped() {
        publishNow(); // nothing is left unpublished in a stopped loop, but if it were, it would be released
        log.close();
    }

    /** Members on this loop; readable from any thread. */
    int size() {
        return size;
    }

    /**
     * What a member of this loop may read now: nothing while the room waits for someone behind
     * or this loop's lines in flight fill the window; otherwise up to the window's rest, and at
     * most {@link #PUBLISH_EARLY_BYTES}.
     */
    long inputAllowance() {
        if (!flow.open()) {
            return 0;
        }
        if (window == 0) {
            return PUBLISH_EARLY_BYTES; // one loop: nothing is ever in flight
        }
        return Math.max(0, Math.min(PUBLISH_EARLY_BYTES, window - inFlight.get()));
    }

    @Override
    public void line(byte[] head, int headLength, ByteBuffer chunk, int from, int to) {
        log.line(head, headLength, chunk, from, to);
        if (log.unpublished() >= PUBLISH_EARLY_BYTES) {
            publishNow();
        } else if (!publishScheduled) {
            publishScheduled = true;
            loop.atEndOfWakeup(publish);
        }
    }

    /** Publishes now what this wakeup has heard so far (whole lines only, as always). */
    void publishPending() {
        publishNow();
    }

    /** The end-of-wakeup hook. */
    private void publish() {
        publishScheduled = false;
        publishNow();
        for (Member m : leavingAfterPublish) {
            leave(m);
        }
        leavingAfterPublish.clear();
    }

    private void publishNow() {
        Delivery delivery = log.takeDelivery();
        if (delivery != null) {
            for (Loop peer : loop.peers()) {
                if (peer != loop) {
                    delivery.retain(1); // the peer's, released once it has fanned out
                    inFlight.addAndGet(delivery.bytes());
                    peer.execute(new PeerDelivery(chat, peer, delivery, credit));
                }
            }
            if (chat.backplane() != Backplane.NONE) {
                chat.backplane().publish(delivery.views(), delivery.lines()); // other nodes: copied there
            }
            deliver(delivery);
            delivery.release(); // the log's region references
        }
    }

    /**
     * Any thread: a peer has fanned out {@code bytes} of this loop's lines (or stopped and never
     * will). Crossing below half the window lets this loop's members read again.
     */
    void creditBack(long bytes) {
        long after = inFlight.addAndGet(-bytes);
        long mark = window / 2;
        if (after < mark && after + bytes >= mark) {
            resumeMembersSoon();
        }
    }

    /** Any thread: this loop's members may read again, once the loop gets to it. */
    void resumeMembersSoon() {
        loop.execute(resumeMembers);
    }

    private void resumeMembers() {
        for (int i = 0; i < members.size(); i++) {
            members.get(i).link.resumeInput(); // a no-op for one the room did not pause
        }
    }

    /**
     * One view per region to every member here that still takes output. A member whose queue now costs
     * the slow-consumer limit or more is behind: the room waits for it, and checks on it.
     */
    void deliver(Delivery delivery) {
        int n = members.size();
        if (n == 0) {
            return;
        }
        Region[] regions = delivery.regions();
        delivery.retain(n); // one per member's views; given back at once for a member that is closing
        for (int i = 0; i < n; i++) {
            Member member = members.get(i);
            Link link = member.link;
            if (!link.acceptsOutput()) {
                delivery.release(); // closing: it would never be sent
                continue;
            }
            for (Region region : regions) {
                link.enqueue(region.view(), region.block());
            }
            if (!member.behind && queueCost(link) >= config.slowConsumerLimit()) {
                fellBehind(member);
            }
        }
    }

    private void fellBehind(Member member) {
        member.behind = true;
        flow.fellBehind();
        member.link.notifyWhenDrained(config.slowConsumerLimit() / 4);
        loop.schedule(config.stallTimeoutMillis(), () -> checkStall(member));
    }

    /** The member's queue drained to a quarter of the limit (or it left): the room need not wait for it. */
    void caughtUp(Member member) {
        if (member.behind) {
            member.behind = false;
            flow.caughtUp();
        }
    }

    /** A member still behind whose socket has taken nothing for the stall timeout has stopped reading. */
    private void checkStall(Member member) {
        if (!member.behind || member.slot < 0) {
            return;
        }
        long stalledMillis = member.link.stalledNanos() / 1_000_000;
        if (stalledMillis >= config.stallTimeoutMillis()) {
            member.link.close(CloseReason.SLOW_CONSUMER, "took nothing for " + stalledMillis + " ms with "
                    + queueCost(member.link) + " bytes queued (text and views), limit " + config.slowConsumerLimit()
                    + ", while the room waited for it");
        } else {
            loop.schedule(Math.max(1, config.stallTimeoutMillis() - stalledMillis), () -> checkStall(member));
        }
    }

    /** What a member's queue costs now: its bytes and the heap of its queued views. */
    static long queueCost(Link link) {
        return link.pendingBytes() + (long) link.pendingBuffers() * VIEW_HEAP_BYTES;
    }
}
