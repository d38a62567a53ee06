package dev.jepoll.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * CPU time used so far, user + system, by the server process, by this process, and by the
 * whole machine; two samples give the use over the window between them. On a machine whose
 * cores client and server share, a server's CPU per request says more about its cost than
 * requests/s alone, and the machine's time that neither was charged for tells how noisy the
 * window was.
 *
 * @param server  the server's ticks, all its threads, or -1 when it is not known (or gone)
 * @param client  this process's ticks
 * @param machine busy ticks of all cores together
 */
record CpuSample(long server, long client, long machine) {
    /** USER_HZ, the unit of /proc's CPU times: 100 in Linux's ABI on x86 and arm. */
    private static final int TICKS_PER_SECOND = 100;

    static CpuSample take(long serverPid) {
        return new CpuSample(processTicks(serverPid), processTicks(ProcessHandle.current().pid()), machineBusyTicks());
    }

    /**
     * {@code server_cpu_pct=.. server_cpu_us_per_req=.. client_cpu_pct=.. other_cpu_pct=..}, in
     * percent of one core, from {@code earlier} to this sample. The server's figures are left out
     * when it could not be read at both ends (it died in between, say): better none than a guess.
     */
    String since(CpuSample earlier, double seconds, long requests) {
        boolean serverKnown = server >= 0 && earlier.server >= 0;
        long serverTicks = serverKnown ? server - earlier.server : 0;
        long clientTicks = client - earlier.client;
        long otherTicks = machine - earlier.machine - clientTicks - serverTicks;
        StringBuilder out = new StringBuilder();
        if (serverKnown) {
            double serverSeconds = (double) serverTicks / TICKS_PER_SECOND;
            out.append(String.format(Locale.ROOT, "server_cpu_pct=%.1f server_cpu_us_per_req=%.2f ",
                    percentOfOneCore(serverTicks, seconds), requests == 0 ? 0 : 1e6 * serverSeconds / requests));
        }
        out.append(String.format(Locale.ROOT, "client_cpu_pct=%.1f other_cpu_pct=%.1f",
                percentOfOneCore(clientTicks, seconds), percentOfOneCore(otherTicks, seconds)));
        return out.toString();
    }

    private static double percentOfOneCore(long ticks, double seconds) {
        return 100.0 * ticks / TICKS_PER_SECOND / seconds;
    }

    /** From /proc/PID/stat; -1 if there is no such process. */
    static long processTicks(long pid) {
        if (pid <= 0) {
            return -1;
        }
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // The command name, field 2, may hold spaces: count fields from the ')' that ends it.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime, stime
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /**
     * From /proc/stat's first line. Besides the server's and the client's time, it holds softirqs
     * that no process is charged for, time the hypervisor stole, and other programs.
     */
    static long machineBusyTicks() {
        try (BufferedReader in = Files.newBufferedReader(Path.of("/proc/stat"))) {
            // cpu user nice system idle iowait irq softirq steal ...
            String[] f = in.readLine().trim().split("\\s+");
            long busy = 0;
            for (int i = 1; i <= 8 && i < f.length; i++) {
                busy += (i == 4 || i == 5) ? 0 : Long.parseLong(f[i]); // idle and iowait are not busy
            }
            return busy;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }
}
