package dev.jepoll.torture;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code make torture}: the matrix for {@code DURATION} seconds, a new random seed per trial,
 * each combination printed before it runs; a failure prints what broke, the server's last log
 * lines and the one command that replays it ({@code make torture SEED=...}). Exit status 1 if
 * any trial failed.
 *
 * <p>Arguments: the duration in seconds (default 120), and optionally a seed to replay alone.
 */
public final class Torture {
    private Torture() {
    }

    public static void main(String[] args) throws Exception {
        long seconds = args.length > 0 && !args[0].isBlank() ? Long.parseLong(args[0].trim()) : 120;
        if (args.length > 1 && !args[1].isBlank()) {
            System.exit(trial(1, Long.parseLong(args[1].trim())) ? 0 : 1);
        }
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        SecureRandom seeds = new SecureRandom();
        List<Long> failed = new ArrayList<>();
        Map<String, Integer> drawn = new TreeMap<>();
        int n = 0;
        System.out.println("torture: " + seconds + " s of random combinations (backends this JVM runs: "
                + dev.jepoll.testsupport.Backends.available() + ")");
        while (System.nanoTime() < deadline) {
            long seed = seeds.nextLong();
            Combination c = Combinations.of(seed);
            drawn.merge(c.backend() + " " + c.mode(), 1, Integer::sum);
            drawn.merge((c.chat() ? "chat" : "echo") + (c.tightBudget() ? ", tight budget" : ""), 1, Integer::sum);
            drawn.merge(c.loops() + (c.loops() == 1 ? " loop" : " loops"), 1, Integer::sum);
            if (!trial(++n, seed)) {
                failed.add(seed);
            }
        }
        System.out.println("torture: " + n + " trials, " + failed.size() + " failed; drawn " + drawn);
        for (long seed : failed) {
            System.out.println("torture: replay with: make torture SEED=" + seed);
        }
        System.exit(failed.isEmpty() ? 0 : 1);
    }

    private static boolean trial(int n, long seed) throws Exception {
        Combination c = Combinations.of(seed);
        System.out.println("[" + n + "] " + c);
        long started = System.nanoTime();
        List<String> violations;
        try {
            violations = Trial.run(c);
        } catch (Exception | AssertionError e) {
            violations = List.of("the trial itself failed: " + e);
        }
        long millis = (System.nanoTime() - started) / 1_000_000;
        if (violations.isEmpty()) {
            System.out.println("    ok (" + millis + " ms)");
            return true;
        }
        System.out.println("    FAILED (" + millis + " ms):");
        violations.forEach(v -> System.out.println("      " + v));
        System.out.println("    replay with: make torture SEED=" + seed);
        return false;
    }
}
