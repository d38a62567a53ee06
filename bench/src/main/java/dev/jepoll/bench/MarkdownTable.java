package dev.jepoll.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A Markdown table, padded so that it also reads well as plain text in a terminal or a log.
 * The first column (names) is left-aligned, the others (figures) right-aligned.
 */
final class MarkdownTable {
    private final List<String> header = new ArrayList<>();
    private final List<List<String>> rows = new ArrayList<>();

    MarkdownTable(String firstColumn) {
        header.add(firstColumn);
    }

    MarkdownTable column(String name) {
        header.add(name);
        return this;
    }

    /** Starts a row; add its cells with {@link #cell} in column order. */
    MarkdownTable row(String name) {
        List<String> row = new ArrayList<>();
        row.add(name);
        rows.add(row);
        return this;
    }

    MarkdownTable cell(String text) {
        rows.get(rows.size() - 1).add(text);
        return this;
    }

    /** A figure; NaN (no such measurement) shows as "-". */
    MarkdownTable cell(String format, double value) {
        return cell(Double.isNaN(value) || Double.isInfinite(value) ? "-" : String.format(Locale.ROOT, format, value));
    }

    String render() {
        int[] widths = new int[header.size()];
        for (int i = 0; i < widths.length; i++) {
            widths[i] = Math.max(3, header.get(i).length());
            for (List<String> row : rows) {
                widths[i] = Math.max(widths[i], i < row.size() ? row.get(i).length() : 1);
            }
        }
        StringBuilder out = new StringBuilder();
        line(out, header, widths);
        out.append('|');
        for (int i = 0; i < widths.length; i++) {
            out.append(i == 0 ? " " + "-".repeat(widths[i]) + " |" : " " + "-".repeat(widths[i] - 1) + ": |");
        }
        out.append('\n');
        for (List<String> row : rows) {
            line(out, row, widths);
        }
        return out.toString();
    }

    private static void line(StringBuilder out, List<String> cells, int[] widths) {
        out.append('|');
        for (int i = 0; i < widths.length; i++) {
            String cell = i < cells.size() ? cells.get(i) : "-";
            String pad = " ".repeat(widths[i] - cell.length());
            out.append(' ').append(i == 0 ? cell + pad : pad + cell).append(" |");
        }
        out.append('\n');
    }
}
