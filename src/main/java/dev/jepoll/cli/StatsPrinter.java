package dev.jepoll.cli;

import dev.jepoll.reactor.CloseReason;
import dev.jepoll.reactor.Counter;
import dev.jepoll.reactor.Counters;
import dev.jepoll.reactor.Server;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.StringJoiner;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * {@code --stats N}: one line of numbers every N seconds, for an operator and for the soak
 * test, which reads the server's own view of itself this way:
 * <pre>stats: uptime_s=12.0 connections=40 accepts_per_s=3.0 bytes_in_per_s=... bytes_out_per_s=...
 *   wakeups_per_s=... held_bytes=... budget=... rss_kb=... heap_used_kb=... heap_after_gc_kb=...
 *   fds=... closes[peer closed=3, write timeout=1]</pre>
 */
final class StatsPrinter implements Runnable {
    private final Server server;
    private final PrintStream out;
    private final long periodMillis;
    private final long started = System.nanoTime();
    private final Supplier<String> extra;
    private java.nio.channels.FileChannel status;

    private StatsPrinter(Server server, PrintStream out, int seconds, Supplier<String> extra) {
        this.server = server;
        this.out = out;
        this.periodMillis = seconds * 1000L;
        this.extra = extra;
    }

    /** A daemon thread printing until the server stops; {@code extra}, if not null, is added to each line. */
    static void start(Server server, PrintStream out, int seconds, Supplier<String> extra) {
        Thread t = new Thread(new StatsPrinter(server, out, seconds, extra), "jepoll-stats");
        t.setDaemon(true);
        t.start();
    }

    @Override
    public void run() {
        Counters last = server.counters();
        long lastNanos = System.nanoTime();
        try {
            while (!server.awaitAnyLoopEnd(java.time.Duration.ofMillis(periodMillis))) {
                Counters now = server.counters();
                long nanos = System.nanoTime();
                out.println(line(last, now, (nanos - lastNanos) / 1e9));
                last = now;
                lastNanos = nanos;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private String line(Counters before, Counters now, double seconds) {
        int connections = 0;
        for (int c : server.connectionsPerLoop()) {
            connections += c;
        }
        StringJoiner closes = new StringJoiner(", ", "closes[", "]");
        for (CloseReason r : CloseReason.values()) {
            if (now.closes(r) > 0) {
                closes.add(r.label() + "=" + now.closes(r));
            }
        }
        return String.format(Locale.ROOT, "stats: uptime_s=%.1f connections=%d accepts_per_s=%.1f bytes_in_per_s=%.0f"
                        + " bytes_out_per_s=%.0f wakeups_per_s=%.1f held_bytes=%d budget=%d rss_kb=%d heap_used_kb=%d"
                        + " heap_after_gc_kb=%d fds=%d %s",
                (System.nanoTime() - started) / 1e9, connections, rate(before, now, Counter.ACCEPTS, seconds),
                rate(before, now, Counter.BYTES_IN, seconds), rate(before, now, Counter.BYTES_OUT, seconds),
                rate(before, now, Counter.WAKEUPS, seconds), server.heldBytes(), server.memoryBudget(), rssKb(),
                heap(false) / 1024, heap(true) / 1024, descriptors(), closes) + (extra == null ? "" : " " + extra.get());
    }

    private static double rate(Counters before, Counters now, Counter c, double seconds) {
        return seconds <= 0 ? 0 : (now.get(c) - before.get(c)) / seconds;
    }

    /**
     * Heap in use now; or right after the most recent collection of any kind, every heap pool
     * together (the live set, roughly). A pool's own "after collection" figure will not do: under
     * the serial collector the old generation's changes only at a full collection. The GC's
     * record also lists metaspace and the code cache, which are not heap: they are left out.
     */
    /** What the named pools use, of a collection's record of every pool. */
    static long usedIn(java.util.Map<String, MemoryUsage> pools, java.util.Set<String> named) {
        long sum = 0;
        for (java.util.Map.Entry<String, MemoryUsage> pool : pools.entrySet()) {
            if (named.contains(pool.getKey())) {
                sum += pool.getValue().getUsed();
            }
        }
        return sum;
    }

    private static long heap(boolean afterGc) {
        if (afterGc) {
            java.util.Set<String> heapPools = new java.util.HashSet<>();
            for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                if (pool.getType() == MemoryType.HEAP) {
                    heapPools.add(pool.getName());
                }
            }
            long latestEnd = -1;
            long sum = 0;
            for (java.lang.management.GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
                if (gc instanceof com.sun.management.GarbageCollectorMXBean detail && detail.getLastGcInfo() != null
                        && detail.getLastGcInfo().getEndTime() > latestEnd) {
                    latestEnd = detail.getLastGcInfo().getEndTime();
                    sum = usedIn(detail.getLastGcInfo().getMemoryUsageAfterGc(), heapPools);
                }
            }
            if (latestEnd >= 0) {
                return sum;
            }
        }
        long sum = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                MemoryUsage u = pool.getUsage();
                sum += u == null ? 0 : u.getUsed();
            }
        }
        return sum;
    }

    /**
     * From {@code /proc/self/status}, kept open and read again from its start each time: at the
     * descriptor limit, when RSS matters most, a new open would fail.
     */
    private long rssKb() {
        try {
            if (status == null) {
                status = java.nio.channels.FileChannel.open(Path.of("/proc/self/status"));
            }
            java.nio.ByteBuffer text = java.nio.ByteBuffer.allocate(8192);
            while (status.read(text, text.position()) > 0 && text.hasRemaining()) {
                // /proc files come in pieces; read on from where we are
            }
            String all = new String(text.array(), 0, text.position(), java.nio.charset.StandardCharsets.US_ASCII);
            int at = all.indexOf("VmRSS:");
            if (at < 0) {
                return -1;
            }
            int end = all.indexOf('\n', at);
            return Long.parseLong(all.substring(at + 6, end < 0 ? all.length() : end).replaceAll("[^0-9]", ""));
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** Entries of {@code /proc/self/fd}; -1 when the process has no descriptor left to list them with. */
    static long descriptors() {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
