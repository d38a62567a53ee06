package dev.jepoll.reactor.backend.epoll;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jepoll.reactor.SelectorKind;
import dev.jepoll.reactor.Server;
import dev.jepoll.reactor.ServerConfig;
import dev.jepoll.reactor.TriggerMode;
import dev.jepoll.reactor.backend.BackendSettings;
import org.junit.jupiter.api.Test;

/** Where the native backend runs, and the one line it says where it does not; on any JDK. */
class NativeSupportTest {

    @Test
    void epollEventIsPackedOnX86AndAlignedOnArm() {
        EpollEventLayout x86 = EpollEventLayout.forArch("amd64");
        assertEquals(12, x86.size());
        assertEquals(4, x86.dataOffset());
        EpollEventLayout arm = EpollEventLayout.forArch("aarch64");
        assertEquals(16, arm.size());
        assertEquals(8, arm.dataOffset());
    }

    @Test
    void otherArchitecturesAreRefusedInOneLine() {
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                () -> EpollEventLayout.forArch("riscv64"));
        assertEquals("the native backend supports Linux on x86_64 and aarch64; this is riscv64", e.getMessage());
    }

    @Test
    void eachPlatformGapHasItsOwnReason() {
        assertEquals("--selector native needs Java 22 or later; this is Java 17",
                NativeSupport.platformReason(17, "Linux", "amd64"));
        assertEquals("--selector native needs Linux (epoll); this is Mac OS X",
                NativeSupport.platformReason(25, "Mac OS X", "aarch64"));
        assertEquals("--selector native: the native backend supports Linux on x86_64 and aarch64; this is s390x",
                NativeSupport.platformReason(25, "Linux", "s390x"));
        assertNull(NativeSupport.platformReason(22, "Linux", "aarch64"));
    }

    @Test
    void aServerAskedForTheNativeBackendWhereItCannotRunRefusesToStart() {
        String why = SelectorKind.NATIVE.unavailableReason();
        org.junit.jupiter.api.Assumptions.assumeTrue(why != null, "this JVM runs the native backend");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Server.start(
                ServerConfig.builder().port(0).selector(SelectorKind.NATIVE, true).log(line -> { }).build(),
                link -> data -> { }));
        assertEquals(why, e.getMessage());
    }

    @Test
    void readingOnceIsOnlyForARealEdgeTriggeredRegistration() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ServerConfig.builder().edgeReadOnce(true).build()); // the JDK's selector
        assertEquals("--edge-read-once needs --selector native and --mode edge: only a real EPOLLET registration"
                + " strands what one read leaves (the JDK's selector reports the socket again)", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ServerConfig.builder().selector(SelectorKind.NATIVE, true)
                .mode(TriggerMode.LEVEL).edgeReadOnce(true).build());
    }

    /**
     * Before Java 22 the reason is the platform's; from 22 on (the build compiles the layer there)
     * there must be none: a test run on JDK 22+ where the native backend does not load fails here,
     * rather than passing with every native case skipped.
     */
    @Test
    void theReasonHereIsThePlatformsOrNone() {
        String platform = NativeSupport.platformReason(Runtime.version().feature(), System.getProperty("os.name"),
                System.getProperty("os.arch"));
        String why = NativeSupport.unavailableReason();
        if (platform != null) {
            assertEquals(platform, why);
        } else {
            assertEquals(null, why, "on Java " + Runtime.version().feature() + " the native backend must load");
        }
        assertEquals(why == null, NativeSupport.available());
    }

    @Test
    void loadingTheNativeBackendGivesItOrSaysWhyNot() {
        BackendSettings settings = new BackendSettings(java.net.InetAddress.getLoopbackAddress(), 0, 1, true, 0, 64, null,
                true, true, false);
        String why = NativeSupport.unavailableReason();
        if (why != null) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> NativeSupport.load(settings));
            assertEquals(why, e.getMessage());
        } else {
            assertEquals(NativeSupport.BACKEND_CLASS, NativeSupport.load(settings).getClass().getName());
        }
    }
}
