package dev.jepoll.reactor.backend.epoll;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code EINTR} from {@code epoll_wait}, through the seam the native poller waits through: a
 * scripted wait that returns -1 with EINTR, on a clock the test moves. The wait is made again
 * with what is left of the timeout: the loop neither stops nor spins.
 */
class RetryingWaitTest {
    private long now = 1_000_000_000L;

    /** Each step: how long the wait "took" in ms, and what it returned (-1: with the given errno). */
    private final class Script implements RetryingWait.Call {
        final Deque<int[]> steps = new ArrayDeque<>();
        final List<Integer> timeouts = new ArrayList<>();
        int errno;

        Script then(int tookMillis, int result, int errno) {
            steps.add(new int[] {tookMillis, result, errno});
            return this;
        }

        @Override
        public int await(int timeoutMillis) {
            timeouts.add(timeoutMillis);
            int[] step = steps.poll();
            if (step == null) {
                throw new AssertionError("waited more often than scripted: " + timeouts);
            }
            now += step[0] * 1_000_000L;
            errno = step[2];
            return step[1];
        }

        @Override
        public int errno() {
            return errno;
        }
    }

    private int await(Script script, int timeoutMillis) throws IOException {
        return RetryingWait.await(script, timeoutMillis, () -> now, errno -> "errno " + errno);
    }

    @Test
    void aSignalDuringTheWaitIsWaitedOutWithTheTimeLeft() throws IOException {
        Script script = new Script().then(30, -1, RetryingWait.EINTR).then(25, -1, RetryingWait.EINTR).then(5, 3, 0);
        assertEquals(3, await(script, 100));
        assertEquals(List.of(100, 70, 45), script.timeouts, "each retry waits only what is left");
    }

    @Test
    void aSignalAfterTheTimeoutRanOutEndsTheWaitWithNothingReady() throws IOException {
        Script script = new Script().then(100, -1, RetryingWait.EINTR);
        assertEquals(0, await(script, 100));
        assertEquals(1, script.timeouts.size(), "no second wait: the timer is due");
    }

    @Test
    void anUnlimitedWaitStaysUnlimitedAndANonBlockingOneStaysNonBlocking() throws IOException {
        Script forever = new Script().then(5, -1, RetryingWait.EINTR).then(5, 1, 0);
        assertEquals(1, await(forever, -1));
        assertEquals(List.of(-1, -1), forever.timeouts);
        Script poll = new Script().then(0, -1, RetryingWait.EINTR).then(0, 0, 0);
        assertEquals(0, await(poll, 0));
        assertEquals(List.of(0, 0), poll.timeouts);
    }

    @Test
    void anyOtherFailureIsAnError() {
        Script script = new Script().then(0, -1, 9); // EBADF
        IOException e = assertThrows(IOException.class, () -> await(script, 100));
        assertTrue(e.getMessage().contains("epoll_wait") && e.getMessage().contains("errno 9"), e.getMessage());
    }
}
