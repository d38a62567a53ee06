package dev.jepoll.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns run.sh's raw results into the table: per load, per server, the median over rounds of
 * each figure, and ratios to the reference server measured in the same run.
 *
 * <pre>java -cp jepoll-bench.jar dev.jepoll.bench.Report RESULTS_FILE REFERENCE_SERVER</pre>
 *
 * A raw line is {@code round=R server=S load=L title="..."? key=value ...}; lines starting with
 * {@code #} are notes and skipped. Servers and loads keep the order they first appear in.
 */
public final class Report {

    /** The figures of one server under one load, one value per round. */
    private static final class Samples {
        final Map<String, List<Double>> byKey = new HashMap<>();

        void add(Map<String, String> fields) {
            fields.forEach((key, value) -> {
                try {
                    byKey.computeIfAbsent(key, k -> new ArrayList<>()).add(Double.parseDouble(value));
                } catch (NumberFormatException e) {
                    // a word, not a figure (server, load): nothing to take a median of
                }
            });
        }

        double median(String key) {
            List<Double> values = byKey.getOrDefault(key, List.of());
            if (values.isEmpty()) {
                return Double.NaN;
            }
            double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            int mid = sorted.length / 2;
            return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
        }

        /** max - min over the median, in percent: how far the rounds disagree. */
        double spreadPercent(String key) {
            double[] v = byKey.getOrDefault(key, List.of()).stream().mapToDouble(Double::doubleValue).toArray();
            if (v.length < 2) {
                return 0;
            }
            return 100 * (Arrays.stream(v).max().orElse(0) - Arrays.stream(v).min().orElse(0)) / median(key);
        }

        int rounds() {
            return byKey.getOrDefault("rps", List.of()).size();
        }

        double sum(String key) {
            return byKey.getOrDefault(key, List.of()).stream().mapToDouble(Double::doubleValue).sum();
        }
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: Report RESULTS_FILE REFERENCE_SERVER");
            System.exit(2);
        }
        System.out.print(render(Files.readAllLines(Path.of(args[0])), args[1]));
    }

    static String render(List<String> lines, String reference) {
        Map<String, Map<String, Samples>> loads = new LinkedHashMap<>(); // load -> server -> samples
        Map<String, String> titles = new HashMap<>();
        for (String line : lines) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            Map<String, String> fields = fields(line);
            String load = fields.get("load");
            String server = fields.get("server");
            if (load == null || server == null) {
                continue;
            }
            titles.putIfAbsent(load, fields.getOrDefault("title", load));
            loads.computeIfAbsent(load, l -> new LinkedHashMap<>())
                    .computeIfAbsent(server, s -> new Samples()).add(fields);
        }

        StringBuilder out = new StringBuilder();
        for (Map.Entry<String, Map<String, Samples>> load : loads.entrySet()) {
            Map<String, Samples> servers = load.getValue();
            int rounds = servers.values().stream().mapToInt(Samples::rounds).max().orElse(0);
            out.append(String.format(Locale.ROOT, "%n%s: medians of %d round(s)%n", titles.get(load.getKey()), rounds));
            out.append(String.format(Locale.ROOT, "%-14s %9s %7s %9s %9s %9s %9s %8s %11s %10s %7s%n",
                    "server", "req/s", "spread", "MB/s", "p50 us", "p99 us", "p99.9 us", "srv CPU", "srv us/req",
                    "other CPU", "errors"));
            for (Map.Entry<String, Samples> e : servers.entrySet()) {
                Samples s = e.getValue();
                out.append(String.format(Locale.ROOT, "%-14s %9.0f %6.1f%% %9.2f %9.1f %9.1f %9.1f %7.1f%% %11.2f %9.1f%% %7.0f%n",
                        e.getKey(), s.median("rps"), s.spreadPercent("rps"), s.median("mbps"), s.median("p50_us"),
                        s.median("p99_us"), s.median("p999_us"), s.median("server_cpu_pct"),
                        s.median("server_cpu_us_per_req"), s.median("other_cpu_pct"), s.sum("errors")));
            }
            Samples ref = servers.get(reference);
            if (ref == null) {
                out.append("(no ").append(reference).append(" results: no ratios)\n");
                continue;
            }
            out.append(String.format(Locale.ROOT,
                    "ratios to %s (of the medians): req/s (higher is better), p99 and server CPU per request (lower is better)%n",
                    reference));
            for (Map.Entry<String, Samples> e : servers.entrySet()) {
                if (e.getKey().equals(reference)) {
                    continue;
                }
                Samples s = e.getValue();
                String name = e.getKey() + " / " + reference;
                out.append(String.format(Locale.ROOT, "  %-26s req/s %5.2f   p99 %5.2f   srv us/req %5.2f%n",
                        name, ratio(s, ref, "rps"), ratio(s, ref, "p99_us"), ratio(s, ref, "server_cpu_us_per_req")));
            }
        }
        return out.toString();
    }

    private static double ratio(Samples s, Samples ref, String key) {
        return s.median(key) / ref.median(key);
    }

    /** Splits {@code key=value} words; a value may be double-quoted to hold spaces. */
    static Map<String, String> fields(String line) {
        Map<String, String> fields = new LinkedHashMap<>();
        int i = 0;
        while (i < line.length()) {
            while (i < line.length() && line.charAt(i) == ' ') {
                i++;
            }
            int eq = line.indexOf('=', i);
            if (eq < 0) {
                break;
            }
            String key = line.substring(i, eq);
            int end;
            String value;
            if (eq + 1 < line.length() && line.charAt(eq + 1) == '"') {
                end = line.indexOf('"', eq + 2);
                end = end < 0 ? line.length() : end;
                value = line.substring(eq + 2, end);
                end++;
            } else {
                end = line.indexOf(' ', eq);
                end = end < 0 ? line.length() : end;
                value = line.substring(eq + 1, end);
            }
            fields.put(key, value);
            i = end;
        }
        return fields;
    }
}
