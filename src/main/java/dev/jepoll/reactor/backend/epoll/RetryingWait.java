package dev.jepoll.reactor.backend.epoll;

import java.io.IOException;
import java.util.function.LongSupplier;

/**
 * {@code epoll_wait} as the loop needs it: a signal that interrupts the wait ({@code EINTR})
 * is not an event and not an error; the wait is made again for whatever is left of its
 * timeout, so the loop neither stops nor spins and a timer still fires on time. Plain Java,
 * so that the rule is tested on any JDK; the native backend supplies the real call.
 */
final class RetryingWait {
    /** Linux's {@code EINTR}. */
    static final int EINTR = 4;

    /** One {@code epoll_wait}: the number of events, or -1 with {@link #errno()} set. */
    interface Call {
        int await(int timeoutMillis);

        /** The {@code errno} of the last call that returned -1. */
        int errno();
    }

    private RetryingWait() {
    }

    /**
     * Waits with {@code timeoutMillis} (-1 without limit, 0 not at all), retrying after
     * {@code EINTR} with the time remaining by {@code clockNanos}.
     *
     * @throws IOException for any other failure, with {@code describe} naming the errno
     */
    static int await(Call call, int timeoutMillis, LongSupplier clockNanos, java.util.function.IntFunction<String> describe)
            throws IOException {
        long deadline = timeoutMillis > 0 ? clockNanos.getAsLong() + timeoutMillis * 1_000_000L : 0;
        int timeout = timeoutMillis;
        for (;;) {
            int n = call.await(timeout);
            if (n >= 0) {
                return n;
            }
            int errno = call.errno();
            if (errno != EINTR) {
                throw new IOException("epoll_wait: " + describe.apply(errno));
            }
            if (timeoutMillis > 0) {
                long leftNanos = deadline - clockNanos.getAsLong();
                if (leftNanos <= 0) {
                    return 0; // the timeout ran out while we were interrupted: nothing is ready
                }
                timeout = (int) Math.max(1, (leftNanos + 999_999) / 1_000_000);
            }
        }
    }
}
