package dev.jepoll.reactor;

import dev.jepoll.reactor.backend.Backends;
import java.util.Locale;

/** What the event loops wait on: the JDK's selector (pinned to epoll or poll), or epoll called directly. */
public enum SelectorKind {
    /** Linux epoll: {@code epoll_create}, {@code epoll_ctl}, {@code epoll_wait}; its selector is {@code EPollSelectorImpl}. */
    EPOLL("sun.nio.ch.EPollSelectorProvider"),
    /** poll(2), kept for comparisons: every wait passes the whole descriptor set again ({@code PollSelectorImpl}). */
    POLL("sun.nio.ch.PollSelectorProvider"),
    /**
     * Linux epoll called directly through {@code java.lang.foreign} (Java 22 and later), with
     * sockets of its own: the one backend where {@link TriggerMode#EDGE} registers
     * {@code EPOLLET}, so the kernel really reports a socket once per arrival.
     */
    NATIVE(null);

    private final String providerClass;

    SelectorKind(String providerClass) {
        this.providerClass = providerClass;
    }

    /** {@return the JDK selector provider this kind pins, or null for {@link #NATIVE}, which uses none} */
    public String providerClass() {
        return providerClass;
    }

    /** {@return null when this kind can run in this JVM; otherwise one line saying why not} */
    public String unavailableReason() {
        return this == NATIVE ? Backends.nativeUnavailableReason() : null;
    }

    /** {@return true for the kinds that run on the JDK's {@code Selector}} */
    public boolean isJdkSelector() {
        return providerClass != null;
    }

    /** {@return {@code epoll}, {@code poll} or {@code native}, as on the command line} */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
