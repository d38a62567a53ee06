package dev.jepoll.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.StringJoiner;

/**
 * The soak's verdict for one app, from the CSV of the server's stats, the generator's report
 * and the exit statuses soak.sh saw:
 *
 * <pre>java -cp bench/target/jepoll-bench.jar dev.jepoll.bench.SoakVerdict APP CSV REPORT GENERATOR_STATUS
 *      SERVER_STATUS FD_SLACK RSS_MIN_LOAD_S</pre>
 *
 * Prints the figures, then one {@code PASS}, {@code SKIP} or {@code FAIL} line per rule; exits 1
 * if any rule failed. The rules: RSS does not grow more than 10 % over the second half of the
 * load (judged only when the load ran at least RSS_MIN_LOAD_S seconds); descriptors and
 * connections are back at the baseline once the load stopped; every check of the generator held
 * (no echo byte wrong or missing, no chat line lost, torn or reordered, every never-reading
 * client cut); the server stopped on SIGTERM with status 0.
 */
public final class SoakVerdict {
    static final double MAX_RSS_GROWTH = 0.10;

    private SoakVerdict() {}

    public static void main(String[] args) throws IOException {
        if (args.length != 7) {
            System.err.println("usage: SoakVerdict APP CSV REPORT GENERATOR_STATUS SERVER_STATUS FD_SLACK RSS_MIN_LOAD_S");
            System.exit(2);
        }
        String app = args[0];
        SoakSeries s = SoakSeries.read(Path.of(args[1]));
        Path report = Path.of(args[2]);
        List<String> lines = Files.isRegularFile(report) ? Files.readAllLines(report) : List.of();
        int generator = Integer.parseInt(args[3]);
        int server = Integer.parseInt(args[4]);
        int slack = Integer.parseInt(args[5]);
        double minLoad = Double.parseDouble(args[6]);

        List<String> verdict = new ArrayList<>();
        figures(app, s, lines);
        rss(s, minLoad, verdict);
        descriptors(s, slack, verdict);
        checks(lines, generator, verdict);
        if (server != 0) {
            verdict.add("FAIL server: exited with status " + server + " (0 after SIGTERM expected; 137 = killed)");
        }
        boolean failed = false;
        for (String v : verdict) {
            System.out.println(app + ": " + v);
            failed |= v.startsWith("FAIL");
        }
        System.out.println(app + ": " + (failed ? "FAILED" : "PASSED"));
        System.exit(failed ? 1 : 0);
    }

    private static void figures(String app, SoakSeries s, List<String> report) {
        if (s.size() == 0) {
            return;
        }
        int end = s.size() - 1;
        System.out.printf(Locale.ROOT, "%s: load %.0f s; RSS peak %s, final %s; heap after GC peak %s, final %s;"
                        + " descriptors baseline %.0f, peak %.0f, final %.0f; connections peak %.0f%n", app, s.loadSeconds(),
                SoakSeries.mib(s.max("rss_kb")), SoakSeries.mib(s.get(end, "rss_kb")),
                SoakSeries.mib(s.max("heap_after_gc_kb")), SoakSeries.mib(s.get(end, "heap_after_gc_kb")),
                baseline(s), s.max("fds"), s.get(end, "fds"), s.max("connections"));
        StringJoiner closes = new StringJoiner(", ", app + ": closes by reason: ", "");
        closes.setEmptyValue(app + ": closes by reason: none");
        for (String reason : SoakSeries.CLOSES) {
            double n = s.get(end, "closes_" + reason);
            if (n > 0) {
                closes.add(reason.replace('_', ' ') + "=" + (long) n);
            }
        }
        System.out.println(closes);
        if (!report.isEmpty() && report.get(0).startsWith("soak:")) {
            System.out.println(app + ": generator: " + report.get(0).substring("soak: ".length()));
        }
    }

    /** The descriptors just before the load: the last baseline row. */
    private static double baseline(SoakSeries s) {
        int b = s.last("baseline");
        return b < 0 ? Double.NaN : s.get(b, "fds");
    }

    private static void rss(SoakSeries s, double minLoad, List<String> verdict) {
        double load = s.loadSeconds();
        double[] m = s.rssMedians();
        String how = String.format(Locale.ROOT, "median of the last %.0f s %s vs the %.0f s from half time %s",
                SoakSeries.WINDOW_S, SoakSeries.mib(m[1]), SoakSeries.WINDOW_S, SoakSeries.mib(m[0]));
        if (load < minLoad) {
            verdict.add(String.format(Locale.ROOT, "SKIP rss growth: not judged, the load ran %.0f s (< %.0f s: too"
                    + " short for a trend, RSS is still the JVM warming up); %s", load, minLoad, how));
            return;
        }
        double growth = (m[1] - m[0]) / m[0];
        String line = String.format(Locale.ROOT, "rss growth over the second half %+.1f%% (limit +%.0f%%): %s",
                growth * 100, MAX_RSS_GROWTH * 100, how);
        verdict.add((growth > MAX_RSS_GROWTH || Double.isNaN(growth) ? "FAIL " : "PASS ") + line);
    }

    private static void descriptors(SoakSeries s, int slack, List<String> verdict) {
        int last = s.last("drain");
        double base = baseline(s);
        if (last < 0 || Double.isNaN(base)) {
            verdict.add("FAIL descriptors: no stats line " + (last < 0 ? "after the load stopped" : "before the load")
                    + " (did the server die?)");
            return;
        }
        double fds = s.get(last, "fds");
        double connections = s.get(last, "connections");
        String line = String.format(Locale.ROOT, "descriptors after the load: %.0f, baseline %.0f (slack %d);"
                + " connections %.0f", fds, base, slack, connections);
        verdict.add((fds <= base + slack && connections == 0 ? "PASS " : "FAIL ") + line);
    }

    private static void checks(List<String> report, int status, List<String> verdict) {
        String header = report.isEmpty() ? "" : report.get(0);
        String failures = field(header, "failures");
        String bytes = field(header, "bytes_checked");
        if (!header.startsWith("soak:")) {
            verdict.add("FAIL client checks: the generator wrote no report (status " + status
                    + (status == 124 ? ", stopped by timeout" : "") + "; see its .err file)");
        } else if (status == 0 && "0".equals(failures)) {
            verdict.add("PASS client checks: " + bytes + " bytes checked, 0 failures");
        } else if (status == 0 || status == 1) {
            String first = report.stream().filter(l -> l.startsWith("failure: ")).findFirst().orElse("?");
            verdict.add("FAIL client checks: " + failures + " failure(s), " + bytes + " bytes checked; first: "
                    + first.substring(first.indexOf(' ') + 1));
        } else {
            verdict.add("FAIL client checks: the generator did not finish (status " + status
                    + (status == 124 ? ": stopped by timeout" : "") + ")");
        }
    }

    private static String field(String line, String key) {
        for (String word : line.split(" ")) {
            if (word.startsWith(key + "=")) {
                return word.substring(key.length() + 1);
            }
        }
        return "?";
    }
}
