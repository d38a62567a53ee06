package dev.jepoll.bench;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Medians over rounds: a file's rows grouped by a key (e.g. server and load), and per group the
 * median of each numeric column. A median, not a mean, so that one disturbed round on a shared
 * machine does not move the figure. Each part of the key (servers, loads, ...) keeps the order
 * in which its values first appear in the file, which is the order run.sh ran them in.
 */
final class Medians {
    private final Map<List<String>, Map<String, List<Double>>> groups = new HashMap<>();
    private final List<LinkedHashSet<String>> parts = new ArrayList<>();

    /** Groups {@code csv}'s rows by the values of {@code keyColumns}. */
    static Medians by(Csv csv, String... keyColumns) {
        return new Medians(csv, row -> {
            List<String> key = new ArrayList<>();
            for (String column : keyColumns) {
                key.add(row.getOrDefault(column, ""));
            }
            return key;
        });
    }

    /** Groups by a computed key, e.g. {@code [server, "50 x 2000"]} from two columns. */
    Medians(Csv csv, Function<Map<String, String>, List<String>> keyOf) {
        for (Map<String, String> row : csv.rows) {
            List<String> key = keyOf.apply(row);
            for (int i = 0; i < key.size(); i++) {
                if (parts.size() <= i) {
                    parts.add(new LinkedHashSet<>());
                }
                parts.get(i).add(key.get(i));
            }
            Map<String, List<Double>> group = groups.computeIfAbsent(key, k -> new HashMap<>());
            row.forEach((column, value) -> {
                try {
                    group.computeIfAbsent(column, c -> new ArrayList<>()).add(Double.parseDouble(value));
                } catch (NumberFormatException e) {
                    // a word (server, load) or an empty field: nothing to take a median of
                }
            });
        }
    }

    /** The values of the key's part {@code index}, in first-appearance order. */
    List<String> part(int index) {
        return index < parts.size() ? new ArrayList<>(parts.get(index)) : List.of();
    }

    /** The median of {@code column} over the rows with this key; NaN if there are none. */
    double get(String column, String... key) {
        Map<String, List<Double>> group = groups.get(List.of(key));
        return group == null ? Double.NaN : median(group.getOrDefault(column, List.of()));
    }

    /** {@code get(column, key)} over {@code get(column, referenceKey)}; NaN if either is missing or the reference is 0. */
    double ratio(String column, String[] key, String[] referenceKey) {
        double reference = get(column, referenceKey);
        return reference == 0 ? Double.NaN : get(column, key) / reference;
    }

    static double median(List<Double> values) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }
}
