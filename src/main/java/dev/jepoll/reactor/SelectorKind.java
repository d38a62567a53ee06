package dev.jepoll.reactor;

import java.util.Locale;

/** Which JDK selector implementation to run on. */
public enum SelectorKind {
    /** Linux epoll: {@code epoll_create}, {@code epoll_ctl}, {@code epoll_wait}. */
    EPOLL("sun.nio.ch.EPollSelectorProvider", "sun.nio.ch.EPollSelectorImpl"),
    /** poll(2), kept for comparisons: every wait passes the whole descriptor set again. */
    POLL("sun.nio.ch.PollSelectorProvider", "sun.nio.ch.PollSelectorImpl");

    private final String providerClass;
    private final String selectorClass;

    SelectorKind(String providerClass, String selectorClass) {
        this.providerClass = providerClass;
        this.selectorClass = selectorClass;
    }

    public String providerClass() {
        return providerClass;
    }

    public String selectorClass() {
        return selectorClass;
    }

    /** {@code epoll} or {@code poll}, as on the command line. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
