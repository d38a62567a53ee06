package dev.jepoll.reactor.backend.nio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jepoll.echo.EchoProtocol;
import dev.jepoll.reactor.SelectorKind;
import dev.jepoll.reactor.TriggerMode;
import dev.jepoll.testsupport.TestServers;
import org.junit.jupiter.api.Test;

/** The selector in this JVM is epoll, and asking for something else here is refused clearly. */
class SelectorPinningSocketTest {

    @Test
    void theServerRunsOnEpoll() throws Exception {
        try (var server = TestServers.start(new EchoProtocol(), TriggerMode.EDGE)) {
            assertEquals("sun.nio.ch.EPollSelectorProvider", server.server().providerClass());
            assertEquals("sun.nio.ch.EPollSelectorImpl", server.server().selectorClass());
            assertNull(server.server().selectorMismatch());
        }
    }

    @Test
    void pollAskedForExplicitlyInAnEpollJvmIsRefused() {
        SelectorPinning.pin(SelectorKind.EPOLL.providerClass(), false); // make sure this JVM has chosen
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> SelectorPinning.pin(SelectorKind.POLL.providerClass(), true));
        assertTrue(e.getMessage().startsWith("poll was asked for, but sun.nio.ch.EPollSelectorProvider is in use"),
                e.getMessage());
    }

    @Test
    void pollAskedForByDefaultInAnEpollJvmIsAWarning() {
        SelectorPinning.pin(SelectorKind.EPOLL.providerClass(), false);
        SelectorPinning.Pinned pinned = SelectorPinning.pin(SelectorKind.POLL.providerClass(), false);
        assertTrue(pinned.mismatch().contains("sun.nio.ch.EPollSelectorProvider is in use"), pinned.mismatch());
    }
}
