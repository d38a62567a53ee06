package dev.jepoll.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Paint;
import java.io.IOException;
import java.nio.file.Path;
import java.text.DecimalFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.IntervalMarker;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.ui.Layer;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The soak's chart, one PNG per app, three plots over one time axis (seconds since the load
 * started): memory (RSS, heap after the last collection, heap in use), descriptors and
 * connections, and closes by reason so far (on a log scale once they reach the hundreds:
 * thousands of churned connections beside a few write timeouts). The two shaded bands are the RSS rule's windows; the dashed line is
 * where the load stopped.
 *
 * <pre>java -cp bench/target/jepoll-bench.jar dev.jepoll.bench.SoakChart APP CSV PNG</pre>
 */
public final class SoakChart {
    private static final int HEIGHT = 950;
    /**
     * One color per close reason, in SoakSeries.CLOSES order, none of them the four the memory
     * and descriptor lines use (the legend is shared by the three plots).
     */
    private static final Color[] REASON_COLORS = {
        new Color(0x94, 0x67, 0xBD), new Color(0x8C, 0x56, 0x4B), new Color(0xE3, 0x77, 0xC2),
        new Color(0x17, 0xBE, 0xCF), new Color(0x7F, 0x7F, 0x7F), new Color(0xBC, 0xBD, 0x22),
        new Color(0x00, 0x5F, 0x5F), new Color(0xB8, 0x86, 0x0B), new Color(0x00, 0x00, 0x80), Color.BLACK,
    };

    private SoakChart() {}

    public static void main(String[] args) throws IOException {
        System.setProperty("java.awt.headless", "true");
        if (args.length != 3) {
            System.err.println("usage: SoakChart APP CSV PNG");
            System.exit(2);
        }
        SoakSeries s = SoakSeries.read(Path.of(args[1]));
        if (s.size() == 0) {
            System.err.println("soak chart: no rows in " + args[1]);
            System.exit(1);
        }
        ChartKit.setUp();
        Path png = Path.of(args[2]);
        ChartUtils.saveChartAsPNG(png.toFile(), chart(args[0], s), ChartKit.WIDTH, HEIGHT);
        System.out.println("soak chart: wrote " + png);
    }

    static JFreeChart chart(String app, SoakSeries s) {
        XYSeries rss = new XYSeries("RSS");
        XYSeries afterGc = new XYSeries("heap after GC");
        XYSeries heapUsed = new XYSeries("heap in use");
        XYSeries fds = new XYSeries("descriptors");
        XYSeries connections = new XYSeries("connections");
        XYSeriesCollection closes = new XYSeriesCollection();
        List<Paint> closePaints = new ArrayList<>();
        double mostCloses = 0;
        for (int r = 0; r < SoakSeries.CLOSES.size(); r++) {
            String reason = SoakSeries.CLOSES.get(r);
            double n = s.get(s.size() - 1, "closes_" + reason);
            if (n > 0) {
                closes.addSeries(new XYSeries("closed: " + reason.replace('_', ' ')));
                // One color per reason, whichever others occur, so charts compare at a glance.
                closePaints.add(REASON_COLORS[r]);
                mostCloses = Math.max(mostCloses, n);
            }
        }
        for (int i = 0; i < s.size(); i++) {
            double t = s.get(i, "t_s");
            rss.add(t, s.get(i, "rss_kb") / 1024);
            afterGc.add(t, s.get(i, "heap_after_gc_kb") / 1024);
            heapUsed.add(t, s.get(i, "heap_used_kb") / 1024);
            fds.add(t, s.get(i, "fds"));
            connections.add(t, s.get(i, "connections"));
            for (int k = 0; k < closes.getSeriesCount(); k++) {
                XYSeries c = closes.getSeries(k);
                double n = s.get(i, "closes_" + c.getKey().toString().substring(8).replace(' ', '_'));
                if (n > 0) { // a log axis has no place for 0
                    c.add(t, n);
                }
            }
        }
        XYPlot memory = plot(collection(rss, afterGc, heapUsed), new NumberAxis("MiB"));
        XYPlot descriptors = plot(collection(fds, connections), new NumberAxis("count"));
        XYPlot closed = plot(closes, closesAxis(mostCloses));

        NumberAxis time = new NumberAxis("seconds since the load started");
        CombinedDomainXYPlot plot = new CombinedDomainXYPlot(time);
        plot.setGap(12);
        plot.add(memory, 3);
        plot.add(descriptors, 2);
        plot.add(closed, 2);
        markers(s, memory, descriptors, closed);

        double[] m = s.rssMedians();
        JFreeChart chart = new JFreeChart("Soak: jepoll " + app + ", " + Math.round(s.loadSeconds())
                + " s of mixed good and hostile clients", JFreeChart.DEFAULT_TITLE_FONT, plot, true);
        ChartUtils.applyCurrentTheme(chart);
        style(memory, new Paint[] {ChartKit.PALETTE[0], ChartKit.PALETTE[1], new Color(0xB0, 0xB0, 0xB0)}, 2);
        style(descriptors, new Paint[] {ChartKit.PALETTE[2], ChartKit.PALETTE[3]}, -1);
        style(closed, closePaints.toArray(new Paint[0]), -1);
        ChartKit.addSubtitle(chart, String.format(Locale.ROOT,
                "server's own --stats 1 lines; RSS median %s in the 30 s from half time, %s in the last 30 s;"
                        + " descriptors %.0f before the load, %.0f at the end",
                SoakSeries.mib(m[0]), SoakSeries.mib(m[1]), s.get(Math.max(0, s.last("baseline")), "fds"),
                s.get(s.size() - 1, "fds")));
        chart.getLegend().setPosition(RectangleEdge.BOTTOM);
        return chart;
    }

