package dev.jepoll.testsupport;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One {@code stats: key=value ...} line of a server run with {@code --stats N}: the server's own
 * view of itself (connections, rates, held bytes, descriptors), read from its stdout.
 */
public final class StatsLine {
    private final String text;
    private final Map<String, Double> values = new HashMap<>();

    private StatsLine(String text) {
        this.text = text;
        String numbers = text.substring("stats: ".length());
        int closes = numbers.indexOf(" closes[");
        if (closes >= 0) {
            numbers = numbers.substring(0, closes);
        }
        for (String pair : numbers.trim().split(" ")) {
            int eq = pair.indexOf('=');
            values.put(pair.substring(0, eq), Double.parseDouble(pair.substring(eq + 1)));
        }
    }

    /** The complete {@code stats:} lines of {@code stdout}, in order (a line still being written is left out). */
    public static List<StatsLine> in(String stdout) {
        List<StatsLine> lines = new ArrayList<>();
        int end = stdout.lastIndexOf('\n');
        if (end < 0) {
            return lines;
        }
        for (String line : stdout.substring(0, end).split("\n")) {
            if (line.startsWith("stats: ")) {
                lines.add(new StatsLine(line));
            }
        }
        return lines;
    }

    /** The value of {@code key} ({@code connections}, {@code fds}, {@code wakeups_per_s}, ...). */
    public double value(String key) {
        Double v = values.get(key);
        if (v == null) {
            throw new AssertionError("no " + key + " in " + text);
        }
        return v;
    }

    /** An integer-valued key, such as {@code connections} or {@code held_bytes}. */
    public long count(String key) {
        return (long) value(key);
    }

    @Override
    public String toString() {
        return text;
    }
}
