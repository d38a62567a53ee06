package dev.jepoll.reactor;

/** Chooses the {@link Backend} a configuration asks for. */
final class Backends {
    private Backends() {
    }

    static Backend of(ServerConfig config) {
        return new NioBackend(config);
    }
}
