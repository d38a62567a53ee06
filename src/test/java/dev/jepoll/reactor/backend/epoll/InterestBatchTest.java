package dev.jepoll.reactor.backend.epoll;

import static java.nio.channels.SelectionKey.OP_READ;
import static java.nio.channels.SelectionKey.OP_WRITE;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The native poller's rule for which {@code epoll_ctl(MOD)} calls a wakeup's interest changes need. */
class InterestBatchTest {
    private final List<String> mods = new ArrayList<>();
    private final InterestBatch.Modify record = (slot, from, ops) -> mods.add(slot + ":" + ops);

    @Test
    void aChangeIsAppliedOnceBeforeTheNextWaitWithItsFinalValue() {
        var batch = new InterestBatch(true, 4);
        batch.registered(0, OP_READ);
        assertEquals(OP_READ, batch.wanted(0), "registered with its interest");
        batch.change(0, OP_READ | OP_WRITE);
        assertEquals(OP_READ | OP_WRITE, batch.wanted(0), "what dispatch sees is the latest wish at once");
        batch.change(0, 0);
        assertEquals(0, batch.wanted(0), "and again, down to nothing");
        batch.apply(record);
        assertEquals(List.of("0:0"), mods);
        batch.apply(record);
        assertEquals(List.of("0:0"), mods, "nothing owed twice");
    }

    @Test
    void levelTriggeredAChangeUndoneWithinTheWakeupCostsNoCall() {
        var batch = new InterestBatch(false, 4);
        batch.registered(1, OP_READ);
        batch.change(1, 0);
        batch.change(1, OP_READ);
        batch.apply(record);
        assertEquals(List.of(), mods, "the kernel will report a ready socket again anyway");
    }

    @Test
    void edgeTriggeredAnOpTurnedOffAndOnAgainReArmsTheSocket() {
        var batch = new InterestBatch(true, 4);
        batch.registered(2, OP_READ);
        batch.change(2, 0);        // reading paused: an input edge reported now is dropped
        batch.change(2, OP_READ);  // and resumed in the same wakeup: the kernel's mask is unchanged
        batch.apply(record);
        assertEquals(List.of("2:" + OP_READ), mods, "a MOD re-arms it, so the dropped edge is reported again");
        mods.clear();
        batch.change(2, OP_READ | OP_WRITE);
        batch.change(2, OP_READ);  // write wanted and no longer: nothing was turned on in the end...
        batch.apply(record);
        assertEquals(List.of("2:" + OP_READ), mods, "...but OP_WRITE was turned on meanwhile: re-armed too, harmlessly");
        mods.clear();
        batch.change(2, OP_READ);  // no op turned on, nothing differs
        batch.apply(record);
        assertEquals(List.of(), mods);
    }

    @Test
    void aForgottenSlotOwesNothingAndItsNextOwnerStartsClean() {
        var batch = new InterestBatch(true, 2);
        batch.registered(0, OP_READ);
        batch.change(0, 0);
        batch.forget(0);            // closed in the same wakeup: EPOLL_CTL_DEL made
        batch.apply(record);
        assertEquals(List.of(), mods);
        batch.registered(0, OP_READ); // the slot reused
        batch.change(0, OP_READ | OP_WRITE);
        batch.grow(8);
        batch.registered(5, OP_READ);
        batch.change(5, 0);
        batch.apply(record);
        assertEquals(List.of("0:" + (OP_READ | OP_WRITE), "5:0"), mods, "each once, in the order first changed");
        assertEquals(0, batch.queued());
    }

    @Test
    void aSocketWhoseInterestFallsToNothingLeavesTheSetAndComesBackWithAnAdd() {
        assertEquals(InterestBatch.Ctl.DEL, InterestBatch.Ctl.of(OP_READ, 0));
        assertEquals(InterestBatch.Ctl.ADD, InterestBatch.Ctl.of(0, OP_READ));
        assertEquals(InterestBatch.Ctl.MOD, InterestBatch.Ctl.of(OP_READ, OP_READ | OP_WRITE));
        assertEquals(InterestBatch.Ctl.MOD, InterestBatch.Ctl.of(OP_READ, OP_READ), "a re-arm");
        List<String> ctls = new ArrayList<>();
        var batch = new InterestBatch(true, 4);
        batch.registered(3, OP_READ);
        batch.change(3, 0);
        batch.apply((slot, from, to) -> ctls.add(InterestBatch.Ctl.of(from, to) + " " + slot));
        assertEquals(0, batch.applied(3), "out of the set: a hang-up cannot wake the loop");
        batch.change(3, OP_WRITE);
        batch.change(3, 0);        // turned on and off again within the wakeup: stays out, no call
        batch.apply((slot, from, to) -> ctls.add(InterestBatch.Ctl.of(from, to) + " " + slot));
        batch.change(3, OP_READ);
        batch.apply((slot, from, to) -> ctls.add(InterestBatch.Ctl.of(from, to) + " " + slot));
        assertEquals(List.of("DEL 3", "ADD 3"), ctls);
        assertEquals(OP_READ, batch.applied(3));
    }

    @Test
    void theQueueGrowsPastItsFirstCapacity() {
        var batch = new InterestBatch(false, 2);
        batch.grow(100);
        for (int slot = 0; slot < 100; slot++) {
            batch.registered(slot, OP_READ);
            batch.change(slot, 0);
        }
        assertEquals(100, batch.queued());
        batch.apply(record);
        assertEquals(100, mods.size());
    }
}
