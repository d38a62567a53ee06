package dev.jepoll.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Prints the benchmark's results as Markdown tables, from the CSV files run.sh writes.
 *
 * <pre>java -cp bench/target/jepoll-bench.jar dev.jepoll.bench.Tables RESULTS_DIR [ECHO_REFERENCE]</pre>
 *
 * One table per file that exists in RESULTS_DIR ({@code echo.csv}, {@code chat.csv},
 * {@code idle.csv}, {@code memory.csv}; the columns of each are in {@link Charts}), each under a
 * {@code ###} heading, on standard output. Every figure is the median over the rounds of one
 * run, and every ratio is of two such medians from the same run: echo to
 * {@value Results#ECHO_REFERENCE}, chat to {@value Results#CHAT_REFERENCE}, idle to the epoll
 * selector (or the first one listed). Columns follow the data: one group per load, per
 * clients x lines configuration, per selector, per server, in the order they first appear.
 * A missing measurement shows as {@code -}. Exits 0, 1 if a file cannot be read, 2 on bad usage.
 */
public final class Tables {
    private Tables() {}

    public static void main(String[] args) {
        if (args.length < 1 || args.length > 2 || !Files.isDirectory(Path.of(args[0]))) {
            System.err.println("usage: Tables RESULTS_DIR [ECHO_REFERENCE] (a directory holding echo.csv, chat.csv,"
                    + " idle.csv, memory.csv; echo ratios are to " + Results.ECHO_REFERENCE + " unless named)");
            System.exit(2);
        }
        Path dir = Path.of(args[0]);
        try {
            StringBuilder out = new StringBuilder();
            echo(Csv.readIfExists(dir, Results.ECHO), args.length == 2 ? args[1] : Results.ECHO_REFERENCE, out);
            chat(Csv.readIfExists(dir, Results.CHAT), out);
            idle(Csv.readIfExists(dir, Results.IDLE), out);
            memory(Csv.readIfExists(dir, Results.MEMORY), out);
            System.out.print(out.length() == 0 ? "no echo.csv, chat.csv, idle.csv or memory.csv in " + dir + "\n" : out);
        } catch (IOException e) {
            System.err.println("tables: " + e);
            System.exit(1);
        }
    }

    static void echo(Csv csv, String ref, StringBuilder out) {
        if (csv == null) {
            return;
        }
        Medians m = Medians.by(csv, "server", "load");
        List<String> loads = m.part(1);
        MarkdownTable table = new MarkdownTable("server");
        for (String load : loads) {
            table.column(load + " " + Results.echoMainUnit(load)).column("ratio").column("srv us/req").column("p99 us");
        }
        table.column("peak RSS MiB");
        for (String server : m.part(0)) {
            table.row(server);
            double rss = Double.NaN;
            for (String load : loads) {
                String column = Results.echoMainColumn(load);
                table.cell(column.equals("mbps") ? "%,.1f" : "%,.0f", m.get(column, server, load))
                        .cell("%.2f", m.ratio(column, new String[] {server, load}, new String[] {ref, load}))
                        .cell("%,.2f", m.get("server_cpu_us_per_req", server, load))
                        .cell("%,.0f", m.get("p99_us", server, load));
                rss = max(rss, m.get("server_rss_kb", server, load));
            }
            table.cell("%.0f", rss / 1024);
        }
        section(out, "Echo: medians of " + csv.rounds() + " round(s); " + ratiosTo(ref, m), table);
    }

    static void chat(Csv csv, StringBuilder out) {
        if (csv == null) {
            return;
        }
        String ref = Results.CHAT_REFERENCE;
        Medians m = new Medians(csv, Results::chatKey);
        List<String> configs = m.part(1);
        MarkdownTable table = new MarkdownTable("server");
        for (String config : configs) {
            table.column(config + " deliveries/s").column("ratio");
        }
        for (String config : configs) {
            table.column(config + " us/delivery");
        }
        table.column("peak RSS MiB");
        for (String server : m.part(0)) {
            table.row(server);
            double rss = Double.NaN;
            for (String config : configs) {
                table.cell("%,.0f", m.get("deliveries_per_s", server, config))
                        .cell("%.2f", m.ratio("deliveries_per_s", new String[] {server, config}, new String[] {ref, config}));
                rss = max(rss, m.get("server_rss_kb", server, config));
            }
            for (String config : configs) {
                table.cell("%.3f", m.get("server_cpu_us_per_delivery", server, config));
            }
            table.cell("%.0f", rss / 1024);
        }
        section(out, "Chat (clients x lines each): medians of " + csv.rounds() + " round(s), each round's figure the median"
                + " of its runs (CHAT_REPEATS, default 5); " + ratiosTo(ref, m)
                + "; us/delivery is server CPU", table);
    }

    static void idle(Csv csv, StringBuilder out) {
        if (csv == null) {
            return;
        }
        Medians m = Medians.by(csv, "selector", "idle", "active");
        List<String> selectors = m.part(0);
        List<String> actives = m.part(2);
        String ref = selectors.contains("epoll") ? "epoll" : selectors.isEmpty() ? "" : selectors.get(0);
        MarkdownTable table = new MarkdownTable("idle connections");
        if (actives.size() > 1) {
            table.column("active");
        }
        selectors.forEach(s -> table.column(s + " msgs/s"));
        selectors.stream().filter(s -> !s.equals(ref)).forEach(s -> table.column(s + " / " + ref));
        selectors.forEach(s -> table.column(s + " us/msg"));
        selectors.forEach(s -> table.column(s + " p99 us"));
        for (String active : actives) {
            for (String idle : Results.sortedNumerically(m.part(1))) {
                table.row(idle);
                if (actives.size() > 1) {
                    table.cell(active);
                }
                selectors.forEach(s -> table.cell("%,.0f", m.get("rps", s, idle, active)));
                selectors.stream().filter(s -> !s.equals(ref)).forEach(s -> table.cell("%.2f",
                        m.ratio("rps", new String[] {s, idle, active}, new String[] {ref, idle, active})));
                selectors.forEach(s -> table.cell("%,.2f", m.get("server_cpu_us_per_req", s, idle, active)));
                selectors.forEach(s -> table.cell("%,.0f", m.get("p99_us", s, idle, active)));
            }
        }
        String activeNote = actives.size() == 1 ? actives.get(0) + " active connections; " : "";
        section(out, "Idle connections: " + activeNote + "medians of " + csv.rounds() + " round(s); msgs/s ratio to "
                + ref + " at the same idle count; us/msg is server CPU", table);
    }

    static void memory(Csv csv, StringBuilder out) {
        if (csv == null) {
            return;
        }
        Medians m = Medians.by(csv, "server", "phase");
        MarkdownTable table = new MarkdownTable("phase");
        m.part(0).forEach(server -> table.column(server + " MiB"));
        for (String phase : m.part(1)) {
            table.row(phase);
            m.part(0).forEach(server -> table.cell("%.1f", m.get("rss_kb", server, phase) / 1024));
        }
        section(out, "Memory: resident set size (RSS) of each server, MiB", table);
    }

    /** Says which server the ratios are to, or that there are none because it did not run. */
    private static String ratiosTo(String reference, Medians m) {
        return m.part(0).contains(reference)
                ? "ratios to " + reference + " in the same run"
                : "no " + reference + " in this run, so no ratios";
    }

    private static void section(StringBuilder out, String heading, MarkdownTable table) {
        if (out.length() > 0) {
            out.append('\n');
        }
        out.append("### ").append(heading).append("\n\n").append(table.render());
    }

    /** The larger of two figures, ignoring a missing (NaN) one. */
    private static double max(double a, double b) {
        return Double.isNaN(a) ? b : Double.isNaN(b) ? a : Math.max(a, b);
    }
}
