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
    public static final long DEFAULT_SLOW_CONSUMER_LIMIT = 1024 * 1024;

    public ChatConfig {
        if (maxLineBytes < 1) {
            throw new IllegalArgumentException("max line must be at least 1 byte, got " + maxLineBytes);
        }
        if (slowConsumerLimit <= maxLineBytes) {
            throw new IllegalArgumentException("slow-consumer limit (" + slowConsumerLimit
                    + ") must be larger than the max line (" + maxLineBytes + ")");
        }
    }

    public static ChatConfig defaults() {
        return new ChatConfig(DEFAULT_MAX_LINE, DEFAULT_SLOW_CONSUMER_LIMIT);
    }
}
