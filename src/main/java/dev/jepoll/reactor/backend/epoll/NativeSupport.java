package dev.jepoll.reactor.backend.epoll;

import dev.jepoll.reactor.backend.Backend;
import dev.jepoll.reactor.backend.BackendSettings;
import java.lang.reflect.InvocationTargetException;
import java.util.Locale;

/**
 * Whether the native backend ({@code --selector native}: epoll called through
 * {@code java.lang.foreign}) can run here, and loading it. Its classes are compiled for
 * Java 22 into the jar's {@code META-INF/versions/22}, so this class, compiled for Java 17,
 * reaches them by name only when the running JDK can load them.
 */
public final class NativeSupport {
    static final String BACKEND_CLASS = "dev.jepoll.reactor.backend.epoll.NativeBackend";
    static final int FIRST_JAVA = 22;

    private NativeSupport() {
    }

    /** Null when the native backend can run; otherwise one line saying why not. */
    public static String unavailableReason() {
        String why = platformReason(Runtime.version().feature(), System.getProperty("os.name", "?"),
                System.getProperty("os.arch", "?"));
        if (why != null) {
            return why;
        }
        try {
            Class.forName(BACKEND_CLASS, false, NativeSupport.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            return "--selector native: this jepoll was built without its Java " + FIRST_JAVA
                    + " layer (build it with JDK " + FIRST_JAVA + " or later)";
        }
        return null;
    }

    /** Why a JVM of this version, system and architecture cannot run the native backend, or null. */
    static String platformReason(int javaFeature, String osName, String osArch) {
        if (javaFeature < FIRST_JAVA) {
            return "--selector native needs Java " + FIRST_JAVA + " or later; this is Java " + javaFeature;
        }
        if (!osName.toLowerCase(Locale.ROOT).startsWith("linux")) {
            return "--selector native needs Linux (epoll); this is " + osName;
        }
        try {
            EpollEventLayout.forArch(osArch);
        } catch (UnsupportedOperationException e) {
            return "--selector native: " + e.getMessage();
        }
        return null;
    }

    public static boolean available() {
        return unavailableReason() == null;
    }

    /**
     * The native backend for {@code settings}.
     *
     * @throws IllegalStateException with {@link #unavailableReason()} when it cannot run here
     */
    public static Backend load(BackendSettings settings) {
        String why = unavailableReason();
        if (why != null) {
            throw new IllegalStateException(why);
        }
        try {
            return (Backend) Class.forName(BACKEND_CLASS).getDeclaredConstructor(BackendSettings.class).newInstance(settings);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException("--selector native: " + cause, cause);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("--selector native: cannot load " + BACKEND_CLASS + ": " + e, e);
        }
    }
}
