package dev.jepoll.cli;

import dev.jepoll.chat.ChatConfig;
import dev.jepoll.reactor.SelectorKind;
import dev.jepoll.reactor.ServerConfig;
import dev.jepoll.reactor.TriggerMode;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The command line, parsed. Accepts {@code --name value}, {@code --name=value}, and the
 * chapter's own form: a single {@code <port>} argument. One rule for every option: it may be
 * given once; a second time is an error, whatever the value.
 */
record Options(
        boolean help,
        App app,
        ServerConfig server,
        ChatConfig chat,
        long graceMillis,
        int statsSeconds,
        URI backplane,
        String cluster) {

    /** One loop per processor: each loop is one thread, and a thread runs on one core at a time. */
    static final int DEFAULT_LOOPS = Math.min(ServerConfig.MAX_LOOPS, Runtime.getRuntime().availableProcessors());

    static final String USAGE = """
            Usage: jepoll [options] <port>
                   jepoll --port <port> [options]

            Each option may be given once. Sizes take k/m suffixes (4, 8k, 1m); numbers are
            plain digits.
              --port N                 TCP port, 0..65535 (0 picks a free one)
              --bind ADDR              address to listen on (default 127.0.0.1: this machine
                                       only; 0.0.0.0 is every interface, the chapter's INADDR_ANY)
              --app echo|chat          what to serve (default echo)
              --mode edge|level        trigger mode (default edge; on the JDK's selector edge
                                       is emulated by reading until read() returns 0 (EAGAIN))
              --loops N                event loops, one thread each (default: the number
                                       of processors, %d here)
              --selector epoll|poll|native
                                       what the loops wait on (default epoll): the JDK's
                                       selector pinned to epoll or poll, or native: epoll
                                       called through java.lang.foreign (Java 22+), where
                                       --mode edge registers a real EPOLLET
              --edge-read-once         teaching switch (native, edge): one read per edge
                                       event, the chapter's mistake that strands bytes
              --buffer BYTES           read buffer, one per event loop, up to 64m (default 64k)
              --edge-read-budget N     edge mode: reads per event before serving others
                                       (default 16; 0 drains until EAGAIN, however long)
              --max-events N           ready sockets handled per wakeup, epoll_wait's
                                       maxevents, 1..65536 (default 1024)
              --high-watermark BYTES   stop reading a client whose pending output
                                       reaches this (default 64k)
              --low-watermark BYTES    resume reading it at this (default 16k, or a
                                       quarter of a smaller high watermark)
              --max-connections N      close connections past this at once (default 10000)
              --backlog N              listen backlog (default 1024)
              --no-tcp-nodelay         leave Nagle's algorithm on for accepted sockets
              --send-buffer BYTES      SO_SNDBUF of accepted sockets (default: the kernel's)
              --write-timeout SECONDS  close a client that owes output and takes none of it
                                       for this long (default 30; 0: never)
              --idle-timeout SECONDS   close a client when nothing moves either way for this
                                       long (default 0: never)
              --memory-budget BYTES    most all clients may hold together (queued output,
                                       partial lines); past it reading pauses and the largest
                                       are closed (default: half the JVM's maximum heap)
              --max-line BYTES         chat: longest line accepted, the client's
                                       [name] prefix included (default 64k)
              --slow-consumer-limit BYTES
                                       chat: a client whose queue costs this much is behind:
                                       the whole room stops reading until it is back under a
                                       quarter of it; above --max-line (default 1m)
              --stall-timeout SECONDS  chat: close a client that is behind and takes nothing
                                       for this long, a slow consumer (default 2)
              --backplane URL          chat: share the room with other nodes through a NATS
                                       broker (nats://[user:pass@]host:port, or tls://...);
                                       needs the cluster module on the class path
              --cluster NAME           chat with --backplane: nodes with the same name share
                                       a room, subject jepoll.NAME.chat (default main)
              --grace SECONDS          on Ctrl+C/SIGTERM, time to flush before closing (default 5)
              --stats SECONDS          print a line of counters every N seconds (default 0: never)
              --trace                  print the chapter's lines: return epoll_wait,
                                       connected client : N, closed client : N, and counters
              --help                   show this and exit
            """.formatted(DEFAULT_LOOPS);

    /** One read buffer per loop: large is cheap, but it is direct memory, so not unbounded. */
    static final int MAX_BUFFER = 64 * 1024 * 1024;
    /** A day: longer timeouts are typing mistakes, not intentions. */
    static final int MAX_SECONDS = 86_400;
    private static final Pattern DIGITS = Pattern.compile("-?[0-9]+");

    /** Parses {@code args}; the trace goes to {@code traceOut}, log lines ({@code jepoll: ...}) to {@code logOut}. */
    static Options parse(String[] args, PrintStream traceOut, PrintStream logOut) throws UsageException {
        ServerConfig.Builder server = ServerConfig.builder().bindAddress(InetAddress.getLoopbackAddress())
                .loops(DEFAULT_LOOPS).log(line -> logOut.println("jepoll: " + line));
        App app = App.ECHO;
        int maxLine = ChatConfig.DEFAULT_MAX_LINE;
        long slowLimit = ChatConfig.DEFAULT_SLOW_CONSUMER_LIMIT;
        long stallMillis = ChatConfig.DEFAULT_STALL_TIMEOUT_MILLIS;
        long graceMillis = 5_000;
        int statsSeconds = 0;
        URI backplane = null;
        String cluster = DEFAULT_CLUSTER;
        boolean lowGiven = false;
        int high = ServerConfig.DEFAULT_HIGH_WATERMARK;
        int low = ServerConfig.DEFAULT_LOW_WATERMARK;

        for (String arg : args) {
            if (arg.equals("--help") || arg.equals("-h")) {
                return new Options(true, app, null, null, graceMillis, 0, null, null); // help wins over any other mistake
            }
        }
        Set<String> given = new HashSet<>();
        Arguments in = new Arguments(args);
        while (in.hasNext()) {
            String arg = in.next();
            if (looksLikeAShortOption(arg)) {
                throw new UsageException("unknown option '" + arg + "' (options are spelled out: --port, --loops, ...)");
            }
            String name = arg.startsWith("--") ? in.name() : "--port"; // the chapter's form: <port>
            if (!given.add(name)) {
                throw new UsageException(name.equals("--port") && !arg.startsWith("--")
                        ? "unexpected argument '" + arg + "' (the port is already given)"
                        : name + " is given twice (each option may be given once)");
            }
            if (!arg.startsWith("--")) {
                server.port(port(arg));
                continue;
            }
            switch (name) {
                case "--help" -> throw new UsageException("--help takes no value, got '" + arg + "'");
                case "--trace" -> {
                    in.noValue();
                    server.trace(traceOut);
                }
                case "--edge-read-once" -> {
                    in.noValue();
                    server.edgeReadOnce(true);
                }
                case "--no-tcp-nodelay" -> {
                    in.noValue();
                    server.tcpNoDelay(false);
                }
                case "--port" -> server.port(port(in.value()));
                case "--bind" -> server.bindAddress(address(in.value()));
                case "--app" -> app = choice(App.class, "--app", in.value());
                case "--mode" -> server.mode(choice(TriggerMode.class, "--mode", in.value()));
                case "--loops" -> server.loops(count("--loops", in.value(), 1, ServerConfig.MAX_LOOPS));
                case "--selector" -> server.selector(choice(SelectorKind.class, "--selector", in.value()), true);
                case "--buffer" -> server.bufferSize(size("--buffer", in.value(), 1, MAX_BUFFER));
                case "--edge-read-budget" -> server.edgeReadBudget(count("--edge-read-budget", in.value(), 0, Integer.MAX_VALUE));
                case "--max-events" -> server.maxEvents(count("--max-events", in.value(), 1, ServerConfig.MAX_EVENTS));
                case "--high-watermark" -> high = size("--high-watermark", in.value(), 1, Integer.MAX_VALUE);
                case "--low-watermark" -> {
                    low = size("--low-watermark", in.value(), 0, Integer.MAX_VALUE);
                    lowGiven = true;
                }
                case "--max-connections" -> server.maxConnections(count("--max-connections", in.value(), 1, Integer.MAX_VALUE));
                case "--backlog" -> server.backlog(count("--backlog", in.value(), 1, Integer.MAX_VALUE));
                case "--send-buffer" -> server.sendBufferSize(size("--send-buffer", in.value(), 1, Integer.MAX_VALUE));
                case "--write-timeout" -> server.writeTimeoutMillis(1000L * count("--write-timeout", in.value(), 0, MAX_SECONDS));
                case "--idle-timeout" -> server.idleTimeoutMillis(1000L * count("--idle-timeout", in.value(), 0, MAX_SECONDS));
                case "--memory-budget" -> server.memoryBudget(size("--memory-budget", in.value(),
                        (int) ServerConfig.MIN_MEMORY_BUDGET_PER_LOOP, Integer.MAX_VALUE));
                case "--max-line" -> maxLine = size("--max-line", in.value(), 1, Integer.MAX_VALUE);
                case "--slow-consumer-limit" -> slowLimit = size("--slow-consumer-limit", in.value(), 2, Integer.MAX_VALUE);
                case "--stall-timeout" -> stallMillis = 1000L * count("--stall-timeout", in.value(), 1, MAX_SECONDS);
                case "--grace" -> graceMillis = 1000L * count("--grace", in.value(), 0, MAX_SECONDS);
                case "--stats" -> statsSeconds = count("--stats", in.value(), 0, MAX_SECONDS);
                case "--backplane" -> backplane = backplane(in.value());
                case "--cluster" -> cluster = clusterName(in.value());
                default -> throw new UsageException("unknown option '" + name + "'");
            }
        }
        if (!given.contains("--port")) {
            throw new UsageException("missing port: give <port> or --port N");
        }
        if (app != App.CHAT && (backplane != null || given.contains("--cluster"))) {
            throw new UsageException((backplane != null ? "--backplane" : "--cluster") + " is for --app chat (echo has no room to share)");
        }
        if (backplane == null && given.contains("--cluster")) {
            throw new UsageException("--cluster names the room on the backplane: give --backplane too");
        }
        if (!lowGiven && low >= high) {
            low = high / 4; // a smaller high watermark drags the default low one down with it
        }
        try {
            server.highWatermark(high).lowWatermark(low);
            // the chat limits are checked only where they apply
            ChatConfig chat = app == App.CHAT ? new ChatConfig(maxLine, slowLimit, stallMillis) : ChatConfig.defaults();
            return new Options(false, app, server.build(), chat, graceMillis, statsSeconds, backplane, cluster);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }

    /** The room's name on the backplane: a NATS subject token. */
    static final String DEFAULT_CLUSTER = "main";
    private static final Pattern CLUSTER_NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    /** A broker's address: a scheme and a host; which schemes work is the backplane module's to say. */
    private static URI backplane(String text) throws UsageException {
        try {
            URI uri = new URI(text);
            if (uri.getScheme() == null || uri.getHost() == null) {
                throw new UsageException("--backplane must be an address such as nats://127.0.0.1:4222, got '" + text + "'");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new UsageException("--backplane must be an address such as nats://127.0.0.1:4222, got '" + text + "'");
        }
    }

    private static String clusterName(String text) throws UsageException {
        if (!CLUSTER_NAME.matcher(text).matches()) {
            throw new UsageException("--cluster must be 1..64 letters, digits, '-' or '_', got '" + text + "'");
        }
        return text;
    }

    /** {@code -p}, {@code -port}: a user reaching for a short option, not a negative port. */
    private static boolean looksLikeAShortOption(String arg) {
        return arg.length() > 1 && arg.charAt(0) == '-' && arg.charAt(1) != '-' && !Character.isDigit(arg.charAt(1));
    }

    /** The help text, naming the command as the user runs it (see {@link Main#command()}). */
    static String usage(String command) {
        return USAGE.replace("jepoll [options]", command + " [options]").replace("jepoll --port", command + " --port");
    }

    private static int port(String text) throws UsageException {
        if (!DIGITS.matcher(text).matches()) {
            throw new UsageException("port must be a number, got '" + text + "'");
        }
        long port = parse(text);
        if (port < 0 || port > 65535) {
            throw new UsageException("port must be 0..65535, got " + text);
        }
        return (int) port;
    }

    /** Digits only (no sign but a minus, no blanks); out-of-range values come back as Long.MAX_VALUE. */
    private static long parse(String digits) {
        try {
            return Long.parseLong(digits);
        } catch (NumberFormatException e) {
            return digits.startsWith("-") ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
    }

    private static InetAddress address(String text) throws UsageException {
        // numeric addresses, or names the system resolves locally (localhost): no lookups elsewhere
        try {
            return InetAddress.getByName(text);
        } catch (UnknownHostException | SecurityException e) {
            throw new UsageException("--bind: unknown address '" + text + "'");
        }
    }

    private static <E extends Enum<E>> E choice(Class<E> type, String option, String text) throws UsageException {
        for (E e : type.getEnumConstants()) {
            if (e.name().equalsIgnoreCase(text)) {
                return e;
            }
        }
        StringBuilder allowed = new StringBuilder();
        for (E e : type.getEnumConstants()) {
            allowed.append(allowed.length() == 0 ? "" : "|").append(e.name().toLowerCase(Locale.ROOT));
        }
        throw new UsageException(option + " must be " + allowed + ", got '" + text + "'");
    }

    private static int count(String option, String text, int min, int max) throws UsageException {
        if (!DIGITS.matcher(text).matches()) {
            throw new UsageException(option + " must be a whole number, got '" + text + "'");
        }
        long value = parse(text);
        if (value < min || value > max) {
            throw new UsageException(option + " must be " + min + ".." + max + ", got " + text);
        }
        return (int) value;
    }

    /** A byte count such as {@code 4}, {@code 8k} or {@code 1m}, from {@code min} to {@code max}. */
    static int size(String option, String text, int min, int max) throws UsageException {
        String t = text.toLowerCase(Locale.ROOT);
        long unit = 1;
        if (t.endsWith("k") || t.endsWith("m")) {
            unit = t.endsWith("k") ? 1024 : 1024 * 1024;
            t = t.substring(0, t.length() - 1);
        }
        if (!DIGITS.matcher(t).matches()) {
            throw new UsageException(option + " must be a size in bytes such as 4, 8k or 1m, got '" + text + "'");
        }
        long value = parse(t);
        long bytes = value > Long.MAX_VALUE / unit || value < Long.MIN_VALUE / unit ? value : value * unit;
        if (bytes < min) {
            throw new UsageException(option + " must be at least " + inUnit(min, unit) + ", got " + text);
        }
        if (bytes > max) {
            throw new UsageException(option + " must be at most " + inUnit(max, unit) + ", got " + text);
        }
        return (int) bytes;
    }

    /** {@code bytes} in the unit the user typed (k or m) where it is a whole number of them, else in bytes. */
    static String inUnit(long bytes, long unit) {
        if (unit > 1 && bytes % unit == 0) {
            return bytes / unit + (unit == 1024 ? "k" : "m");
        }
        if (unit > 1024 && bytes % 1024 == 0) {
            return bytes / 1024 + "k";
        }
        return bytes + (bytes == 1 ? " byte" : " bytes");
    }

    /** Walks the arguments, splitting {@code --name=value}. */
    private static final class Arguments {
        private final String[] args;
        private int index;
        private String name;
        private String inlineValue;

        Arguments(String[] args) {
            this.args = args;
        }

        boolean hasNext() {
            return index < args.length;
        }

        String next() {
            String arg = args[index++];
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0) {
                name = arg.substring(0, eq);
                inlineValue = arg.substring(eq + 1);
            } else {
                name = arg;
                inlineValue = null;
            }
            return arg;
        }

        String name() {
            return name;
        }

        /** For flags: {@code --trace=0} must not quietly mean {@code --trace}. */
        void noValue() throws UsageException {
            if (inlineValue != null) {
                throw new UsageException(name + " takes no value, got '" + name + "=" + inlineValue + "'");
            }
        }

        /** The option's value; an empty one ({@code --bind=}) is refused, never read as a default. */
        String value() throws UsageException {
            String value;
            if (inlineValue != null) {
                value = inlineValue;
            } else if (index < args.length) {
                value = args[index++];
            } else {
                throw new UsageException(name + " needs a value");
            }
            if (value.isEmpty()) {
                throw new UsageException(name + " needs a value, got an empty one");
            }
            return value;
        }
    }
}
