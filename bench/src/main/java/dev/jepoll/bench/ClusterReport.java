package dev.jepoll.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jfree.chart.JFreeChart;
import org.jfree.data.category.DefaultCategoryDataset;

/**
 * make bench-cluster's table and charts, from {@code cluster.csv} (one row per run and
 * configuration): medians of the runs for each configuration, and the ratio of each to one
 * node without a broker, measured in the same run.
 * <pre>usage: ClusterReport RESULTS_DIR OUTPUT_DIR</pre>
 */
public final class ClusterReport {
    private ClusterReport() {
    }

    public static void main(String[] args) throws IOException {
        System.setProperty("java.awt.headless", "true");
        if (args.length != 2) {
            System.err.println("usage: ClusterReport RESULTS_DIR OUTPUT_DIR");
            System.exit(2);
        }
        Csv csv = Csv.readIfExists(Path.of(args[0]), "cluster.csv");
        if (csv == null) {
            System.err.println("cluster-report: no cluster.csv rows in " + args[0]);
            System.exit(1);
        }
        List<String> configs = csv.distinct("config");
        StringBuilder table = new StringBuilder();
        table.append("| configuration | runs | deliveries/s | vs 1 node | same-node p50 / p99 (us) | cross-node p50 / p99 (us) | RSS per node (MiB) |\n");
        table.append("|---|---:|---:|---:|---:|---:|---:|\n");
        double base = median(csv, configs.get(0), "deliveries_per_s");
        DefaultCategoryDataset rate = new DefaultCategoryDataset();
        DefaultCategoryDataset latency = new DefaultCategoryDataset();
        for (String config : configs) {
            double perSecond = median(csv, config, "deliveries_per_s");
            double crossP50 = median(csv, config, "cross_p50_us");
            double crossP99 = median(csv, config, "cross_p99_us");
            table.append(String.format(Locale.ROOT, "| %s | %d | %,.0f | %.2fx | %.0f / %.0f | %s | %.1f |%n", config,
                    rows(csv, config).size(), perSecond, perSecond / base, median(csv, config, "same_p50_us"),
                    median(csv, config, "same_p99_us"), Double.isNaN(crossP50) ? "-" : String.format(Locale.ROOT,
                            "%.0f / %.0f", crossP50, crossP99), median(csv, config, "rss_kb_per_node") / 1024));
            rate.addValue(perSecond / 1000, "deliveries/s (thousands)", config);
            latency.addValue(median(csv, config, "same_p99_us"), "same-node p99", config);
            if (!Double.isNaN(crossP99)) {
                latency.addValue(crossP99, "cross-node p99", config);
            }
        }
        Path out = Path.of(args[1]);
        Files.createDirectories(out);
        Files.writeString(out.resolve("cluster-table.md"), table);
        System.out.print(table);
        ChartKit.setUp();
        JFreeChart rateChart = ChartKit.bars("Chat through a NATS broker: deliveries per second",
                "medians of " + csv.rounds() + " runs; every line to every client", "", "thousands per second", rate, "#,##0");
        ChartKit.save(rateChart, out, "cluster-rate.png");
        JFreeChart latencyChart = ChartKit.bars("Chat through a NATS broker: p99 latency, said to heard",
                "medians of " + csv.rounds() + " runs; same node vs across the broker", "", "microseconds", latency, "#,##0");
        ChartKit.save(latencyChart, out, "cluster-latency.png");
    }

    private static List<Map<String, String>> rows(Csv csv, String config) {
        List<Map<String, String>> rows = new ArrayList<>();
        for (Map<String, String> row : csv.rows) {
            if (config.equals(row.get("config"))) {
                rows.add(row);
            }
        }
        return rows;
    }

    private static double median(Csv csv, String config, String column) {
        List<Double> values = new ArrayList<>();
        for (Map<String, String> row : rows(csv, config)) {
            String v = row.get(column);
            if (v != null && !v.isEmpty() && !v.equals("NaN")) {
                values.add(Double.parseDouble(v));
            }
        }
        return values.isEmpty() ? Double.NaN : Medians.median(values);
    }
}
