package dev.jepoll.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One soak CSV (written by soak.sh from the server's {@code --stats 1} lines), as columns, and
 * the figures the verdict and the chart share. Rows are in time order; {@code phase} is
 * {@code baseline} (before the load), {@code load}, or {@code drain} (after the generator
 * stopped, until SIGTERM); {@code t_s} is seconds since the load started.
 */
final class SoakSeries {
    /** The closes columns, in the server's CloseReason order. */
    static final List<String> CLOSES = List.of("peer_closed", "peer_reset", "io_error", "slow_consumer", "line_too_long",
            "write_timeout", "idle_timeout", "memory_budget", "protocol_error", "shutdown");
    /** The RSS rule's windows: two medians of this many seconds each. */
    static final double WINDOW_S = 30;

    private final List<Map<String, String>> rows;

    private SoakSeries(List<Map<String, String>> rows) {
        this.rows = rows;
    }

    static SoakSeries read(Path csv) throws IOException {
        Csv c = Csv.readIfExists(csv.getParent() == null ? Path.of(".") : csv.getParent(), csv.getFileName().toString());
        return new SoakSeries(c == null ? List.of() : c.rows);
    }

    int size() {
        return rows.size();
    }

    String phase(int i) {
        return rows.get(i).getOrDefault("phase", "");
    }

    double get(int i, String column) {
        try {
            return Double.parseDouble(rows.get(i).getOrDefault(column, "NaN"));
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    /** The index of the last row of a phase, or -1. */
    int last(String phase) {
        for (int i = rows.size() - 1; i >= 0; i--) {
            if (phase(i).equals(phase)) {
                return i;
            }
        }
        return -1;
    }

    /** Seconds of load the CSV covers: the t_s of its last load row (0 without one). */
    double loadSeconds() {
        int i = last("load");
        return i < 0 ? 0 : get(i, "t_s");
    }

    double max(String column) {
        double m = Double.NaN;
        for (int i = 0; i < rows.size(); i++) {
            double v = get(i, column);
            m = Double.isNaN(m) || v > m ? v : m;
        }
        return m;
    }

    /** The median of a column over the load rows with {@code from <= t_s < to}; NaN if there are none. */
    double median(String column, double from, double to) {
        List<Double> values = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            double t = get(i, "t_s");
            if (phase(i).equals("load") && t >= from && t < to) {
                values.add(get(i, column));
            }
        }
        if (values.isEmpty()) {
            return Double.NaN;
        }
        double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    /**
     * The RSS rule's two windows over the second half of the load: the 30 s starting at half
     * time, and the last 30 s. Medians rather than means or single samples: RSS steps up and
     * down by a few MiB as the heap grows and shrinks around collections, and a median over 30
     * one-second samples ignores a burst without hiding a trend.
     */
    double[] rssWindows() {
        double end = loadSeconds();
        double half = end / 2;
        return new double[] {half, half + WINDOW_S, end - WINDOW_S, end + 0.001};
    }

    /** Median RSS of the half-time window and of the last window, in KiB. */
    double[] rssMedians() {
        double[] w = rssWindows();
        return new double[] {median("rss_kb", w[0], w[1]), median("rss_kb", w[2], w[3])};
    }

    static String mib(double kb) {
        return String.format(Locale.ROOT, "%.1f MiB", kb / 1024);
    }
}
