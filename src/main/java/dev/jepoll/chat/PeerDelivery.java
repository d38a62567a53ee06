package dev.jepoll.chat;

import dev.jepoll.reactor.Loop;

/**
 * One loop's delivery on its way to another loop's members. Run there, it fans out; if that
 * loop has stopped, it is discarded. Either way, once: the blocks' references it holds are
 * released and the sending loop gets its window's credit back.
 */
final class PeerDelivery implements Loop.Handoff {
    private final ChatProtocol chat;
    private final Loop target;
    private final Delivery delivery;
    private final LocalRoom source;

    PeerDelivery(ChatProtocol chat, Loop target, Delivery delivery, LocalRoom source) {
        this.chat = chat;
        this.target = target;
        this.delivery = delivery;
        this.source = source;
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
        source.creditBack(delivery.bytes());
    }
}
