package dev.jepoll.cluster;

import dev.jepoll.chat.Backplane;
import java.io.IOException;
import java.net.URI;
import java.util.Locale;
import java.util.function.Consumer;

/** Found by {@link java.util.ServiceLoader} when {@code --backplane nats://...} or {@code tls://...} is given. */
public final class NatsBackplaneProvider implements Backplane.Provider {
    /** For the service loader. */
    public NatsBackplaneProvider() {
    }

    @Override
    public boolean serves(URI address) {
        String scheme = address.getScheme() == null ? "" : address.getScheme().toLowerCase(Locale.ROOT);
        return scheme.equals("nats") || scheme.equals("tls");
    }

    @Override
    public Backplane open(URI address, String cluster, Consumer<String> log) throws IOException {
        return NatsBackplane.open(address, cluster, log);
    }
}
