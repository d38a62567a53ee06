package dev.jepoll.cli;

import java.util.concurrent.CountDownLatch;

/**
 * What ends a running server: Ctrl+C or SIGTERM from the command line, a latch in tests.
 * Handling the signals ourselves (rather than in a shutdown hook) lets the process finish
 * its graceful shutdown and exit with status 0.
 */
final class Stop {
    private final CountDownLatch latch = new CountDownLatch(1);

    static Stop onSignals() {
        Stop stop = new Stop();
        for (String name : new String[] {"INT", "TERM"}) {
            try {
                sun.misc.Signal.handle(new sun.misc.Signal(name), signal -> stop.fire());
            } catch (IllegalArgumentException e) {
                // the signal is not available here (or the JVM reserves it); the JVM's default stays
            }
        }
        return stop;
    }

    void fire() {
        latch.countDown();
    }

    void await() {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
