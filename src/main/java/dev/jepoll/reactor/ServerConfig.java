package dev.jepoll.reactor;

import dev.jepoll.reactor.backend.BackendSettings;
import java.io.PrintStream;
import java.net.InetAddress;
import java.util.function.Consumer;

/**
 * Everything a server is started with. Build one with {@link #builder()}; the constructor
 * rejects inconsistent values with an {@link IllegalArgumentException} whose message is
 * fit for a user.
 *
 * @param bindAddress the address to listen on
 * @param port the port, 0..65535; 0 lets the kernel pick
 * @param loops event loops, each a thread with its own poller, read buffer and connections;
 *              accepted connections are spread over them
 * @param mode level or edge triggering
 * @param bufferSize each loop's read buffer, in bytes
 * @param edgeReadBudget most reads per readiness event in edge mode before the loop moves on
 *                       (fairness; 0 drains until {@code EAGAIN} whatever it takes)
 * @param edgeReadOnce the chapter's mistake, for teaching: one read per edge event and no
 *                     coming back; native backend and edge mode only
 * @param maxEvents ready sockets handled per wakeup: {@code epoll_wait}'s {@code maxevents}
 * @param selector what the loops wait on
 * @param selectorExplicit whether the selector was asked for by name: then a different one in
 *                         use is an error, not a warning
 * @param highWatermark pending output at which a connection stops being read
 * @param lowWatermark pending output at which it is read again; below the high watermark
 * @param maxConnections connections held at once over all loops; more are closed on arrival
 * @param backlog the listen backlog
 * @param tcpNoDelay whether accepted sockets get {@code TCP_NODELAY}
 * @param sendBufferSize {@code SO_SNDBUF} for accepted sockets, or 0 for the kernel's autotuning
 * @param lingerMillis how long a closing connection waits, after its half-close, for the EOF
 * @param writeTimeoutMillis a connection that owes output and writes none of it for this long
 *                           is closed ({@link CloseReason#WRITE_TIMEOUT}); 0 for never
 * @param idleTimeoutMillis a connection with no byte moving either way for this long is closed
 *                          ({@link CloseReason#IDLE_TIMEOUT}); 0 for never
 * @param memoryBudget most bytes all connections together may hold (queued output and partial
 *                     input); past it reading pauses and the largest holders are closed; 0
 *                     derives it from the heap ({@link #DEFAULT_BUDGET_SHARE_OF_HEAP})
 * @param trace where the chapter's trace lines go ({@code return epoll_wait}, ...), or null
 * @param logger where the server logs (abnormal closes, accept errors, the budget), a line a kind a second
 * @param jmx whether the server registers its counters as a platform MBean ({@code dev.jepoll:type=Server})
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
        long writeTimeoutMillis,
        long idleTimeoutMillis,
        long memoryBudget,
        PrintStream trace,
        System.Logger logger,
        boolean jmx) {

    /** One read buffer per loop, nothing per connection: large costs little and saves system calls. */
    public static final int DEFAULT_BUFFER = 64 * 1024;
    /**
     * The most ready sockets one wakeup may hand out: an epoll event array of this many
     * entries is allocated per loop (outside the heap on the native backend), and more than this
     * buys nothing but memory.
     */
    public static final int MAX_EVENTS = 65_536;
    /** The most loops a server runs; more than the cores is rarely useful, more than this never. */
    public static final int MAX_LOOPS = 256;
    /** Ready sockets handled per wakeup: the JDK's own epoll array size (the chapter's {@code EPOLL_SIZE} is 50). */
    public static final int DEFAULT_MAX_EVENTS = 1024;
    /** Edge-mode reads per event before the loop serves others (Netty's {@code maxMessagesPerRead} is 16 too). */
    public static final int DEFAULT_EDGE_READ_BUDGET = 16;
    /** Pending output at which a connection stops being read (Netty's default high watermark). */
    public static final int DEFAULT_HIGH_WATERMARK = 64 * 1024;
    /** Pending output at which it is read again. */
    public static final int DEFAULT_LOW_WATERMARK = 16 * 1024;
    /** Connections held at once, over all loops; more are closed on arrival. */
    public static final int DEFAULT_MAX_CONNECTIONS = 10_000;
    /** The listen backlog (Java's own default is 50). */
    public static final int DEFAULT_BACKLOG = 1024;
    /** How long a closing connection waits, after its half-close, for the peer's EOF. */
    public static final long DEFAULT_LINGER_MILLIS = 2_000;
    /** How long owed output may make no progress before its connection is closed. */
    public static final long DEFAULT_WRITE_TIMEOUT_MILLIS = 30_000;
    /** The default memory budget is this share of the largest heap the JVM may use ({@code -Xmx}). */
    public static final double DEFAULT_BUDGET_SHARE_OF_HEAP = 0.5;
    /**
     * The smallest memory budget that can work, per event loop: what a loop may hold however
     * idle it is (chat's current block, 64 KiB) and room for a few reads and their output. Below
     * it the server would be "over budget" with nobody to shed, and every read would be capped.
     */
    public static final long MIN_MEMORY_BUDGET_PER_LOOP = 256 * 1024;

    /**
     * Validates every component.
     *
     * @param bindAddress the address to listen on
     * @param port the port, 0..65535; 0 lets the kernel pick
     * @param loops event loops, each a thread with its own poller, read buffer and connections;
     *              accepted connections are spread over them
     * @param mode level or edge triggering
     * @param bufferSize each loop's read buffer, in bytes
     * @param edgeReadBudget most reads per readiness event in edge mode before the loop moves
     *                       on (fairness; 0 drains until {@code EAGAIN} whatever it takes)
     * @param edgeReadOnce the chapter's mistake, for teaching: one read per edge event and no
     *                     coming back; native backend and edge mode only
     * @param maxEvents ready sockets handled per wakeup: {@code epoll_wait}'s {@code maxevents}
     * @param selector what the loops wait on
     * @param selectorExplicit whether the selector was asked for by name: then a different one
     *                         in use is an error, not a warning
     * @param highWatermark pending output at which a connection stops being read
     * @param lowWatermark pending output at which it is read again; below the high watermark
     * @param maxConnections connections held at once over all loops; more are closed on arrival
     * @param backlog the listen backlog
     * @param tcpNoDelay whether accepted sockets get {@code TCP_NODELAY}
     * @param sendBufferSize {@code SO_SNDBUF} for accepted sockets, or 0 to leave the kernel's
     *                       autotuning
     * @param lingerMillis how long a closing connection waits, after its half-close, for the
     *                     peer's EOF
     * @param writeTimeoutMillis a connection that owes output and writes none of it for this
     *                           long is closed ({@link CloseReason#WRITE_TIMEOUT}); 0 for never
     * @param idleTimeoutMillis a connection with no byte moving either way for this long is
     *                          closed ({@link CloseReason#IDLE_TIMEOUT}); 0 for never
     * @param memoryBudget most bytes all connections together may hold (queued output and
     *                     partial input); past it reading pauses and the largest holders are
     *                     closed; 0 derives it from the heap ({@link
     *                     #DEFAULT_BUDGET_SHARE_OF_HEAP})
     * @param trace where the chapter's trace lines go ({@code return epoll_wait}, ...), or null
     * @param logger where the server logs (abnormal closes, accept errors, the memory budget),
     *               at most one line per kind per second
     * @param jmx whether the server registers its counters as a platform MBean ({@code
     *            dev.jepoll:type=Server,...})

     * @throws IllegalArgumentException with a message fit for a user if a value is out of range
     *                                  or values disagree
     */
    public ServerConfig {
        require(port >= 0 && port <= 65535, "port must be 0..65535, got " + port);
        require(loops >= 1 && loops <= MAX_LOOPS, "loops must be 1.." + MAX_LOOPS + ", got " + loops);
        require(bufferSize >= 1, "buffer size must be at least 1 byte, got " + bufferSize);
        require(edgeReadBudget >= 0, "edge read budget must not be negative, got " + edgeReadBudget);
        require(maxEvents >= 1 && maxEvents <= MAX_EVENTS, "max events must be 1.." + MAX_EVENTS + ", got " + maxEvents);
        require(highWatermark >= 1, "high watermark must be at least 1 byte, got " + highWatermark);
        require(lowWatermark >= 0 && lowWatermark < highWatermark,
                "low watermark must be below the high watermark (" + highWatermark + "), got " + lowWatermark);
        require(maxConnections >= 1, "max connections must be at least 1, got " + maxConnections);
        require(backlog >= 1, "backlog must be at least 1, got " + backlog);
        require(lingerMillis >= 0, "linger must not be negative");
        require(sendBufferSize >= 0, "send buffer must not be negative, got " + sendBufferSize);
        require(writeTimeoutMillis >= 0, "write timeout must not be negative");
        require(idleTimeoutMillis >= 0, "idle timeout must not be negative");
        require(memoryBudget >= 0, "memory budget must not be negative");
        require(memoryBudget == 0 || memoryBudget >= MIN_MEMORY_BUDGET_PER_LOOP * loops,
                "memory budget must be at least " + MIN_MEMORY_BUDGET_PER_LOOP / 1024 + "k per event loop ("
                        + MIN_MEMORY_BUDGET_PER_LOOP * loops / 1024 + "k for " + loops + (loops == 1 ? " loop" : " loops")
                        + "), got " + (memoryBudget % 1024 == 0 ? memoryBudget / 1024 + "k" : memoryBudget + " bytes"));
        require(mode != null && selector != null && logger != null, "mode, selector and logger are required");
        require(!edgeReadOnce || (selector == SelectorKind.NATIVE && mode == TriggerMode.EDGE),
                "--edge-read-once needs --selector native and --mode edge: only a real EPOLLET registration"
                        + " strands what one read leaves (the JDK's selector reports the socket again)");
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    /** What the backend is told: where to listen, socket options, events per wait, which backend and trigger. */
    BackendSettings backendSettings() {
        return new BackendSettings(bindAddress, port, backlog, tcpNoDelay, sendBufferSize, maxEvents,
                selector.providerClass(), selectorExplicit, mode == TriggerMode.EDGE, edgeReadOnce);
    }

    /** {@return the memory budget in force: as configured, or derived from the heap} */
    public long effectiveMemoryBudget() {
        return memoryBudget > 0 ? memoryBudget
                : (long) (Runtime.getRuntime().maxMemory() * DEFAULT_BUDGET_SHARE_OF_HEAP);
    }

    /** {@return a new builder with the defaults above: loopback, port 0, one loop, edge mode, the JDK's epoll selector} */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Fluent construction with the defaults above; {@link #build()} validates. Each setter sets
     * the record component of the same name (see the class description) and returns the builder.
     */
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
        private long writeTimeoutMillis = DEFAULT_WRITE_TIMEOUT_MILLIS;
        private long idleTimeoutMillis;
        private long memoryBudget;
        private PrintStream trace;
        private System.Logger logger = System.getLogger("dev.jepoll");
        private boolean jmx = true;

        /**
         * The address to listen on (default: loopback).
         *
         * @param v the bind address
         * @return this builder
         */
        public Builder bindAddress(InetAddress v) { bindAddress = v; return this; }
        /**
         * The port, 0..65535; 0 lets the kernel pick (see {@link Server#port()}).
         *
         * @param v the port
         * @return this builder
         */
        public Builder port(int v) { port = v; return this; }
        /**
         * Event loops (default 1 for an embedded server; the command line uses the number of processors).
         *
         * @param v the loops
         * @return this builder
         */
        public Builder loops(int v) { loops = v; return this; }
        /**
         * Level or edge triggering (default edge).
         *
         * @param v the mode
         * @return this builder
         */
        public Builder mode(TriggerMode v) { mode = v; return this; }
        /**
         * Each loop's read buffer, in bytes.
         *
         * @param v the buffer size
         * @return this builder
         */
        public Builder bufferSize(int v) { bufferSize = v; return this; }
        /**
         * Edge-mode reads per event before the loop serves others; 0 for none.
         *
         * @param v the edge read budget
         * @return this builder
         */
        public Builder edgeReadBudget(int v) { edgeReadBudget = v; return this; }
        /**
         * The chapter's mistake, for teaching: one read per edge (native backend, edge mode).
         *
         * @param v the edge read once
         * @return this builder
         */
        public Builder edgeReadOnce(boolean v) { edgeReadOnce = v; return this; }
        /**
         * Ready sockets handled per wakeup.
         *
         * @param v the max events
         * @return this builder
         */
        public Builder maxEvents(int v) { maxEvents = v; return this; }
        /**
         * What the loops wait on; {@code explicit}: refuse to start rather than fall back.
         *
         * @param v the selector
         * @param explicit refuse to start rather than run on another selector
         * @return this builder
         */
        public Builder selector(SelectorKind v, boolean explicit) { selector = v; selectorExplicit = explicit; return this; }
        /**
         * Pending output at which a connection stops being read.
         *
         * @param v the high watermark
         * @return this builder
         */
        public Builder highWatermark(int v) { highWatermark = v; return this; }
        /**
         * Pending output at which it is read again; below the high watermark.
         *
         * @param v the low watermark
         * @return this builder
         */
        public Builder lowWatermark(int v) { lowWatermark = v; return this; }
        /**
         * Connections held at once, over all loops.
         *
         * @param v the max connections
         * @return this builder
         */
        public Builder maxConnections(int v) { maxConnections = v; return this; }
        /**
         * The listen backlog.
         *
         * @param v the backlog
         * @return this builder
         */
        public Builder backlog(int v) { backlog = v; return this; }
        /**
         * Whether accepted sockets get {@code TCP_NODELAY} (default yes).
         *
         * @param v the tcp no delay
         * @return this builder
         */
        public Builder tcpNoDelay(boolean v) { tcpNoDelay = v; return this; }
        /**
         * {@code SO_SNDBUF} of accepted sockets; 0 leaves the kernel's autotuning.
         *
         * @param v the send buffer size
         * @return this builder
         */
        public Builder sendBufferSize(int v) { sendBufferSize = v; return this; }
        /**
         * How long a closing connection waits, after its half-close, for the peer's EOF.
         *
         * @param v the linger millis
         * @return this builder
         */
        public Builder lingerMillis(long v) { lingerMillis = v; return this; }
        /**
         * Close a connection whose owed output makes no progress for this long; 0 for never.
         *
         * @param v the write timeout millis
         * @return this builder
         */
        public Builder writeTimeoutMillis(long v) { writeTimeoutMillis = v; return this; }
        /**
         * Close a connection when nothing moves either way for this long; 0 for never.
         *
         * @param v the idle timeout millis
         * @return this builder
         */
        public Builder idleTimeoutMillis(long v) { idleTimeoutMillis = v; return this; }
        /**
         * Most bytes all connections may hold together; 0 derives it from the heap.
         *
         * @param v the memory budget
         * @return this builder
         */
        public Builder memoryBudget(long v) { memoryBudget = v; return this; }
        /**
         * Where the chapter's trace lines go, or null for none.
         *
         * @param v the trace
         * @return this builder
         */
        public Builder trace(PrintStream v) { trace = v; return this; }
        /**
         * Where log lines go (default {@code System.getLogger("dev.jepoll")}).
         *
         * @param v the logger
         * @return this builder
         */
        public Builder logger(System.Logger v) { logger = v; return this; }
        /**
         * Every log line, as one string, to {@code lines} (tests, simple embedders); see {@link #logger}.
         *
         * @param lines where each line goes
         * @return this builder
         */
        public Builder log(Consumer<String> lines) { logger = new LineLogger("dev.jepoll", lines); return this; }
        /**
         * Whether the server registers its {@link ServerMXBean} (default yes).
         *
         * @param v the jmx
         * @return this builder
         */
        public Builder jmx(boolean v) { jmx = v; return this; }

        /**
         * {@return the configuration}
         *
         * @throws IllegalArgumentException with a message fit for a user if values disagree
         */
        public ServerConfig build() {
            return new ServerConfig(bindAddress, port, loops, mode, bufferSize, edgeReadBudget, edgeReadOnce, maxEvents, selector, selectorExplicit,
                    highWatermark, lowWatermark, maxConnections, backlog, tcpNoDelay, sendBufferSize, lingerMillis,
                    writeTimeoutMillis, idleTimeoutMillis, memoryBudget, trace, logger, jmx);
        }
    }
}
