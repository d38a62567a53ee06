package dev.jepoll.chat;

import dev.jepoll.reactor.CloseReason;
import dev.jepoll.reactor.Link;
import dev.jepoll.reactor.Loop;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The chat room's members on one loop, and what that loop heard in its current wakeup.
 * Confined to the loop's thread.
 *
 * <p>Lines are appended to the loop's {@link LineLog} as they are framed. At the end of the
 * wakeup they are published as one {@link Delivery}: each member here gets one view per
 * region (one queue entry and one write per wakeup however many lines were said), and each
 * other loop gets the delivery once, as one task, to do the same for its members. The work per
 * wakeup grows with the recipients, not with recipients times lines.
 *
 * <p>Nobody waits for a slow member: one whose queue would cost more than the slow-consumer
 * limit is disconnected instead. The cost counts what the queue really holds: its bytes
 * (shared, off-heap) and {@link #VIEW_HEAP_BYTES} of heap for each view queued.
 */
final class LocalRoom implements LineFramer.Sink {
    /** Heap per queued view, besides its bytes (a read-only direct buffer object and its queue slots). */
    static final int VIEW_HEAP_BYTES = Link.QUEUE_ENTRY_HEAP_BYTES;

    /**
     * A wakeup that has heard this much is published at once, after the line that passed it,
     * rather than at its end: recipients' queues then show what they are about to be owed, so
     * the reactor's watermarks pause readers while a flood is still being read, instead of
     * after the whole flood went into one delivery. Only whole lines are published, so a line
     * never reaches another loop in two deliveries that its own lines could come between.
     */
    static final int PUBLISH_EARLY_BYTES = 64 * 1024;

    private final Loop loop;
    private final ChatProtocol chat;
    private final long slowConsumerLimit;
    private final LineLog log;
    private final List<Member> members = new ArrayList<>();
    private final List<Member> leavingAfterPublish = new ArrayList<>();
    private final Runnable publish = this::publish;
    private boolean publishScheduled;
    private volatile int size;

    LocalRoom(Loop loop, ChatProtocol chat, long slowConsumerLimit, BlockPool pool) {
        this.loop = loop;
        this.chat = chat;
        this.slowConsumerLimit = slowConsumerLimit;
        this.log = new LineLog(pool);
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
    }

    /** Leaves once this wakeup's lines are published, so a sender at its EOF still hears its last line. */
    void leaveAfterPublish(Member member) {
        if (publishScheduled) {
            leavingAfterPublish.add(member);
        } else {
            leave(member);
        }
    }

    /** Members on this loop; readable from any thread. */
    int size() {
        return size;
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
                    peer.execute(() -> chat.roomOn(peer).deliverFromPeer(delivery));
                }
            }
            deliver(delivery);
            delivery.release(); // the log's region references
        }
    }

    private void deliverFromPeer(Delivery delivery) {
        try {
            deliver(delivery);
        } finally {
            delivery.release();
        }
    }

    /** One view per region to every member here, or a disconnect for a member too far behind. */
    private void deliver(Delivery delivery) {
        int n = members.size();
        if (n == 0) {
            return;
        }
        Region[] regions = delivery.regions();
        long added = delivery.bytes() + (long) regions.length * VIEW_HEAP_BYTES;
        delivery.retain(n); // one per member's views; given back at once for a member cut off
        List<Member> tooSlow = null;
        for (int i = 0; i < n; i++) {
            Link link = members.get(i).link;
            if (queueCost(link) + added > slowConsumerLimit) {
                delivery.release();
                if (tooSlow == null) {
                    tooSlow = new ArrayList<>();
                }
                tooSlow.add(members.get(i));
                continue;
            }
            for (Region region : regions) {
                link.enqueue(region.view(), region.block());
            }
        }
        if (tooSlow != null) {
            for (Member m : tooSlow) { // closing leaves the room, so not while iterating it
                m.link.close(CloseReason.SLOW_CONSUMER, queueCost(m.link) + " bytes queued (text and views), limit "
                        + slowConsumerLimit);
            }
        }
    }

    /** What a member's queue costs now: its bytes and the heap of its queued views. */
    static long queueCost(Link link) {
        return link.pendingBytes() + (long) link.pendingBuffers() * VIEW_HEAP_BYTES;
    }
}
