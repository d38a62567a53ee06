package dev.jepoll.chat;

/**
 * The chat room's policies.
 *
 * @param maxLineBytes       longest line accepted, not counting its {@code \n}; a longer one
 *                           gets its sender an error line and a disconnect
 * @param slowConsumerLimit  how far behind a member may fall: once its queue costs this much
 *                           (its bytes plus the heap of its queued views) the whole room stops
 *                           reading until it is back under a quarter of it
 * @param stallTimeoutMillis how long a member past the slow-consumer limit may go without the
 *                           socket taking any of its queue before it is closed as a slow
 *                           consumer: the room waits for it meanwhile
 */
public record ChatConfig(int maxLineBytes, long slowConsumerLimit, long stallTimeoutMillis) {
    /** A pasted paragraph of Korean in UTF-8 is about 3 bytes a character: 8 KiB was too small for a chat line. */
    public static final int DEFAULT_MAX_LINE = 64 * 1024;
    /** A recipient's queue may cost this much before the room waits for it: above the max line, far below the heap. */
    public static final long DEFAULT_SLOW_CONSUMER_LIMIT = 1024 * 1024;
    /**
     * A reading client's socket takes something at least every few milliseconds, even a slow
     * one; two seconds of nothing means it stopped reading. The room waits that long for it.
     */
    public static final long DEFAULT_STALL_TIMEOUT_MILLIS = 2_000;

    /**
     * Validates: a line must fit, the slow-consumer limit must be above the max line, and the
     * stall timeout must be positive.
     *
     * @param maxLineBytes       longest line accepted, at least 1
     * @param slowConsumerLimit  how far behind a member may fall, above {@code maxLineBytes}
     * @param stallTimeoutMillis how long a member that far behind may take nothing, at least 1
     */
    public ChatConfig {
        if (maxLineBytes < 1) {
            throw new IllegalArgumentException("max line must be at least 1 byte, got " + maxLineBytes);
        }
        if (slowConsumerLimit <= maxLineBytes) {
            throw new IllegalArgumentException("slow-consumer limit (" + slowConsumerLimit
                    + ") must be larger than the max line (" + maxLineBytes + ")");
        }
        if (stallTimeoutMillis < 1) {
            throw new IllegalArgumentException("stall timeout must be at least 1 ms, got " + stallTimeoutMillis);
        }
    }

    /**
     * With the default stall timeout.
     *
     * @param maxLineBytes      longest line accepted, at least 1
     * @param slowConsumerLimit how far behind a member may fall, above {@code maxLineBytes}
     */
    public ChatConfig(int maxLineBytes, long slowConsumerLimit) {
        this(maxLineBytes, slowConsumerLimit, DEFAULT_STALL_TIMEOUT_MILLIS);
    }

    /** {@return the defaults: 64 KiB lines, a 1 MiB slow-consumer limit, a 2 s stall timeout} */
    public static ChatConfig defaults() {
        return new ChatConfig(DEFAULT_MAX_LINE, DEFAULT_SLOW_CONSUMER_LIMIT, DEFAULT_STALL_TIMEOUT_MILLIS);
    }
}
