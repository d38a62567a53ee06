package dev.jepoll.reactor.backend.nio;

import java.nio.channels.spi.SelectorProvider;

/**
 * The one place that decides the {@link SelectorProvider}. The JDK picks its provider once
 * per process, on first use, honouring the documented system property
 * {@code java.nio.channels.spi.SelectorProvider}; setting it to
 * {@code sun.nio.ch.EPollSelectorProvider} before any NIO call pins epoll, with no
 * {@code --add-exports} (the JDK instantiates its own class). Whatever provider results is
 * checked, because the property may have been forced on the command line or the provider
 * chosen earlier in the process.
 */
final class SelectorPinning {
    static final String PROPERTY = "java.nio.channels.spi.SelectorProvider";

    /** The provider in use, and why it is not the one asked for, if it is not. */
    record Pinned(SelectorProvider provider, String mismatch) {
        boolean matches() {
            return mismatch == null;
        }
    }

    private SelectorPinning() {
    }

    /**
     * Pins {@code providerClass} if the process has not chosen a provider yet.
     *
     * @param explicit whether the user asked for it by name; then a mismatch is an error
     * @throws IllegalStateException if {@code explicit} and {@code providerClass} is not what runs
     */
    static synchronized Pinned pin(String providerClass, boolean explicit) {
        boolean available = classExists(providerClass);
        String forced = System.getProperty(PROPERTY);
        if (forced == null && available) {
            System.setProperty(PROPERTY, providerClass);
        }
        SelectorProvider provider = SelectorProvider.provider();
        String actual = provider.getClass().getName();
        if (actual.equals(providerClass)) {
            return new Pinned(provider, null);
        }
        String why;
        if (!available) {
            why = providerClass + " does not exist on " + System.getProperty("os.name")
                    + " / Java " + System.getProperty("java.version");
        } else if (forced != null && !forced.equals(providerClass)) {
            why = "the JVM was started with -D" + PROPERTY + "=" + forced;
        } else {
            why = "this JVM chose its selector provider before jepoll could pin it";
        }
        String mismatch = label(providerClass) + " was asked for, but " + actual + " is in use: " + why;
        if (explicit) {
            throw new IllegalStateException(mismatch);
        }
        return new Pinned(provider, mismatch);
    }

    /** {@code epoll} or {@code poll}, as the command line names them. */
    static String label(String providerClass) {
        String simple = providerClass.substring(providerClass.lastIndexOf('.') + 1);
        return simple.replace("SelectorProvider", "").toLowerCase(java.util.Locale.ROOT);
    }

    private static boolean classExists(String name) {
        try {
            // Loading a class of a non-exported package is allowed; only its members are not.
            Class.forName(name, false, ClassLoader.getSystemClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }
}
