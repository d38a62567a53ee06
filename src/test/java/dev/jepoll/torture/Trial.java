package dev.jepoll.torture;

import dev.jepoll.chat.ChatConfig;
import dev.jepoll.chat.ChatProtocol;
import dev.jepoll.echo.EchoProtocol;
import dev.jepoll.reactor.CloseReason;
import dev.jepoll.reactor.Counter;
import dev.jepoll.reactor.Counters;
import dev.jepoll.reactor.Protocol;
import dev.jepoll.reactor.Server;
import dev.jepoll.reactor.ServerConfig;
import dev.jepoll.testsupport.Await;
import dev.jepoll.testsupport.ChatLoad;
import dev.jepoll.testsupport.EchoLoad;
import dev.jepoll.testsupport.Hammer;
import dev.jepoll.testsupport.ProcNetTcp;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * One combination, run and judged by invariants rather than examples:
 * <ul>
 * <li><b>start-up</b>: a client that keeps connecting from before the server listens is served;
 * <li><b>no stalled output</b>: every reading client gets all it is owed, in order, or is closed
 *     by the server with a counted reason (only a tight budget may do that to a reader);
 * <li><b>no stranded bytes</b>: once the clients stop sending and the server is quiet, no
 *     server-side socket has unread bytes in the kernel (its receive queue, read from
 *     {@code /proc/net/tcp}, from outside the server);
 * <li><b>conservation</b>: echo: every byte read was written back or dropped with its
 *     connection and counted ({@code bytes_in = bytes_out + bytes_dropped}); chat: readers cut
 *     are no more than the closes the server counted for a reason;
 * <li><b>lifecycle</b>: after stop, every connection was closed exactly once ({@code closes =
 *     accepts}), the memory budget holds nothing (no block or queue left behind), and the
 *     process has as many descriptors as before the server started.
 * </ul>
 */
final class Trial {
    private static final Duration LOAD_TIMEOUT = Duration.ofSeconds(90);
    /** Stall timeout for never-readers: shorter than the default, so a trial stays short. */
    private static final long STALL_MILLIS = 700;

    private final Combination c;
    private final List<String> violations = new ArrayList<>();
    private final List<String> log = new CopyOnWriteArrayList<>();

    private Trial(Combination c) {
        this.c = c;
    }

