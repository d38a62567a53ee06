package dev.jepoll.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * One results file written by run.sh: a header line, then one row per line. Fields are split on
 * commas; a field may be double-quoted to hold a comma (phases in memory.csv are free text).
 * Blank lines and lines starting with {@code #} are skipped, so notes can sit in the file.
 */
final class Csv {
    final String name;
    final List<String> header;
    final List<Map<String, String>> rows;

    private Csv(String name, List<String> header, List<Map<String, String>> rows) {
        this.name = name;
        this.header = header;
        this.rows = rows;
    }

    /** The file {@code dir/name}, or null when it does not exist (its charts and table are skipped). */
    /** The file's rows, or null when it is missing or holds no rows. */
    static Csv readIfExists(Path dir, String name) throws IOException {
        Path file = dir.resolve(name);
        if (!Files.isRegularFile(file)) {
            return null;
        }
        List<String> header = null;
        List<Map<String, String>> rows = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            List<String> fields = split(line);
            if (header == null) {
                header = fields;
                continue;
            }
            Map<String, String> row = new LinkedHashMap<>();
            for (int i = 0; i < header.size() && i < fields.size(); i++) {
                row.put(header.get(i), fields.get(i));
            }
            rows.add(row);
        }
        if (rows.isEmpty()) {
            return null; // a header alone: that section did not run
        }
        return new Csv(name, header == null ? List.of() : header, rows);
    }

    /** The distinct values of a column, in the order they first appear. */
    List<String> distinct(String column) {
        LinkedHashSet<String> seen = new LinkedHashSet<>();
        for (Map<String, String> row : rows) {
            String value = row.get(column);
            if (value != null) {
                seen.add(value);
            }
        }
        return new ArrayList<>(seen);
    }

    /** How many rounds the file holds: distinct values of {@code round}, or 1 if it has no such column. */
    int rounds() {
        return header.contains("round") ? Math.max(1, distinct("round").size()) : 1;
    }

    static List<String> split(String line) {
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (c == ',' && !quoted) {
                fields.add(field.toString().strip());
                field.setLength(0);
            } else {
                field.append(c);
            }
        }
        fields.add(field.toString().strip());
        return fields;
    }
}
