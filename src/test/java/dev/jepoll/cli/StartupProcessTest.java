package dev.jepoll.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jepoll.reactor.SelectorKind;
import dev.jepoll.testsupport.Backends;
import dev.jepoll.testsupport.Hammer;
import dev.jepoll.testsupport.JavaProcess;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * SIGTERM works at every moment of start-up, with a client connecting all the while (as when a
 * server restarts among clients that reconnect every few milliseconds): before the signal
 * handlers exist the JVM's default ends the process (143), after them the server stops cleanly
 * (0). A start-up that hung would never exit. A signal that lands while the JVM itself is still
 * initialising (before any class of ours loads) can end it with the JVM's own error and status 1
 * (JDK 25: "Error occurred during initialization of VM ... Bad level"); that too is the process
 * ending at SIGTERM, and nothing of ours ran.
 */
class StartupProcessTest {
    /** Moments after the JVM is launched: before its classes load, mid start, after the banner. */
    private static final long[] DELAYS_MILLIS = {0, 30, 80, 160, 300, 600, 1200};

    @ParameterizedTest
    @MethodSource("dev.jepoll.testsupport.Backends#all")
    void sigtermDuringStartUpEndsTheServerWhileClientsConnect(SelectorKind backend) throws Exception {
        Backends.assumeRuns(backend);
        for (long delay : DELAYS_MILLIS) {
            int port = Hammer.freePort();
            try (Hammer hammer = Hammer.on(port);
                 JavaProcess server = JavaProcess.server(List.of(), "--port", String.valueOf(port), "--loops", "2",
                         "--selector", backend.name().toLowerCase(java.util.Locale.ROOT))) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(delay)); // the moment under test, not a wait
                server.terminate();
                int status = server.awaitExit();
                String output = server.stdout() + server.stderr();
                assertTrue(status == 0 || status == 143 || diedInTheJvmsOwnStartUp(status, output),
                        "SIGTERM " + delay + " ms after launch: exit " + status + "\n" + output);
            }
        }
    }

    private static boolean diedInTheJvmsOwnStartUp(int status, String output) {
        return status == 1 && output.contains("Error occurred during initialization of VM")
                && !output.contains("dev.jepoll");
    }
}
