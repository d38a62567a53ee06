package dev.jepoll.bench;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * One kind of client of the soak, in a loop of its own on a thread of its own. Every loop ends
 * at the deadline (nothing new starts after it), and every wait, even one begun just before it,
 * ends by the hard stop (the deadline plus {@link #DRAIN_SECONDS}): the soak stops by itself.
 */
abstract class SoakBehaviour implements Runnable {
    /** How long after the deadline the last operations may take to finish. */
    static final int DRAIN_SECONDS = 15;

    final String name;
    final InetSocketAddress server;
    final SoakTally tally;
    final SplittableRandom random;
    private final long deadline;
    private final long hardStop;

    SoakBehaviour(String name, Soak.Run run) {
        this.name = name;
        this.server = run.server();
        this.tally = run.tally();
        // One seed per behaviour, from the run's: a failing run can be replayed with --seed.
        this.random = new SplittableRandom(run.seed() ^ name.hashCode());
        this.deadline = run.deadlineNanos();
        this.hardStop = run.deadlineNanos() + TimeUnit.SECONDS.toNanos(DRAIN_SECONDS);
    }

    @Override
    public final void run() {
        try {
            loop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception | Error e) {
            // A bug in the generator, or a server so broken that the behaviour cannot go on:
            // either way the run's checks can no longer be trusted.
            tally.fail(name, "stopped early: " + e);
        }
    }

    abstract void loop() throws Exception;

    /** False once the deadline has passed: start nothing new. */
    final boolean running() {
        return System.nanoTime() < deadline;
    }

    /** Whether the hard stop has passed: give up whatever is still waiting. */
    final boolean pastHardStop() {
        return System.nanoTime() >= hardStop;
    }

    /** Sleeps {@code millis}, or until the deadline if that comes first. */
    final void pause(long millis) throws InterruptedException {
        long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (left > 0) {
            Thread.sleep(Math.min(millis, left));
        }
    }

    /** {@code millis}, cut to what is left before the hard stop (at least 1 ms). */
    final int boundedMillis(long millis) {
        long left = TimeUnit.NANOSECONDS.toMillis(hardStop - System.nanoTime());
        return (int) Math.max(1, Math.min(millis, left));
    }

    /** A blocking socket whose connect and every read wait at most {@code timeoutMillis} (or to the hard stop). */
    final Socket connect(int timeoutMillis) throws IOException {
        Socket s = new Socket();
        try {
            s.setTcpNoDelay(true);
            s.connect(server, boundedMillis(5000));
            s.setSoTimeout(boundedMillis(timeoutMillis));
            return s;
        } catch (IOException e) {
            s.close();
            throw e;
        }
    }

    final void count(String what) {
        tally.count(name + "." + what);
    }

    final void add(String what, long delta) {
        tally.add(name + "." + what, delta);
    }

    final void fail(String what) {
        tally.fail(name, what);
    }

    /** Reads until {@code len} bytes or EOF; returns how many came (a read timeout throws). */
    static int readFully(InputStream in, byte[] into, int len) throws IOException {
        int got = 0;
        while (got < len) {
            int n = in.read(into, got, len - got);
            if (n < 0) {
                break;
            }
            got += n;
        }
        return got;
    }

    /** The first index below {@code len} where the two differ, or -1. */
    static int firstDifference(byte[] a, byte[] b, int len) {
        for (int i = 0; i < len; i++) {
            if (a[i] != b[i]) {
                return i;
            }
        }
        return -1;
    }

    static void closeQuietly(AutoCloseable c) {
        if (c != null) {
            try {
                c.close();
            } catch (Exception ignored) {
                // closing after a failure: the failure was counted already
            }
        }
    }
}
