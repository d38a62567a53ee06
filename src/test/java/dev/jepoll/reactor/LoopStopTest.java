package dev.jepoll.reactor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jepoll.reactor.backend.Handler;
import dev.jepoll.reactor.backend.Poller;
import dev.jepoll.reactor.backend.Watched;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * What happens to work handed to a loop that has stopped, or stops before running it: a
 * {@link Loop.Handoff} is discarded (exactly once: it owns a socket, or shared memory another
 * loop waits for), any other task is dropped, and nothing wakes a poller once it is closing (a
 * closed eventfd's number may already be a client's socket).
 */
class LoopStopTest {
    /** Records what the loop does to it; ends the loop at the first wait. */
    private static final class OneTurnPoller implements Poller {
        final List<String> calls = new ArrayList<>();

        @Override
        public void register(Watched socket, int ops, Handler handler) {
        }

        @Override
        public synchronized int select(long timeoutMillis) {
            calls.add("select");
            throw new IllegalStateException("stop here"); // the loop ends, closing everything
        }

        @Override
        public int dispatchReady(Dispatcher dispatcher) {
            return 0;
        }

        @Override
        public boolean hasBacklog() {
            return false;
        }

        @Override
        public synchronized void wakeup() {
            calls.add("wakeup");
        }

        @Override
        public boolean reportsOnce() {
            return false;
        }

        @Override
        public synchronized void close() {
            calls.add("close");
        }
    }

    private static final class Counted implements Loop.Handoff {
        final AtomicInteger ran = new AtomicInteger();
        final AtomicInteger discarded = new AtomicInteger();

        @Override
        public void run() {
            ran.incrementAndGet();
        }

        @Override
        public void discard() {
            discarded.incrementAndGet();
        }
    }

    private final OneTurnPoller poller = new OneTurnPoller();
    private final EventLoop loop;

    LoopStopTest() {
        ServerConfig config = ServerConfig.builder().log(line -> { }).build();
        loop = new EventLoop(0, config, poller, link -> data -> { }, new MemoryBudget(1 << 30, () -> 1),
                new ServerLog(config.logger(), System::nanoTime));
        loop.joinGroup(List.of(loop));
    }

    @Test
    void handOffsQueuedWhenTheLoopStopsAreDiscardedOnceAndPlainTasksDropped() {
        Counted queued = new Counted();
        AtomicInteger plain = new AtomicInteger();
        loop.execute(queued);
        loop.execute(plain::incrementAndGet);
        loop.run();
        assertTrue(loop.isTerminated());
        assertEquals(0, queued.ran.get());
        assertEquals(1, queued.discarded.get(), "what it carried is given back");
        assertEquals(0, plain.get());
    }

    @Test
    void aHandOffToAStoppedLoopIsDiscardedAtOnceAndItsPollerIsNotWoken() {
        loop.run();
        int callsAtStop = poller.calls.size();
        assertEquals("close", poller.calls.get(callsAtStop - 1));
        Counted late = new Counted();
        loop.execute(late);
        loop.execute(() -> { throw new AssertionError("a stopped loop ran a task"); });
        assertEquals(1, late.discarded.get());
        assertEquals(0, late.ran.get());
        assertEquals(callsAtStop, poller.calls.size(), "no wakeup after close: " + poller.calls);
        assertFalse(poller.calls.subList(poller.calls.indexOf("close"), poller.calls.size()).contains("wakeup"));
    }
}
