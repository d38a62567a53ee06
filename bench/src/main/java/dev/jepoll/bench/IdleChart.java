package dev.jepoll.bench;

import java.awt.BasicStroke;
import java.awt.Font;
import java.awt.Shape;
import java.io.IOException;
import java.nio.file.Path;
import java.text.DecimalFormat;
import java.util.List;
import java.util.Map;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.CombinedDomainCategoryPlot;
import org.jfree.chart.plot.DefaultDrawingSupplier;
import org.jfree.chart.renderer.category.LineAndShapeRenderer;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.data.category.DefaultCategoryDataset;

/**
 * {@code idle-scaling.png}, the chart of the chapter's thesis: with N idle connections open
 * beside a few active ones, poll(2) has to look at all N descriptors on every call, so its
 * messages/s fall and its CPU per message grows with N; epoll hands back only the ready ones,
 * so neither moves. Two plots share the x axis "idle connections": median msgs/s on top,
 * median server CPU microseconds per message below (on a log scale when the values span more
 * than a factor of 20, so that epoll's flat line stays visible beside poll's growth).
 *
 * <p>The idle counts are evenly spaced categories in increasing order, not a numeric axis: run.sh
 * picks counts like 0, 1000, 10000, which a linear axis would crowd into one corner and a log
 * axis could not place at 0. One line per selector; if idle.csv has several {@code active}
 * counts, one line per selector and active count.
 */
final class IdleChart {
    private IdleChart() {}

    static int draw(Csv csv, Path out) throws IOException {
        if (csv == null) {
            return 0;
        }
        List<String> actives = csv.distinct("active");
        boolean severalActive = actives.size() > 1;
        Medians m = new Medians(csv, row -> List.of(seriesName(row, severalActive), row.getOrDefault("idle", "")));
        List<String> idles = Results.sortedNumerically(m.part(1));

        DefaultCategoryDataset rps = new DefaultCategoryDataset();
        DefaultCategoryDataset cpu = new DefaultCategoryDataset();
        double minCpu = Double.MAX_VALUE;
        double maxCpu = 0;
        for (String series : m.part(0)) {
            for (String idle : idles) {
                double r = m.get("rps", series, idle);
                double c = m.get("server_cpu_us_per_req", series, idle);
                rps.addValue(Double.isNaN(r) ? null : r, series, idle);
                cpu.addValue(Double.isNaN(c) || c <= 0 ? null : c, series, idle);
                if (c > 0) {
                    minCpu = Math.min(minCpu, c);
                    maxCpu = Math.max(maxCpu, c);
                }
            }
        }

        NumberAxis rpsAxis = new NumberAxis("messages/s");
        rpsAxis.setNumberFormatOverride(new DecimalFormat("#,##0"));
        CategoryPlot top = new CategoryPlot(rps, null, rpsAxis, renderer(true));

        ValueAxis cpuAxis;
        if (maxCpu / minCpu > 20) {
            // Whole decades, one labelled tick each: JFreeChart's automatic log ticks land on
            // values like 398.11.
            LogAxis log = new LogAxis("server CPU us/message (log scale)");
            log.setNumberFormatOverride(new DecimalFormat("#,##0.###"));
            log.setTickUnit(new NumberTickUnit(1), false, true);
            log.setMinorTickMarksVisible(true);
            log.setRange(Math.pow(10, Math.floor(Math.log10(minCpu))), Math.pow(10, Math.ceil(Math.log10(maxCpu))));
            cpuAxis = log;
        } else {
            cpuAxis = new NumberAxis("server CPU us/message");
        }
        CategoryPlot bottom = new CategoryPlot(cpu, null, cpuAxis, renderer(false));

        CategoryAxis idleAxis = new CategoryAxis("idle connections (open, sending nothing)");
        ChartKit.wrapCategoryLabels(idleAxis);
        CombinedDomainCategoryPlot plot = new CombinedDomainCategoryPlot(idleAxis);
        plot.setGap(14);
        plot.add(top, 1);
        plot.add(bottom, 1);

        // A title that says what was measured, not what it should show: the data may disagree.
        JFreeChart chart = new JFreeChart("Idle connections: echo rate and server CPU per message, by selector",
                JFreeChart.DEFAULT_TITLE_FONT, plot, true);
        ChartUtils.applyCurrentTheme(chart);
        // The theme resets renderer fonts and paints: colors and strokes go on after it.
        style(top, true);
        style(bottom, false);
        String active = severalActive ? "several active counts (in the legend)" : actives.isEmpty() ? "?" : actives.get(0);
        ChartKit.addSubtitle(chart, "active connections: " + active + "; medians over " + csv.rounds()
                + " round(s); top: messages/s, higher is better; bottom: server CPU per message, lower is better");
        chart.getLegend().setPosition(RectangleEdge.BOTTOM);
        ChartKit.save(chart, out, "idle-scaling.png");
        return 1;
    }

    private static String seriesName(Map<String, String> row, boolean withActive) {
        String selector = row.getOrDefault("selector", "?");
        return withActive ? selector + ", " + row.getOrDefault("active", "?") + " active" : selector;
    }

    private static LineAndShapeRenderer renderer(boolean inLegend) {
        LineAndShapeRenderer renderer = new LineAndShapeRenderer(true, true);
        // Both plots draw the same series: list them once in the legend.
        renderer.setDefaultSeriesVisibleInLegend(inLegend);
        return renderer;
    }

    private static void style(CategoryPlot plot, boolean inLegend) {
        LineAndShapeRenderer renderer = (LineAndShapeRenderer) plot.getRenderer();
        renderer.setDefaultSeriesVisibleInLegend(inLegend);
        Shape[] shapes = DefaultDrawingSupplier.createStandardSeriesShapes();
        for (int i = 0; i < plot.getDataset().getRowCount(); i++) {
            // Set per series: both plots would otherwise draw from one shared sequence, so the
            // bottom plot's epoll would get the color and shape after the top plot's last series.
            renderer.setSeriesPaint(i, ChartKit.PALETTE[i % ChartKit.PALETTE.length]);
            renderer.setSeriesShape(i, shapes[i % shapes.length]);
            renderer.setSeriesStroke(i, new BasicStroke(2.5f));
        }
        plot.getRangeAxis().setLabelFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
    }
}
