package dev.jepoll.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * This process's sockets, epoll instances and eventfds, as {@code /proc/self/fd} lists them:
 * what a server opens. (Files the JVM opens on first use of a class, a jar or a random source
 * are not the server's.)
 */
public final class OpenDescriptors {
    private OpenDescriptors() {
    }

    public static Set<String> ofThisProcess() {
        Set<String> open = new TreeSet<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            fds.forEach(fd -> {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:") || target.startsWith("anon_inode:")) {
                        open.add(fd.getFileName() + " -> " + target);
                    }
                } catch (IOException e) {
                    // closed while we looked
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return open;
    }
}
