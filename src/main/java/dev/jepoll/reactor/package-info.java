/**
 * The reactor: its public API and the event-loop core.
 *
 * <p>The API is what a protocol needs: {@link dev.jepoll.reactor.Server} starts and stops a
 * server from a {@link dev.jepoll.reactor.ServerConfig}; a {@link dev.jepoll.reactor.Protocol}
 * opens a {@link dev.jepoll.reactor.Session} per connection, which gets the bytes as they arrive
 * and answers through its {@link dev.jepoll.reactor.Link}; {@link dev.jepoll.reactor.Loop} is
 * the event loop a connection lives on (hand it tasks, timers, end-of-wakeup hooks);
 * {@link dev.jepoll.reactor.Counters} are the numbers every loop keeps.
 *
 * <p>The core, package-private, is a few classes named after their roles:
 * <pre>
 *             ┌──────────────────────── Server ─────────────────────────┐
 *  accept ──▶ │ loop 0: Acceptor ──hand-over (task)──▶ loop k: adopt()   │
 *             │ loop i: select(); dispatchReady(); runTasks();           │
 *             │         runTimers(); endOfWakeup(); flushDirty();        │
 *             │   Connection ── Session (EchoProtocol / chat Member)     │
 *             └───────────┬───────────────────────────────┬─────────────┘
 *                 Poller (backend seam)            Endpoint, Listener (backend seam)
 *                 ┌───────┴────────┐               ┌───────┴────────┐
 *             backend.nio      backend.epoll     backend.nio     backend.epoll
 * </pre>
 * <ul>
 * <li>{@code EventLoop}: one thread, one poller, the phases above; other threads only hand it
 *     tasks. {@code LoopChores} are its timers (timeouts, the memory budget's watch).
 * <li>{@code Acceptor}: accepts on loop 0 and hands each socket to the least loaded loop.
 * <li>{@code Connection}: one socket's state machine, the one place that decides whether to read
 *     and computes its interest; its parts are {@code InputGate}, {@code Output} (with the
 *     {@code OutboundQueue} of what the socket did not take), {@code BudgetShare}, {@code Closing}
 *     and {@code Timeouts}.
 *     What it only reads of its loop (read buffer, read strategy, counters, budget,
 *     configuration) comes as one {@code LoopContext}.
 * <li>{@code ReadStrategy}: level ({@code LevelRead}), edge ({@code EdgeRead}, drain until
 *     {@code EAGAIN}) and the teaching mistake ({@code EdgeReadOnce}).
 * <li>{@code MemoryBudget}, {@code ServerLog}, {@code WarmUp}: the server-wide limits, the
 *     rate-limited log, the start-up self-connection.
 * </ul>
 *
 * <p>The core talks to the operating system only through the seam in
 * {@code dev.jepoll.reactor.backend} and never names a backend; which one runs is decided there.
 */
package dev.jepoll.reactor;
