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
        java.util.Map<String, Double> base = new java.util.HashMap<>(); // per load: its first configuration (1 node)
        DefaultCategoryDataset rate = new DefaultCategoryDataset();
        DefaultCategoryDataset latency = new DefaultCategoryDataset();
        for (String config : configs) {
            String load = config.substring(config.lastIndexOf('/') + 1).strip();
            double perSecond = median(csv, config, "deliveries_per_s");
            base.putIfAbsent(load, perSecond);
            double crossP50 = median(csv, config, "cross_p50_us");
            double crossP99 = median(csv, config, "cross_p99_us");
            table.append(String.format(Locale.ROOT, "| %s | %d | %,.0f | %.2fx | %.0f / %.0f | %s | %.1f |%n", config,
                    rows(csv, config).size(), perSecond, perSecond / base.get(load), median(csv, config, "same_p50_us"),
                    median(csv, config, "same_p99_us"), Double.isNaN(crossP50) ? "-" : String.format(Locale.ROOT,
                            "%.0f / %.0f", crossP50, crossP99), median(csv, config, "rss_kb_per_node") / 1024));
            String name = config.substring(0, config.lastIndexOf('/')).strip();
            if (load.equals("throughput")) {
                rate.addValue(perSecond / 1000, "deliveries/s (thousands), 30 clients, 8 lines each in flight", name);
            } else {
                latency.addValue(median(csv, config, "same_p50_us"), "same-node p50", name);
                latency.addValue(median(csv, config, "same_p99_us"), "same-node p99", name);
                latency.addValue(Double.isNaN(crossP50) ? 0 : crossP50, "cross-node p50", name);
                latency.addValue(Double.isNaN(crossP99) ? 0 : crossP99, "cross-node p99", name);
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
        JFreeChart latencyChart = ChartKit.bars("Chat through a NATS broker: latency, said to heard",
                "medians of " + csv.rounds() + " runs; 10 clients, one line each in flight; same node vs across the broker (0: none)", "", "microseconds", latency, "#,##0");
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
