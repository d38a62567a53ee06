package dev.jepoll.cluster;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A process's output, read line by line by a thread of its own, for tests to wait on with a deadline. */
final class ProcessOutput {
    private final List<String> lines = new ArrayList<>(); // guarded by itself
    private final Thread reader;

    ProcessOutput(Process process, String name) {
        reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    synchronized (lines) {
                        lines.add(line);
                        lines.notifyAll();
                    }
                }
            } catch (IOException e) {
                // the process ended
            }
        }, name);
        reader.setDaemon(true);
        reader.start();
    }

    /** Waits until {@code count} lines pass {@code test}; returns the first of them. */
    String await(Predicate<String> test, int count, long seconds) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        synchronized (lines) {
            while (true) {
                List<String> matching = lines.stream().filter(test).toList();
                if (matching.size() >= count) {
                    return matching.get(0);
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("waited " + seconds + " s for " + count + " such lines; the process said: " + lines);
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(lines, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError(e);
                }
            }
        }
    }

    /** Waits (at most {@code millis}) for the process's output to end: after it exits, everything it said is here. */
    void awaitEnd(long millis) throws InterruptedException {
        reader.join(millis);
    }

    List<String> lines() {
        synchronized (lines) {
            return new ArrayList<>(lines);
        }
    }
}
