package dev.jepoll.bench;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.data.category.DefaultCategoryDataset;

/**
 * Draws the benchmark's charts, as PNG files, from the CSV files run.sh writes.
 *
 * <pre>java -Djava.awt.headless=true -cp bench/target/jepoll-bench.jar dev.jepoll.bench.Charts RESULTS_DIR OUTPUT_DIR</pre>
 *
 * Reads whichever of these exist in RESULTS_DIR (a missing file skips its charts) and writes
 * into OUTPUT_DIR (created if needed), printing one {@code charts: wrote FILE} line per chart:
 * <ul>
 * <li>{@code echo.csv} ({@code round,server,load,rps,mbps,...}): {@code echo-ratios.png}, per
 *     load the median req/s (request-response) or MB/s (throughput) of each server over that of
 *     {@value Results#ECHO_REFERENCE};</li>
 * <li>{@code chat.csv} ({@code round,server,clients,lines,deliveries_per_s,...}):
 *     {@code chat-deliveries.png}, median deliveries/s per configuration and server, and
 *     {@code chat-ratios.png}, the same over {@value Results#CHAT_REFERENCE}'s;</li>
 * <li>{@code idle.csv} ({@code round,selector,idle,active,rps,server_cpu_us_per_req,...}):
 *     {@code idle-scaling.png}, see {@link IdleChart};</li>
 * <li>{@code memory.csv} ({@code server,phase,rss_kb}): {@code rss.png}, RSS per phase and server.</li>
 * </ul>
 * Every figure is a median over the rounds of one run; servers and configurations keep the
 * order they first appear in. Exits 0, or 1 if a file cannot be read or a chart written, 2 on
 * bad usage. The numbers themselves, as Markdown, come from {@link Tables}.
 */
public final class Charts {
    private Charts() {}

    public static void main(String[] args) throws IOException {
        System.setProperty("java.awt.headless", "true"); // before any AWT class is loaded
        if (args.length != 2) {
            System.err.println("usage: Charts RESULTS_DIR OUTPUT_DIR");
            System.exit(2);
        }
        Path results = Path.of(args[0]);
        Path out = Path.of(args[1]);
        if (!Files.isDirectory(results)) {
            System.err.println("charts: no such directory: " + results);
            System.exit(2);
        }
        Files.createDirectories(out);
        ChartKit.setUp();
        int written = 0;
        try {
            written += echo(Csv.readIfExists(results, Results.ECHO), out);
            written += chat(Csv.readIfExists(results, Results.CHAT), out);
            written += IdleChart.draw(Csv.readIfExists(results, Results.IDLE), out);
            written += memory(Csv.readIfExists(results, Results.MEMORY), out);
        } catch (IOException | RuntimeException | Error e) {
            // AWT without fonts (a minimal container) fails here too: say so rather than dump a trace.
            System.err.println("charts: " + e);
            System.exit(1);
        }
        if (written == 0) {
            System.err.println("charts: nothing to draw in " + results + " (no echo.csv, chat.csv, idle.csv, memory.csv)");
        }
        System.exit(0);
    }

    private static int echo(Csv csv, Path out) throws IOException {
        if (csv == null) {
            return 0;
        }
        Medians m = Medians.by(csv, "server", "load");
        String ref = Results.ECHO_REFERENCE;
        if (!m.part(0).contains(ref)) {
            System.err.println("charts: echo.csv has no " + ref + " rows: no echo-ratios.png");
            return 0;
        }
        DefaultCategoryDataset data = dataset(m, (server, load) -> {
            String column = Results.echoMainColumn(load);
            return m.ratio(column, new String[] {server, load}, new String[] {ref, load});
        }, load -> load + " (" + Results.echoMainUnit(load) + ")");
        JFreeChart chart = ChartKit.bars("Echo: each server's speed relative to " + ref,
                "median over " + csv.rounds() + " round(s) of req/s (request-response) or MB/s (throughput),"
                        + " divided by " + ref + "'s in the same run; higher is better",
                "load (figure compared)", "ratio to " + ref, data, "0.00");
        markers(chart, "0.9");
        ChartKit.save(chart, out, "echo-ratios.png");
        return 1;
    }

