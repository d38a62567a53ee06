package dev.jepoll.reactor;

import dev.jepoll.reactor.backend.Endpoint;
import dev.jepoll.reactor.backend.Handler;
import dev.jepoll.reactor.backend.Listener;
import dev.jepoll.reactor.backend.SetupFailed;
import java.io.IOException;
import java.nio.channels.SelectionKey;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The handler on the listening socket, on the first loop: accepts until nothing is pending
 * (the chapter accepted one per event, and compared instead of assigning:
 * {@code clnt_sock == accept(...)}), and hands each connection to the loop with the fewest
 * (Lea's main reactor feeding sub-reactors). One listener and one balancer rather than a
 * listener per loop with {@code SO_REUSEPORT}: the kernel's hash spreads connections only
 * roughly, a busy loop's queue would wait while others idle, and closing a loop's listener
 * would drop the connections queued on it.
 *
 * <p>When accepting fails, typically with "Too many open files", the connection stays in
 * the kernel's backlog and the listening socket stays readable, so a level-triggered loop
 * would spin. Instead the acceptor stops watching the socket for a short while, logs each
 * distinct error once, and resumes.
 */
final class Acceptor implements Handler {
    static final long BACKOFF_MILLIS = 100;

    private final Listener listener;
    private final EventLoop home;
    private final Set<String> errorsLogged = new HashSet<>();
    private int nextClientId;
    private int nextLoop;
    private boolean closed;

    Acceptor(Listener listener, EventLoop home) {
        this.listener = listener;
        this.home = home;
    }

    @Override
    public void handle(int readyOps) {
        while (!closed) {
            Endpoint accepted;
            try {
                accepted = listener.accept();
            } catch (SetupFailed e) {
                home.warn("socket set-up failures", "an accepted socket could not be set up: " + e.getMessage());
                continue;
            } catch (IOException e) {
                backOff(e);
                return;
            }
            if (accepted == null) {
                return; // nothing more pending: the chapter's EAGAIN on accept
            }
            handOver(accepted, ++nextClientId);
        }
    }

    private void handOver(Endpoint accepted, int id) {
        List<EventLoop> loops = home.peers();
        if (connections(loops) >= home.context().config().maxConnections()) {
            home.context().counters().add(Counter.ACCEPTS, 1);
            home.context().counters().add(Counter.REJECTED, 1);
            accepted.close();
            return;
        }
        EventLoop target = leastLoaded(loops);
        target.load().incrementAndGet();
        // Through the task queue even when the target is this loop: a connection must not
        // overtake what was handed to its loop before it (chat lines said before it joined).
        target.execute(new Adoption(target, accepted, id));
        // Counted once the hand-over is queued: whoever sees the count knows the connection's
        // loop will take it before anything sent on it afterwards.
        home.context().counters().add(Counter.ACCEPTS, 1);
    }

    /** A socket on its way to its loop: adopted there, or closed if that loop has stopped. */
    private record Adoption(EventLoop target, Endpoint endpoint, int id) implements Loop.Handoff {
        @Override
        public void run() {
            target.adopt(endpoint, id);
        }

        /** On the thread that found the loop stopped, which no longer counts: counted as rejected. */
        @Override
        public void discard() {
            endpoint.close();
            target.load().decrementAndGet();
            target.context().counters().add(Counter.REJECTED, 1);
        }
    }

    private static int connections(List<EventLoop> loops) {
        int total = 0;
        for (EventLoop loop : loops) {
            total += loop.load().get();
        }
        return total;
    }

    /** The loop with the fewest connections; ties go round the loops in turn. */
    private EventLoop leastLoaded(List<EventLoop> loops) {
        int n = loops.size();
        EventLoop best = null;
        int bestLoad = Integer.MAX_VALUE;
        for (int i = 0; i < n; i++) {
            EventLoop candidate = loops.get((nextLoop + i) % n);
            int load = candidate.load().get();
            if (load < bestLoad) {
                best = candidate;
                bestLoad = load;
            }
        }
        nextLoop = (nextLoop + 1) % n;
        return best;
    }

    private void backOff(IOException e) {
        home.context().counters().add(Counter.ACCEPT_BACKOFFS, 1);
        logOnce("accept failed: " + e.getMessage() + "; pausing accepts for " + BACKOFF_MILLIS
                + " ms and retrying (logged once)");
        listener.interest(0);
        home.schedule(BACKOFF_MILLIS, () -> {
            if (!closed) {
                listener.interest(SelectionKey.OP_ACCEPT);
            }
        });
    }

    private void logOnce(String message) {
        if (errorsLogged.add(message)) {
            home.context().log().warn("accept errors: " + message, message);
        }
    }

    void close() {
        if (!closed) {
            closed = true;
            listener.close();
        }
    }
}
