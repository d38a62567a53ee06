package dev.jepoll.chat;

import dev.jepoll.reactor.Loop;
import java.util.function.LongConsumer;

/**
 * A delivery on its way to a loop's members: another loop's, or other nodes' (from the
 * backplane). Run there, it fans out; if that loop has stopped, it is discarded. Either way,
 * once: the blocks' references it holds are released and the sender gets its window's credit back.
 */
final class PeerDelivery implements Loop.Handoff {
    private final ChatProtocol chat;
    private final Loop target;
    private final Delivery delivery;
    private final LongConsumer credit;

    /** {@code credit} is given the delivery's bytes once it is done with, on the target loop's thread. */
    PeerDelivery(ChatProtocol chat, Loop target, Delivery delivery, LongConsumer credit) {
        this.chat = chat;
        this.target = target;
        this.delivery = delivery;
        this.credit = credit;
    }

    @Override
    public void run() {
        try {
            chat.roomOn(target).deliver(delivery);
        } finally {
            done();
        }
    }

    @Override
    public void discard() {
        done();
    }

    private void done() {
        delivery.release();
        credit.accept(delivery.bytes());
    }
}
