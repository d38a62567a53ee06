package dev.jepoll.cluster;

import dev.jepoll.chat.BackplaneStats;
import dev.jepoll.chat.ChatConfig;
import dev.jepoll.chat.ChatProtocol;
import dev.jepoll.reactor.Server;
import dev.jepoll.reactor.ServerConfig;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A jepoll chat node in the test's JVM: a server on a free loopback port, joined to the broker. */
final class Node implements AutoCloseable {
    final NatsBackplane backplane;
    final Server server;
    final ChatProtocol chat;
    final List<String> log = new CopyOnWriteArrayList<>();

    Node(String brokerUrl, String cluster, int loops) throws IOException {
        backplane = NatsBackplane.open(URI.create(brokerUrl), cluster, log::add);
        Server started = null;
        chat = new ChatProtocol(ChatConfig.defaults(), backplane);
        try {
            started = Server.start(ServerConfig.builder().port(0).bindAddress(InetAddress.getLoopbackAddress())
                    .loops(loops).log(log::add).build(), chat);
        } finally {
            if (started == null) {
                backplane.close();
            }
        }
        server = started;
    }

    int port() {
        return server.port();
    }

    BackplaneStats stats() {
        return backplane.stats();
    }

    /** Waits until {@code n} members are in this node's room. */
    void awaitMembers(int n) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (chat.members() != n) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("waited 10 s for " + n + " members, have " + chat.members());
            }
            NatsBroker.sleep(5);
        }
    }

    /** Waits until the backplane's counters pass {@code test}. */
    BackplaneStats awaitStats(String what, Predicate<BackplaneStats> test, long seconds) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (true) {
            BackplaneStats now = stats();
            if (test.test(now)) {
                return now;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("waited " + seconds + " s for " + what + "; stats: " + now.summary() + "; log: " + log);
            }
            NatsBroker.sleep(20);
        }
    }

    @Override
    public void close() {
        try {
            server.shutdown(Duration.ofSeconds(1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            backplane.close();
        }
    }
}
