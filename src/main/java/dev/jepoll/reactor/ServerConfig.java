package dev.jepoll.reactor;

import java.io.PrintStream;
import java.net.InetAddress;
import java.util.function.Consumer;

/**
 * Everything a server is started with. Build one with {@link #builder()}; the constructor
 * rejects inconsistent values with an {@link IllegalArgumentException} whose message is
 * fit for a user.
 *
 * @param loops          event loops, each a thread with its own poller, read buffer and
 *                       connections; accepted connections are spread over them
 * @param edgeReadBudget most reads per readiness event in edge mode before the loop moves on
 *                       (fairness; 0 drains until {@code EAGAIN} whatever it takes)
 * @param edgeReadOnce   the chapter's mistake, for teaching: one read per edge event and no
 *                       coming back; native backend and edge mode only
 * @param sendBufferSize {@code SO_SNDBUF} for accepted sockets, or 0 to leave the kernel's autotuning
 * @param trace where the chapter's trace lines go ({@code return epoll_wait}, ...), or null
 * @param log   where logged reasons (abnormal closes, accept errors) go
 */
public record ServerConfig(
        InetAddress bindAddress,
        int port,
        int loops,
        TriggerMode mode,
        int bufferSize,
        int edgeReadBudget,
        boolean edgeReadOnce,
        int maxEvents,
        SelectorKind selector,
        boolean selectorExplicit,
        int highWatermark,
        int lowWatermark,
        int maxConnections,
        int backlog,
        boolean tcpNoDelay,
        int sendBufferSize,
        long lingerMillis,
        PrintStream trace,
        Consumer<String> log) {

    /** One read buffer per loop, nothing per connection: large costs little and saves system calls. */
    public static final int DEFAULT_BUFFER = 64 * 1024;
    /** The most loops a server runs; more than the cores is rarely useful, more than this never. */
    public static final int MAX_LOOPS = 256;
    public static final int DEFAULT_MAX_EVENTS = 1024;
    public static final int DEFAULT_EDGE_READ_BUDGET = 16;
    public static final int DEFAULT_HIGH_WATERMARK = 64 * 1024;
    public static final int DEFAULT_LOW_WATERMARK = 16 * 1024;
    public static final int DEFAULT_MAX_CONNECTIONS = 10_000;
    public static final int DEFAULT_BACKLOG = 1024;
    public static final long DEFAULT_LINGER_MILLIS = 2_000;

    public ServerConfig {
        require(port >= 0 && port <= 65535, "port must be 0..65535, got " + port);
        require(loops >= 1 && loops <= MAX_LOOPS, "loops must be 1.." + MAX_LOOPS + ", got " + loops);
        require(bufferSize >= 1, "buffer size must be at least 1 byte, got " + bufferSize);
        require(edgeReadBudget >= 0, "edge read budget must not be negative, got " + edgeReadBudget);
        require(maxEvents >= 1, "max events must be at least 1, got " + maxEvents);
        require(highWatermark >= 1, "high watermark must be at least 1 byte, got " + highWatermark);
        require(lowWatermark >= 0 && lowWatermark < highWatermark,
                "low watermark must be below the high watermark (" + highWatermark + "), got " + lowWatermark);
        require(maxConnections >= 1, "max connections must be at least 1, got " + maxConnections);
        require(backlog >= 1, "backlog must be at least 1, got " + backlog);
        require(lingerMillis >= 0, "linger must not be negative");
        require(sendBufferSize >= 0, "send buffer must not be negative, got " + sendBufferSize);
        require(mode != null && selector != null && log != null, "mode, selector and log are required");
        require(!edgeReadOnce || (selector == SelectorKind.NATIVE && mode == TriggerMode.EDGE),
                "--edge-read-once needs --selector native and --mode edge: only a real EPOLLET registration"
                        + " strands what one read leaves (the JDK's selector reports the socket again)");
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Fluent construction with the defaults above; {@link #build()} validates. */
    public static final class Builder {
        private InetAddress bindAddress = InetAddress.getLoopbackAddress();
        private int port;
        private int loops = 1;
        private TriggerMode mode = TriggerMode.EDGE;
        private int bufferSize = DEFAULT_BUFFER;
        private int edgeReadBudget = DEFAULT_EDGE_READ_BUDGET;
        private boolean edgeReadOnce;
        private int maxEvents = DEFAULT_MAX_EVENTS;
        private SelectorKind selector = SelectorKind.EPOLL;
        private boolean selectorExplicit;
        private int highWatermark = DEFAULT_HIGH_WATERMARK;
        private int lowWatermark = DEFAULT_LOW_WATERMARK;
        private int maxConnections = DEFAULT_MAX_CONNECTIONS;
        private int backlog = DEFAULT_BACKLOG;
        private boolean tcpNoDelay = true;
        private int sendBufferSize;
        private long lingerMillis = DEFAULT_LINGER_MILLIS;
        private PrintStream trace;
        private Consumer<String> log = line -> System.err.println("jepoll: " + line);

        public Builder bindAddress(InetAddress v) { bindAddress = v; return this; }
        public Builder port(int v) { port = v; return this; }
        public Builder loops(int v) { loops = v; return this; }
        public Builder mode(TriggerMode v) { mode = v; return this; }
        public Builder bufferSize(int v) { bufferSize = v; return this; }
        public Builder edgeReadBudget(int v) { edgeReadBudget = v; return this; }
        public Builder edgeReadOnce(boolean v) { edgeReadOnce = v; return this; }
        public Builder maxEvents(int v) { maxEvents = v; return this; }
        public Builder selector(SelectorKind v, boolean explicit) { selector = v; selectorExplicit = explicit; return this; }
        public Builder highWatermark(int v) { highWatermark = v; return this; }
        public Builder lowWatermark(int v) { lowWatermark = v; return this; }
        public Builder maxConnections(int v) { maxConnections = v; return this; }
        public Builder backlog(int v) { backlog = v; return this; }
        public Builder tcpNoDelay(boolean v) { tcpNoDelay = v; return this; }
        public Builder sendBufferSize(int v) { sendBufferSize = v; return this; }
        public Builder lingerMillis(long v) { lingerMillis = v; return this; }
        public Builder trace(PrintStream v) { trace = v; return this; }
        public Builder log(Consumer<String> v) { log = v; return this; }

        public ServerConfig build() {
            return new ServerConfig(bindAddress, port, loops, mode, bufferSize, edgeReadBudget, edgeReadOnce, maxEvents, selector, selectorExplicit,
                    highWatermark, lowWatermark, maxConnections, backlog, tcpNoDelay, sendBufferSize, lingerMillis, trace, log);
        }
    }
}