    private static int chat(Csv csv, Path out) throws IOException {
        if (csv == null) {
            return 0;
        }
        Medians m = new Medians(csv, Results::chatKey);
        String rounds = "median over " + csv.rounds() + " round(s); ";
        DefaultCategoryDataset deliveries = dataset(m,
                (server, config) -> m.get("deliveries_per_s", server, config) / 1e6, Results::chatConfigLabel);
        ChartKit.save(ChartKit.bars("Chat: lines delivered per second",
                rounds + "a delivery is one line arriving at one client (the sender included); higher is better",
                "clients x lines each client sends", "deliveries/s (millions)", deliveries, "0.00"),
                out, "chat-deliveries.png");

        String ref = Results.CHAT_REFERENCE;
        if (!m.part(0).contains(ref)) {
            System.err.println("charts: chat.csv has no " + ref + " rows: no chat-ratios.png");
            return 1;
        }
        DefaultCategoryDataset ratios = dataset(m, (server, config) -> m.ratio("deliveries_per_s",
                new String[] {server, config}, new String[] {ref, config}), Results::chatConfigLabel);
        JFreeChart chart = ChartKit.bars("Chat: deliveries/s relative to " + ref,
                rounds + "each server's deliveries/s divided by " + ref + "'s in the same run; higher is better",
                "clients x lines each client sends", "ratio to " + ref, ratios, "0.00");
        markers(chart, "0.7");
        ChartKit.save(chart, out, "chat-ratios.png");
        return 2;
    }

    private static int memory(Csv csv, Path out) throws IOException {
        if (csv == null) {
            return 0;
        }
        Medians m = Medians.by(csv, "server", "phase");
        DefaultCategoryDataset data = dataset(m, (server, phase) -> m.get("rss_kb", server, phase) / 1024,
                phase -> phase);
        JFreeChart chart = ChartKit.bars("Memory: resident set size of each server process",
                "RSS in MiB (1 MiB = 1024 KiB) at each phase of the run, on a log scale (the servers span 1 MiB to"
                        + " 1 GiB); median where there are several; lower is better",
                "phase", "RSS (MiB, log scale)", data, "0");
        // A linear axis stretched to Netty's gigabyte crushes every other bar into its label.
        org.jfree.chart.axis.LogAxis log = new org.jfree.chart.axis.LogAxis("RSS (MiB, log scale)");
        log.setSmallestValue(0.5);
        log.setBase(10);
        log.setTickUnit(new NumberTickUnit(1));
        log.setNumberFormatOverride(new java.text.DecimalFormat("0.#"));
        log.setUpperMargin(0.15); // room for the labels above the tallest bar
        chart.getCategoryPlot().setRangeAxis(log);
        org.jfree.chart.renderer.category.BarRenderer bars =
                (org.jfree.chart.renderer.category.BarRenderer) chart.getCategoryPlot().getRenderer();
        bars.setBase(0.5);
        bars.setDefaultItemLabelFont(new java.awt.Font(java.awt.Font.SANS_SERIF, java.awt.Font.PLAIN, 10));
        bars.setItemMargin(0.12); // thirteen bars a group: a gap between them keeps their labels apart
        ChartKit.save(chart, out, "rss.png");
        return 1;
    }

    /**
     * One bar per (server, category) in first-appearance order: part 0 of {@code m}'s key is the
     * series, part 1 the category. Missing combinations are left out rather than drawn as 0.
     */
    private static DefaultCategoryDataset dataset(Medians m, BiFunction<String, String, Double> value,
                                                  Function<String, String> label) {
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        List<String> series = m.part(0);
        for (String category : m.part(1)) {
            for (String s : series) {
                double v = value.apply(s, category);
                // A NaN (no such row) still adds the key, so every group keeps the same bar slots and colors.
                data.addValue(Double.isNaN(v) ? null : v, s, label.apply(category));
            }
        }
        return data;
    }

    /** Dashed lines at 1.0 (as fast as the reference) and at {@code threshold}, e.g. 0.9. */
    private static void markers(JFreeChart chart, String threshold) {
        CategoryPlot plot = chart.getCategoryPlot();
        ChartKit.ratioTicks(plot);
        // Unlabelled: a label at the line's end hid the value of the bar beneath it; the subtitle says it.
        ChartKit.marker(plot, 1.0, null, Color.BLACK);
        ChartKit.addSubtitle(chart, "dashed black line: 1.0, as fast as the reference; dashed red line: " + threshold);
        ChartKit.marker(plot, Double.parseDouble(threshold), threshold, new Color(0xB0, 0x30, 0x30));
    }
}
