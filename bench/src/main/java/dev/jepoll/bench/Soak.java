package dev.jepoll.bench;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The soak's load generator: every kind of client, good and hostile, against one server at
 * once, each kind on its own thread, for a fixed time; then it reports what it checked.
 *
 * <pre>java -cp bench/target/jepoll-bench.jar dev.jepoll.bench.Soak --app echo|chat --port P --duration S [--seed N]</pre>
 *
 * Echo: {@link SoakSteady}, {@link SoakBulk}, {@link SoakChurn}, {@link SoakReset},
 * {@link SoakHalfClose}, {@link SoakNeverRead}, {@link SoakTrickle}. Chat: {@link SoakChatCore},
 * {@link SoakChatVisitors}, {@link SoakNeverRead}. Always 127.0.0.1. Nothing new starts after
 * the duration; what is under way gets {@link SoakBehaviour#DRAIN_SECONDS} more, then the
 * report is printed whatever is still running (its thread is a daemon and dies with the JVM).
 * The report: a {@code soak: app=... failures=N bytes_checked=M} line, {@code key=value}
 * counters, then one {@code failure: ...} line per failure. Exit status 0 when nothing failed,
 * 1 when something did, 2 for bad arguments.
 */
public final class Soak {
    /** What every behaviour needs: where, until when, with which seed, and where to count. */
    record Run(InetSocketAddress server, SoakTally tally, long seed, long deadlineNanos) {}

    private Soak() {}

    public static void main(String[] args) throws InterruptedException {
        String app = null;
        int port = -1;
        int duration = -1;
        long seed = 1;
        try {
            for (int i = 0; i + 1 < args.length; i += 2) {
                switch (args[i]) {
                    case "--app" -> app = args[i + 1];
                    case "--port" -> port = Integer.parseInt(args[i + 1]);
                    case "--duration" -> duration = Integer.parseInt(args[i + 1]);
                    case "--seed" -> seed = Long.parseLong(args[i + 1]);
                    default -> throw new IllegalArgumentException("unknown option " + args[i]);
                }
            }
            if (args.length % 2 != 0 || !("echo".equals(app) || "chat".equals(app)) || port < 1 || port > 65535
                    || duration < 1) {
                throw new IllegalArgumentException("--app echo|chat, --port and --duration are required");
            }
        } catch (IllegalArgumentException e) {
            System.err.println("soak: " + e.getMessage());
            System.err.println("usage: Soak --app echo|chat --port P --duration SECONDS [--seed N]");
            System.exit(2);
        }
        long start = System.nanoTime();
        lastProgress = start;
        Run run = new Run(new InetSocketAddress("127.0.0.1", port), new SoakTally(), seed,
                start + TimeUnit.SECONDS.toNanos(duration));
        List<SoakBehaviour> behaviours = app.equals("echo") ? echo(run) : chat(run);
        List<Thread> threads = new ArrayList<>();
        for (SoakBehaviour b : behaviours) {
            Thread t = new Thread(b, "soak-" + b.name);
            t.setDaemon(true);
            t.start();
            threads.add(t);
        }
        long hardStop = run.deadlineNanos() + TimeUnit.SECONDS.toNanos(SoakBehaviour.DRAIN_SECONDS + 2);
        for (int i = 0; i < threads.size(); i++) {
            Thread t = threads.get(i);
            while (t.isAlive() && System.nanoTime() < hardStop) {
                t.join(Math.min(1_000, Math.max(1, TimeUnit.NANOSECONDS.toMillis(hardStop - System.nanoTime()))));
                progress(app, start, duration, run.tally());
            }
            if (t.isAlive()) {
                run.tally().fail(behaviours.get(i).name, "still running " + (SoakBehaviour.DRAIN_SECONDS + 2)
                        + " s after the deadline (abandoned)");
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        run.tally().print(System.out, String.format(Locale.ROOT, "soak: app=%s seconds=%.1f seed=%d", app, seconds, seed));
        System.out.flush();
        System.exit(run.tally().failures() == 0 ? 0 : 1);
    }

    static List<SoakBehaviour> echo(Run run) {
        return List.of(new SoakSteady(run), new SoakBulk(run), new SoakChurn(run), new SoakReset(run),
                new SoakHalfClose(run), new SoakNeverRead(run, true), new SoakTrickle(run));
    }

    static List<SoakBehaviour> chat(Run run) {
        SoakChatLedger ledger = new SoakChatLedger();
        return List.of(new SoakChatCore(run, ledger), new SoakChatVisitors(run, ledger), new SoakNeverRead(run, false));
    }

    private static long lastProgress;

    /** A line on stderr every 30 s or so, for whoever watches a 10-minute run. */
    private static void progress(String app, long start, int duration, SoakTally tally) {
        long now = System.nanoTime();
        if (now - lastProgress >= TimeUnit.SECONDS.toNanos(30)) {
            lastProgress = now;
            System.err.printf(Locale.ROOT, "soak: %s %.0f/%d s, failures so far %d%n", app, (now - start) / 1e9,
                    duration, tally.failures());
        }
    }
}
