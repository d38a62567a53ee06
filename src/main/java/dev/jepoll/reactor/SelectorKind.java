package dev.jepoll.reactor;

import java.util.Locale;

/** Which JDK selector implementation to run on. */
public enum SelectorKind {
    /** Linux epoll: {@code epoll_create}, {@code epoll_ctl}, {@code epoll_wait}; its selector is {@code EPollSelectorImpl}. */
    EPOLL("sun.nio.ch.EPollSelectorProvider"),
    /** poll(2), kept for comparisons: every wait passes the whole descriptor set again ({@code PollSelectorImpl}). */
    POLL("sun.nio.ch.PollSelectorProvider");

    private final String providerClass;

    SelectorKind(String providerClass) {
        this.providerClass = providerClass;
    }

    public String providerClass() {
        return providerClass;
    }

    /** {@code epoll} or {@code poll}, as on the command line. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