    /** Log scale when some reason runs into the hundreds (churn) beside ones in single digits. */
    private static ValueAxis closesAxis(double most) {
        if (most < 100) {
            NumberAxis linear = new NumberAxis("closes so far");
            linear.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
            return linear;
        }
        LogAxis log = new LogAxis("closes so far (log scale)");
        log.setBase(10);
        log.setTickUnit(new NumberTickUnit(1), false, true);
        log.setNumberFormatOverride(new DecimalFormat("#,##0"));
        log.setSmallestValue(1);
        return log;
    }

    private static XYSeriesCollection collection(XYSeries... series) {
        XYSeriesCollection c = new XYSeriesCollection();
        for (XYSeries x : series) {
            c.addSeries(x);
        }
        return c;
    }

    private static XYPlot plot(XYSeriesCollection data, ValueAxis axis) {
        return new XYPlot(data, null, axis, new XYLineAndShapeRenderer(true, false));
    }

    /** The RSS windows (shaded) and the end of the load (dashed), on every plot. */
    private static void markers(SoakSeries s, XYPlot memory, XYPlot... others) {
        double[] w = s.rssWindows();
        // Shorter loads have no second half to speak of (the windows would overlap): no bands.
        for (int i = 0; i < 2 && s.loadSeconds() >= 2 * SoakSeries.WINDOW_S; i++) {
            IntervalMarker band = new IntervalMarker(w[2 * i], Math.min(w[2 * i + 1], s.loadSeconds()),
                    new Color(0x1F, 0x77, 0xB4, 40));
            band.setLabel(i == 0 ? "from half time" : "last 30 s");
            band.setLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            band.setLabelAnchor(RectangleAnchor.TOP);
            band.setLabelTextAnchor(TextAnchor.TOP_CENTER);
            memory.addDomainMarker(band, Layer.BACKGROUND);
        }
        XYPlot[] all = new XYPlot[others.length + 1];
        all[0] = memory;
        System.arraycopy(others, 0, all, 1, others.length);
        for (XYPlot p : all) {
            ValueMarker end = new ValueMarker(s.loadSeconds(), Color.DARK_GRAY, new BasicStroke(1.5f,
                    BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 5f}, 0f));
            if (p == memory) {
                end.setLabel("load stops");
                end.setLabelFont(new Font(Font.SANS_SERIF, Font.BOLD, 12));
                end.setLabelAnchor(RectangleAnchor.BOTTOM_LEFT); // the bands' labels are at the top
                end.setLabelTextAnchor(TextAnchor.BOTTOM_RIGHT);
            }
            p.addDomainMarker(end);
        }
    }

    /**
     * After the theme (which resets renderers): colors, and lines thick enough to read when
     * scaled down, but for series {@code thin} (heap in use: a sawtooth that would hide the rest).
     */
    private static void style(XYPlot plot, Paint[] paints, int thin) {
        XYLineAndShapeRenderer r = (XYLineAndShapeRenderer) plot.getRenderer();
        for (int i = 0; i < plot.getDataset().getSeriesCount(); i++) {
            r.setSeriesPaint(i, paints[i % paints.length]);
            r.setSeriesStroke(i, new BasicStroke(i == thin ? 1f : 2.2f));
        }
        plot.getRangeAxis().setLabelFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
    }
}
