package dev.jepoll.chat;

import dev.jepoll.reactor.CloseReason;
import dev.jepoll.reactor.Link;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Everyone connected, and the one operation on them: send a line to all. Confined to the
 * event-loop thread. A line's bytes are shared: each member gets its own
 * {@link ByteBuffer#duplicate() view}, queued whole, so lines from different senders can
 * never interleave and nobody waits for a slow member: a member the line would take past
 * the slow-consumer limit is disconnected instead.
 */
final class ChatRoom {
    private final Set<Link> members = new LinkedHashSet<>();
    private final long slowConsumerLimit;

    ChatRoom(long slowConsumerLimit) {
        this.slowConsumerLimit = slowConsumerLimit;
    }

    void join(Link member) {
        members.add(member);
    }

    void leave(Link member) {
        members.remove(member);
    }

    int size() {
        return members.size();
    }

    void broadcast(ByteBuffer line) {
        List<Link> tooSlow = null;
        int length = line.remaining();
        for (Link member : members) {
            if (member.pendingBytes() + length > slowConsumerLimit) {
                if (tooSlow == null) {
                    tooSlow = new ArrayList<>();
                }
                tooSlow.add(member);
            } else {
                member.enqueue(line.duplicate());
            }
        }
        if (tooSlow != null) {
            for (Link member : tooSlow) { // closing leaves the room, so not while iterating it
                member.close(CloseReason.SLOW_CONSUMER, member.pendingBytes() + " bytes pending, limit "
                        + slowConsumerLimit);
            }
        }
    }
}
