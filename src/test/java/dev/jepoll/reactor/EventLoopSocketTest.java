package dev.jepoll.reactor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jepoll.reactor.backend.Endpoint;
import dev.jepoll.reactor.backend.Listener;
import dev.jepoll.reactor.backend.Poller;
import dev.jepoll.reactor.backend.nio.NioBackend;
import dev.jepoll.reactor.backend.nio.NioEndpoint;
import dev.jepoll.testsupport.Await;
import dev.jepoll.testsupport.TestClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What the loop does to a socket it adopts, and what it must never wait for. */
class EventLoopSocketTest {
    private final List<AutoCloseable> open = new ArrayList<>();
    private Listener listener;

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    private EventLoop loop(UnaryOperator<ServerConfig.Builder> tweak) throws IOException {
        ServerConfig config = tweak.apply(ServerConfig.builder().log(line -> { })).build();
        NioBackend backend = new NioBackend(config.backendSettings());
        Poller poller = backend.openPoller(config.backendSettings());
        open.add(poller);
        listener = backend.listen(config.backendSettings());
        open.add(listener);
        EventLoop loop = new EventLoop(0, config, poller, link -> data -> { }, new MemoryBudget(1 << 30, () -> 1),
                new ServerLog(config.logger(), System::nanoTime));
        loop.joinGroup(List.of(loop));
        return loop;
    }

    /** A real accepted socket, as the acceptor would hand it over. */
    private Endpoint accepted() throws IOException {
        SocketChannel client = SocketChannel.open(listener.localAddress());
        open.add(client);
        Endpoint[] accepted = new Endpoint[1];
        Await.until("the connection is accepted", () -> {
            try {
                accepted[0] = listener.accept();
            } catch (IOException e) {
                throw new AssertionError(e);
            }
            return accepted[0] != null;
        });
        open.add(accepted[0]);
        return accepted[0];
    }

    @Test
    void anAcceptedSocketIsNonBlockingWithNagleOff() throws IOException {
        EventLoop loop = loop(b -> b);
        Endpoint endpoint = accepted();
        SocketChannel socket = ((NioEndpoint) endpoint).channel();
        loop.load().incrementAndGet(); // as the acceptor does before handing over
        loop.adopt(endpoint, 1);
        assertFalse(socket.isBlocking(), "the chapter's fcntl(O_NONBLOCK)");
        assertTrue(socket.getOption(StandardSocketOptions.TCP_NODELAY));
        assertEquals(1, loop.connectionCount());
    }

    @Test
    void nagleStaysOnWhenAskedAndTheSendBufferIsSet() throws IOException {
        loop(b -> b.tcpNoDelay(false).sendBufferSize(32 * 1024));
        SocketChannel socket = ((NioEndpoint) accepted()).channel();
        assertFalse(socket.getOption(StandardSocketOptions.TCP_NODELAY));
        assertTrue(socket.getOption(StandardSocketOptions.SO_SNDBUF) >= 32 * 1024); // Linux doubles it
    }

    // ---- output handed over by a task or a timer leaves without waiting for another event ----

    /** A server whose protocol hands every new link to the test. */
    private Server serverKeepingLinks(LinkedBlockingQueue<Link> links) throws IOException {
        Server server = Server.start(ServerConfig.builder().port(0).log(line -> { }).build(), link -> {
            links.add(link);
            return data -> { };
        });
        open.add(server);
        return server;
    }

    private static ByteBuffer text(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void onlyWaitsThatBringEventsPrintTheChaptersLine() throws Exception {
        ByteArrayOutputStream trace = new ByteArrayOutputStream();
        PrintStream traceOut = new PrintStream(trace, true, StandardCharsets.UTF_8);
        // A 40 ms write timeout sweeps every 10 ms: the loop's own timer wakes it, with no event.
        Server server = Server.start(ServerConfig.builder().port(0).loops(1).writeTimeoutMillis(40)
                .trace(traceOut).log(line -> { }).build(), link -> data -> { });
        open.add(server);
        for (int i = 0; i < 5; i++) {
            server.execute(() -> { }); // and hand-overs wake it, with no event either
        }
        Await.until("the loop woke for its timer and tasks", () -> server.counters().get(Counter.WAKEUPS) >= 10);
        assertEquals("", trace.toString(StandardCharsets.UTF_8), "no client, no event: the chapter prints nothing");
        try (TestClient client = TestClient.connect(server.port())) {
            Await.until("the connected line", () -> trace.toString(StandardCharsets.UTF_8).contains("connected client : 1\n"));
        }
        assertTrue(trace.toString(StandardCharsets.UTF_8).startsWith("return epoll_wait\nconnected client : 1\n"),
                trace.toString(StandardCharsets.UTF_8));
    }

    @Test
    void outputEnqueuedFromATaskIsSentWithoutAnotherEvent() throws Exception {
        LinkedBlockingQueue<Link> links = new LinkedBlockingQueue<>();
        Server server = serverKeepingLinks(links);
        try (TestClient client = TestClient.connect(server.port())) {
            Link link = links.poll(20, TimeUnit.SECONDS);
            server.execute(() -> link.enqueue(text("from a task\n")));
            // The client sends nothing: only the loop's own flush can deliver this.
            assertArrayEquals("from a task\n".getBytes(StandardCharsets.US_ASCII), client.readExactly(12));
        }
    }

    @Test
    void outputEnqueuedFromATimerIsSentWithoutAnotherEvent() throws Exception {
        LinkedBlockingQueue<Link> links = new LinkedBlockingQueue<>();
        Server server = serverKeepingLinks(links);
        try (TestClient client = TestClient.connect(server.port())) {
            Link link = links.poll(20, TimeUnit.SECONDS);
            EventLoop loop = (EventLoop) link.loop();
            loop.execute(() -> loop.schedule(50, () -> link.enqueue(text("from a timer\n"))));
            assertArrayEquals("from a timer\n".getBytes(StandardCharsets.US_ASCII), client.readExactly(13));
        }
    }

    @Test
    void aHookAtTheEndOfAWakeupRunsOnceAndItsOutputLeavesInThatWakeup() throws Exception {
        LinkedBlockingQueue<Link> links = new LinkedBlockingQueue<>();
        Server server = serverKeepingLinks(links);
        try (TestClient client = TestClient.connect(server.port())) {
            Link link = links.poll(20, TimeUnit.SECONDS);
            AtomicInteger runs = new AtomicInteger();
            server.execute(() -> link.loop().atEndOfWakeup(() -> {
                runs.incrementAndGet();
                link.enqueue(text("hook\n"));
            }));
            assertArrayEquals("hook\n".getBytes(StandardCharsets.US_ASCII), client.readExactly(5));
            server.execute(() -> link.enqueue(text("x")));
            client.readExactly(1); // a later wakeup has passed
            assertEquals(1, runs.get());
        }
    }
}
