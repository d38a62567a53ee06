package dev.jepoll.reactor;

import java.nio.ByteBuffer;

/**
 * What a connection only reads of its loop, handed over once when it is made: the loop's
 * configuration, its read buffer and read strategy, its counters, the server's memory budget and
 * rate-limited log, and whether the loop's poller reports a socket once per arrival ({@code EPOLLET}). Everything
 * a connection asks its loop to <em>do</em> (flush at the end of the wakeup, read again next
 * turn, schedule a linger, count a close) stays a method of {@link EventLoop}.
 *
 * <p>All of it belongs to the loop's thread, as the connection does; only the budget and the log
 * are shared between loops, and they are thread-safe.
 */
record LoopContext(ServerConfig config, ByteBuffer readBuffer, ReadStrategy readStrategy, Counters counters,
        MemoryBudget budget, ServerLog log, boolean pollerReportsOnce) {
}