    /**
     * The JDK keeps a descriptor of its own for good once its socket classes are first used (a
     * socket it dup2s over descriptors it closes): made here, before any baseline is taken.
     */
    static {
        try (var listener = java.nio.channels.ServerSocketChannel.open().bind(
                new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0));
             var client = java.nio.channels.SocketChannel.open(listener.getLocalAddress());
             var accepted = listener.accept();
             var selector = java.nio.channels.Selector.open();
             var socket = new java.net.Socket()) {
            socket.connect(listener.getLocalAddress());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Runs {@code c}; returns what it broke, empty when it held every invariant. */
    static List<String> run(Combination c) throws Exception {
        Trial t = new Trial(c);
        t.go();
        return t.violations;
    }

    private void go() throws Exception {
        java.util.Set<String> fdsBefore = dev.jepoll.testsupport.OpenDescriptors.ofThisProcess();
        int port = Hammer.freePort();
        Server server;
        try (Hammer early = Hammer.on(port)) {
            Await.until("the early client is trying", () -> early.attempts() >= 2);
            server = Server.start(config(port), protocol());
            try {
                Await.until("a client that connected during start-up is served", () -> early.served() >= 1);
            } catch (AssertionError e) {
                violations.add("start-up: " + e.getMessage());
            }
        }
        try {
            if (c.chat()) {
                chat(server);
            } else {
                echo(server);
            }
        } finally {
            server.shutdown(Duration.ofSeconds(2));
        }
        if (!server.awaitTermination(Duration.ofSeconds(10))) {
            violations.add("lifecycle: the loops did not stop within 10 s of shutdown");
        }
        afterStop(server, fdsBefore);
    }

    private ServerConfig config(int port) {
        return ServerConfig.builder().port(port).selector(c.backend(), true).mode(c.mode()).loops(c.loops())
                .bufferSize(c.buffer()).memoryBudget(c.memoryBudget()).sendBufferSize(c.hostile() > 0 ? 64 * 1024 : 0)
                .jmx(false).log(log::add).build();
    }

    private Protocol protocol() {
        return c.chat() ? new ChatProtocol(new ChatConfig(ChatConfig.DEFAULT_MAX_LINE,
                ChatConfig.DEFAULT_SLOW_CONSUMER_LIMIT, STALL_MILLIS)) : new EchoProtocol();
    }

    private void chat(Server server) throws Exception {
        ChatLoad.Spec spec = new ChatLoad.Spec(c.clients(), c.count(), c.size(), c.burst(), Math.max(16, c.burst()),
                c.hostile(), c.slowReader() ? 1000 : 0);
        ChatLoad.Result result = ChatLoad.run(server.port(), spec, LOAD_TIMEOUT, c.order(), () -> atRest(server));
        // a client sees its socket closed a moment before the loop counts the close: wait for the count
        try {
            Await.until("the cut readers' closes counted", () -> countedCuts(server) >= result.readersCut(),
                    Duration.ofSeconds(5));
        } catch (AssertionError e) {
            // judged below, with the figures
        }
        Counters counters = server.counters();
        long counted = countedCuts(server);
        if (!result.complete()) {
            boolean onlyCuts = result.problems().stream().allMatch(p -> p.contains("was closed by the server")
                    || p.contains("writer failed"));
            if (!c.tightBudget() || !onlyCuts || result.readersCut() == 0) {
                violations.add("no stalled output: " + result);
            }
        }
        if (result.readersCut() > counted) {
            violations.add("conservation: " + result.readersCut() + " readers cut, but only " + counted
                    + " closes counted for a reason");
        }
        if (!c.tightBudget() && counters.closes(CloseReason.SLOW_CONSUMER) > c.hostile()) {
            violations.add("flow control: " + counters.closes(CloseReason.SLOW_CONSUMER) + " slow-consumer closes with only "
                    + c.hostile() + " clients that never read");
        }
    }

    /** Closes the server counted for a reason that may cut a reader: the memory budget, a slow consumer. */
    private static long countedCuts(Server server) {
        Counters counters = server.counters();
        return counters.closes(CloseReason.MEMORY_BUDGET) + counters.closes(CloseReason.SLOW_CONSUMER);
    }

    private void echo(Server server) throws Exception {
        EchoLoad.Spec spec = new EchoLoad.Spec(c.clients(), c.size(), c.count(), c.hostile(), c.order());
        EchoLoad.Result result = EchoLoad.run(server.port(), spec, LOAD_TIMEOUT, () -> atRest(server));
        if (!result.complete()) {
            boolean onlyCuts = result.problems().stream().allMatch(p -> p.contains("closed by the server")
                    || p.contains("writer failed") || p.contains("reader failed"));
            if (!c.tightBudget() || !onlyCuts) {
                violations.add("no stalled output: " + result);
            }
        }
    }

    /** Everyone has what it was owed and sends nothing more: nothing may wait unread in the kernel. */
    private void atRest(Server server) {
        try {
            Await.until("the server's sockets have read everything", () -> strandedBytes(server.port()).isEmpty(),
                    Duration.ofSeconds(10));
        } catch (AssertionError e) {
            violations.add("no stranded bytes: server-side receive queues " + strandedBytes(server.port()));
        }
    }

    private static List<String> strandedBytes(int port) {
        List<String> left = new ArrayList<>();
        try {
            for (ProcNetTcp.Row row : ProcNetTcp.rows()) {
                if (row.localPort() == port && row.state() != ProcNetTcp.LISTEN && row.rxQueue() > 0) {
                    left.add(row.rxQueue() + " bytes from client port " + row.remotePort());
                }
            }
        } catch (IOException e) {
            left.add("cannot read /proc/net/tcp: " + e);
        }
        return left;
    }

    private void afterStop(Server server, java.util.Set<String> fdsBefore) throws Exception {
        Counters counters = server.counters();
        long accepts = counters.get(Counter.ACCEPTS);
        long closes = counters.totalCloses() + counters.get(Counter.REJECTED);
        if (closes != accepts) {
            violations.add("lifecycle: " + accepts + " accepted, " + closes + " closed (" + counters.summary() + ")");
        }
        if (server.heldBytes() != 0) {
            violations.add("lifecycle: the stopped server still holds " + server.heldBytes() + " bytes");
        }
        if (!c.chat()) {
            long in = counters.get(Counter.BYTES_IN);
            long accounted = counters.get(Counter.BYTES_OUT) + counters.get(Counter.BYTES_DROPPED);
            if (in != accounted) {
                violations.add("conservation: echo read " + in + " bytes, wrote or dropped " + accounted);
            }
        }
        try {
            Await.until("descriptors as before", () -> fdsBefore.containsAll(dev.jepoll.testsupport.OpenDescriptors.ofThisProcess()), Duration.ofSeconds(10));
        } catch (AssertionError e) {
            java.util.Set<String> left = dev.jepoll.testsupport.OpenDescriptors.ofThisProcess();
            left.removeAll(fdsBefore);
            violations.add("lifecycle: open after stop and not before: " + left);
        }
    }


    List<String> log() {
        return log;
    }
}
