package dev.jepoll.testsupport;

import dev.jepoll.reactor.Protocol;
import dev.jepoll.reactor.SelectorKind;
import dev.jepoll.reactor.Server;
import dev.jepoll.reactor.ServerConfig;
import dev.jepoll.reactor.TriggerMode;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;

/** Servers on 127.0.0.1, port 0, with their log lines captured. */
public final class TestServers {
    private TestServers() {
    }

    /** A server and what it logged. */
    public record Running(Server server, List<String> log) implements AutoCloseable {
        public int port() {
            return server.port();
        }

        public long count(dev.jepoll.reactor.Counter counter) {
            return server.counters().get(counter);
        }

        @Override
        public void close() {
            server.close();
        }
    }

    public static Running start(Protocol protocol, TriggerMode mode) throws IOException {
        return start(protocol, mode, b -> b);
    }

    public static Running start(Protocol protocol, TriggerMode mode, UnaryOperator<ServerConfig.Builder> tweak)
            throws IOException {
        return start(SelectorKind.EPOLL, protocol, mode, tweak);
    }

    /** On {@code backend}; a test that asks for a backend this JVM cannot run is skipped, with the reason. */
    public static Running start(SelectorKind backend, Protocol protocol, TriggerMode mode) throws IOException {
        return start(backend, protocol, mode, b -> b);
    }

    public static Running start(SelectorKind backend, Protocol protocol, TriggerMode mode,
                                UnaryOperator<ServerConfig.Builder> tweak) throws IOException {
        Backends.assumeRuns(backend);
        List<String> log = new CopyOnWriteArrayList<>();
        ServerConfig.Builder builder = ServerConfig.builder().port(0).mode(mode).selector(backend, true).log(log::add);
        return new Running(Server.start(tweak.apply(builder).build(), protocol), log);
    }
}
