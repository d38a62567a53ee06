package dev.jepoll.reactor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import org.junit.jupiter.api.Test;

/** What a loop survives, and how an I/O failure is named when it closes a connection. */
class FailureClassificationTest {

    @Test
    void aBugABrokenClassOrAStackOverflowIsSurvivable() {
        assertTrue(Failures.survivable(new IllegalStateException()));
        assertTrue(Failures.survivable(new AssertionError()));
        assertTrue(Failures.survivable(new NoClassDefFoundError()));
        assertTrue(Failures.survivable(new StackOverflowError()));
        assertTrue(Failures.survivable(new IOException()));
    }

    @Test
    void aJvmOutOfMemoryOrBrokenInsideIsNot() {
        assertFalse(Failures.survivable(new OutOfMemoryError()));
        assertFalse(Failures.survivable(new InternalError()));
    }

    @Test
    void resetsAndBrokenPipesAreThePeersDoing() {
        assertEquals(CloseReason.PEER_RESET, CloseReasons.of(new IOException("Connection reset by peer")));
        assertEquals(CloseReason.PEER_RESET, CloseReasons.of(new IOException("Broken pipe")));
        assertEquals(CloseReason.PEER_RESET, CloseReasons.of(new IOException("write failed: BROKEN PIPE")));
    }

    @Test
    void anythingElseIsAnIoError() {
        assertEquals(CloseReason.IO_ERROR, CloseReasons.of(new IOException("Bad file descriptor")));
        assertEquals(CloseReason.IO_ERROR, CloseReasons.of(new IOException()));
    }
}
