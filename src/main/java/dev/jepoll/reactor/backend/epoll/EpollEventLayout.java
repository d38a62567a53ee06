package dev.jepoll.reactor.backend.epoll;

import java.util.Locale;

/**
 * Where the fields of Linux's {@code struct epoll_event} lie on this machine. The kernel
 * declares it packed on x86_64 ({@code uint32_t events} at 0, {@code uint64_t data} at 4,
 * 12 bytes), and naturally aligned elsewhere ({@code data} at 8, 16 bytes). The native
 * backend supports the two architectures it knows and refuses every other with one line,
 * rather than guess a layout and read garbage.
 */
record EpollEventLayout(String arch, int size, int eventsOffset, int dataOffset) {

    /** The layout for {@code osArch} (the {@code os.arch} property). */
    static EpollEventLayout forArch(String osArch) {
        String arch = osArch.toLowerCase(Locale.ROOT);
        return switch (arch) {
            case "amd64", "x86_64" -> new EpollEventLayout("x86_64", 12, 0, 4);
            case "aarch64", "arm64" -> new EpollEventLayout("aarch64", 16, 0, 8);
            default -> throw new UnsupportedOperationException("the native backend supports Linux on x86_64 and"
                    + " aarch64; this is " + osArch);
        };
    }
}
