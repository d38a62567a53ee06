package dev.jepoll.reactor.backend;

import dev.jepoll.reactor.backend.epoll.NativeSupport;
import dev.jepoll.reactor.backend.nio.NioBackend;

/** Chooses the {@link Backend} the settings ask for: the one place that names the backends. */
public final class Backends {
    private Backends() {
    }

    /** @throws IllegalStateException when the backend asked for cannot run here, with one line saying why */
    public static Backend of(BackendSettings settings) {
        return settings.jdkProvider() != null ? new NioBackend(settings) : NativeSupport.load(settings);
    }

    /** {@return null when the native backend can run in this JVM; otherwise one line saying why not} */
    public static String nativeUnavailableReason() {
        return NativeSupport.unavailableReason();
    }

    /** Closes {@code c}, ignoring a failure: for what is being discarded anyway. */
    public static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // nothing useful to do about a failed close of something we are discarding
        }
    }
}
