package dev.jepoll.reactor;

/** Chooses the {@link Backend} a configuration asks for. */
final class Backends {
    private Backends() {
    }

    /** @throws IllegalStateException when the backend asked for cannot run here, with one line saying why */
    static Backend of(ServerConfig config) {
        return config.selector().isJdkSelector() ? new NioBackend(config) : NativeSupport.load(config);
    }
}
