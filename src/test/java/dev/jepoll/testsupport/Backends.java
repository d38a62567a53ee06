package dev.jepoll.testsupport;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jepoll.reactor.SelectorKind;
import dev.jepoll.reactor.TriggerMode;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/**
 * The backends every protocol test runs on: the JDK's selector pinned to epoll, and the
 * native epoll through {@code java.lang.foreign} where this JVM can run it (Java 22+ on
 * Linux x86_64/aarch64). On a JVM that cannot, native cases are reported as skipped with
 * the reason, not silently left out.
 */
public final class Backends {
    /** The backends a protocol test is held to. */
    public static final List<SelectorKind> ALL = List.of(SelectorKind.EPOLL, SelectorKind.NATIVE);

    private Backends() {
    }

    /**
     * Those of {@link #ALL} this JVM can run (for jqwik, which has no skipped tries). The first
     * call says on stderr which backends properties draw from, and why any is left out, so that
     * a JDK 17 run never passes for one that tried the native backend too.
     */
    public static List<SelectorKind> available() {
        List<SelectorKind> kinds = new ArrayList<>();
        StringBuilder left = new StringBuilder();
        for (SelectorKind kind : ALL) {
            String why = kind.unavailableReason();
            if (why == null) {
                kinds.add(kind);
            } else {
                left.append("; ").append(kind.label()).append(" left out: ").append(why);
            }
        }
        if (DRAW_ANNOUNCED.compareAndSet(false, true)) {
            System.err.println("jepoll tests: properties draw from the backends " + kinds + left);
        }
        return kinds;
    }

    private static final java.util.concurrent.atomic.AtomicBoolean DRAW_ANNOUNCED = new java.util.concurrent.atomic.AtomicBoolean();

    /**
     * Skips the calling test, with the reason, when {@code kind} cannot run in this JVM; the
     * reason is also printed once on stderr, so that a build log shows why tests were skipped.
     */
    public static void assumeRuns(SelectorKind kind) {
        String why = kind.unavailableReason();
        if (why != null && ANNOUNCED.add(kind)) {
            System.err.println("jepoll tests: " + kind.label() + " backend cases are skipped here: " + why);
        }
        assumeTrue(why == null, () -> "skipped: " + why);
    }

    private static final java.util.Set<SelectorKind> ANNOUNCED = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** Every backend with every trigger mode: {@code @MethodSource("dev.jepoll.testsupport.Backends#andModes")}. */
    public static Stream<Arguments> andModes() {
        List<Arguments> cases = new ArrayList<>();
        for (SelectorKind kind : ALL) {
            for (TriggerMode mode : TriggerMode.values()) {
                cases.add(Arguments.of(kind, mode));
            }
        }
        return cases.stream();
    }

    /** Every backend: {@code @MethodSource("dev.jepoll.testsupport.Backends#all")}. */
    public static Stream<SelectorKind> all() {
        return ALL.stream();
    }
}
