package dev.jepoll.bench;

import java.util.List;
import java.util.Map;

/**
 * What {@link Charts} and {@link Tables} agree on about run.sh's CSV files, so that a chart and
 * its table never disagree: the file names, the reference servers, and which figure is an echo
 * load's main one.
 */
final class Results {
    static final String ECHO = "echo.csv";
    static final String CHAT = "chat.csv";
    static final String IDLE = "idle.csv";
    static final String MEMORY = "memory.csv";

    /** Every echo ratio is to this server, measured in the same run. */
    static final String ECHO_REFERENCE = "c-epoll";
    /** Every chat ratio is to this server, measured in the same run. */
    static final String CHAT_REFERENCE = "c-chat";

    private Results() {}

    /** Bulk loads are judged by MB/s; everything else (request-response) by requests/s. */
    static String echoMainColumn(String load) {
        return load.contains("throughput") ? "mbps" : "rps";
    }

    static String echoMainUnit(String load) {
        return echoMainColumn(load).equals("mbps") ? "MB/s" : "req/s";
    }

    /**
     * A chat row's key: [server, "CLIENTSxLINES/LOAD"]; a configuration is its clients, lines and
     * load (flood or windowed) together. Rows of runs before the load column have no "/LOAD".
     */
    static List<String> chatKey(Map<String, String> row) {
        String load = row.getOrDefault("load", "");
        return List.of(row.getOrDefault("server", ""), row.getOrDefault("clients", "?") + "x"
                + row.getOrDefault("lines", "?") + (load.isEmpty() ? "" : "/" + load));
    }

    /** "50x2000/flood" as a chart category: "50 clients x 2000 lines, flood". */
    static String chatConfigLabel(String config) {
        int slash = config.indexOf('/');
        String load = slash < 0 ? "" : ", " + config.substring(slash + 1);
        String sizes = slash < 0 ? config : config.substring(0, slash);
        int x = sizes.indexOf('x');
        return sizes.substring(0, x) + " clients x " + sizes.substring(x + 1) + " lines" + load;
    }

    /** The idle counts of idle.csv in increasing order (run.sh may run them in any order). */
    static List<String> sortedNumerically(List<String> values) {
        return values.stream().sorted((a, b) -> Double.compare(number(a), number(b))).toList();
    }

    private static double number(String value) {
        try {
            return Double.parseDouble(value);
        } catch (NumberFormatException e) {
            return Double.MAX_VALUE; // words last
        }
    }
}
