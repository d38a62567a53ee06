package dev.jepoll.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Paint;
import java.io.IOException;
import java.nio.file.Path;
import java.text.DecimalFormat;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.StandardChartTheme;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.CategoryLabelPositions;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.labels.ItemLabelAnchor;
import org.jfree.chart.labels.ItemLabelPosition;
import org.jfree.chart.labels.StandardCategoryItemLabelGenerator;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.DefaultDrawingSupplier;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.category.DefaultCategoryDataset;

/**
 * The look shared by every chart: larger fonts than JFreeChart's defaults (the PNGs end up
 * scaled down in a README), flat bars with their values printed on them (so nobody has to read
 * heights off the grid), the legend at the bottom, and 1200x700 PNG files.
 */
final class ChartKit {
    static final int WIDTH = 1200;
    static final int HEIGHT = 700;

    /**
     * Distinct colors that stay readable on white (JFreeChart's default sequence starts with
     * pale yellow and pink), enough for every server of the memory chart (13) to keep its own;
     * a chart with more series than this reuses them in order.
     */
    static final Paint[] PALETTE = {
        new Color(0x1F, 0x77, 0xB4), new Color(0xD6, 0x27, 0x28), new Color(0x2C, 0xA0, 0x2C),
        new Color(0xFF, 0x7F, 0x0E), new Color(0x94, 0x67, 0xBD), new Color(0x8C, 0x56, 0x4B),
        new Color(0x17, 0xBE, 0xCF), new Color(0x7F, 0x7F, 0x7F), new Color(0xBC, 0xBD, 0x22),
        new Color(0xE3, 0x77, 0xC2), new Color(0x39, 0x3B, 0x79), new Color(0x63, 0x79, 0x39),
        new Color(0x84, 0x3C, 0x39), new Color(0x00, 0x00, 0x00),
    };

    private ChartKit() {}

    /** Call once, before any chart is made: headless AWT, and the theme with readable fonts. */
    static void setUp() {
        // Also set on the command line (-Djava.awt.headless=true); setting it here, before any
        // AWT class loads, keeps a forgotten flag from failing on a machine with no display.
        System.setProperty("java.awt.headless", "true");
        StandardChartTheme theme = (StandardChartTheme) StandardChartTheme.createJFreeTheme();
        theme.setExtraLargeFont(new Font(Font.SANS_SERIF, Font.BOLD, 22));
        theme.setLargeFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        theme.setRegularFont(new Font(Font.SANS_SERIF, Font.PLAIN, 15));
        theme.setSmallFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        theme.setPlotBackgroundPaint(Color.WHITE);
        theme.setChartBackgroundPaint(Color.WHITE);
        theme.setDomainGridlinePaint(Color.LIGHT_GRAY);
        theme.setRangeGridlinePaint(Color.LIGHT_GRAY);
        theme.setBarPainter(new StandardBarPainter());
        theme.setShadowVisible(false);
        theme.setDrawingSupplier(new DefaultDrawingSupplier(PALETTE, DefaultDrawingSupplier.DEFAULT_FILL_PAINT_SEQUENCE,
                DefaultDrawingSupplier.DEFAULT_OUTLINE_PAINT_SEQUENCE, DefaultDrawingSupplier.DEFAULT_STROKE_SEQUENCE,
                DefaultDrawingSupplier.DEFAULT_OUTLINE_STROKE_SEQUENCE, DefaultDrawingSupplier.DEFAULT_SHAPE_SEQUENCE));
        ChartFactory.setChartTheme(theme);
    }

    /** A vertical grouped bar chart: one group per category, one bar per series, values on the bars. */
    static JFreeChart bars(String title, String subtitle, String categoryAxis, String valueAxis,
                           DefaultCategoryDataset data, String valueFormat) {
        JFreeChart chart = ChartFactory.createBarChart(title, categoryAxis, valueAxis, data,
                PlotOrientation.VERTICAL, true, false, false);
        addSubtitle(chart, subtitle);
        CategoryPlot plot = chart.getCategoryPlot();
        BarRenderer renderer = (BarRenderer) plot.getRenderer();
        renderer.setItemMargin(0.05);
        renderer.setDefaultItemLabelGenerator(new StandardCategoryItemLabelGenerator("{2}", new DecimalFormat(valueFormat)));
        renderer.setDefaultItemLabelsVisible(true);
        renderer.setDefaultItemLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        renderer.setDefaultPositiveItemLabelPosition(
                new ItemLabelPosition(ItemLabelAnchor.OUTSIDE12, TextAnchor.BOTTOM_CENTER));
        plot.getRangeAxis().setUpperMargin(0.12); // room for the labels above the tallest bar
        wrapCategoryLabels(plot.getDomainAxis());
        chart.getLegend().setPosition(RectangleEdge.BOTTOM);
        return chart;
    }

    /** Long category names ("1000 echo connections under load") wrap onto lines instead of overlapping. */
    static void wrapCategoryLabels(CategoryAxis axis) {
        axis.setMaximumCategoryLabelLines(3);
        axis.setCategoryLabelPositions(CategoryLabelPositions.STANDARD);
        axis.setCategoryMargin(0.15);
    }

    static void addSubtitle(JFreeChart chart, String text) {
        TextTitle subtitle = new TextTitle(text, new Font(Font.SANS_SERIF, Font.PLAIN, 14));
        subtitle.setPaint(Color.DARK_GRAY);
        chart.addSubtitle(0, subtitle);
    }

    /** A dashed horizontal line at {@code value}, labelled at its right end: a threshold to read bars against. */
    static void marker(CategoryPlot plot, double value, String label, Color color) {
        ValueMarker marker = new ValueMarker(value, color, new BasicStroke(
                2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {8f, 6f}, 0f));
        marker.setLabel(label);
        marker.setLabelFont(new Font(Font.SANS_SERIF, Font.BOLD, 12));
        marker.setLabelPaint(color);
        marker.setLabelBackgroundColor(new Color(255, 255, 255, 210));
        marker.setLabelAnchor(RectangleAnchor.TOP_RIGHT);
        marker.setLabelTextAnchor(TextAnchor.BOTTOM_RIGHT);
        plot.addRangeMarker(marker);
    }

    /** Ticks every 0.1 on a ratio axis: JFreeChart's automatic 0.05 steps crowd it. */
    static void ratioTicks(CategoryPlot plot) {
        ((NumberAxis) plot.getRangeAxis()).setTickUnit(new NumberTickUnit(0.1));
    }

    static void save(JFreeChart chart, Path dir, String name) throws IOException {
        Path file = dir.resolve(name);
        ChartUtils.saveChartAsPNG(file.toFile(), chart, WIDTH, HEIGHT);
        System.out.println("charts: wrote " + file);
    }
}
