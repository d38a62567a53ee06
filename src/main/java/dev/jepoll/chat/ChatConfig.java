package dev.jepoll.chat;

/**
 * The chat room's two policies.
 *
 * @param maxLineBytes      longest line accepted, not counting its {@code \n}; a longer one
 *                          gets its sender an error line and a disconnect
 * @param slowConsumerLimit most a recipient's queue may cost, its bytes plus the heap of
 *                          its queued views; lines that would pass it disconnect that
 *                          recipient ("slow consumer") instead of making anyone wait
 */
public record ChatConfig(int maxLineBytes, long slowConsumerLimit) {
    /** A pasted paragraph of Korean in UTF-8 is about 3 bytes a character: 8 KiB was too small for a chat line. */
    public static final int DEFAULT_MAX_LINE = 64 * 1024;
    /** A recipient's queue may cost this much before it is cut: above the max line, far below the heap. */
    public static final long DEFAULT_SLOW_CONSUMER_LIMIT = 1024 * 1024;

    /**
     * Validates: a line must fit, and the slow-consumer limit must be above the max line.
     *
     * @param maxLineBytes      longest line accepted, at least 1
     * @param slowConsumerLimit most a recipient's queue may cost, above {@code maxLineBytes}
     */
    public ChatConfig {
        if (maxLineBytes < 1) {
            throw new IllegalArgumentException("max line must be at least 1 byte, got " + maxLineBytes);
        }
        if (slowConsumerLimit <= maxLineBytes) {
            throw new IllegalArgumentException("slow-consumer limit (" + slowConsumerLimit
                    + ") must be larger than the max line (" + maxLineBytes + ")");
        }
    }

    /** {@return the defaults: 64 KiB lines, a 1 MiB slow-consumer limit} */
    public static ChatConfig defaults() {
        return new ChatConfig(DEFAULT_MAX_LINE, DEFAULT_SLOW_CONSUMER_LIMIT);
    }
}
