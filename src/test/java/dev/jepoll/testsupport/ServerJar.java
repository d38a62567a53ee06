package dev.jepoll.testsupport;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

/**
 * The server's classes packed into a jar, for tests that run it under a small {@code ulimit -n}:
 * from a directory every class loaded opens a file of its own, and a server at its descriptor
 * cap could then fail to load the class it needs next; from a jar they all load through the one
 * descriptor the class loader keeps open, as for users running {@code java -jar}.
 */
public final class ServerJar {
    private ServerJar() {
    }

    /** Writes {@code jepoll.jar} into {@code dir} from {@link JavaProcess#serverClassesDirectory()}. */
    public static Path build(Path dir) throws IOException {
        Path classes = JavaProcess.serverClassesDirectory();
        Path jar = dir.resolve("jepoll.jar");
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MULTI_RELEASE, "true"); // as the real jar
        try (OutputStream file = Files.newOutputStream(jar);
             JarOutputStream out = new JarOutputStream(file, manifest);
             Stream<Path> paths = Files.walk(classes)) {
            for (Path p : (Iterable<Path>) paths.filter(Files::isRegularFile)::iterator) {
                out.putNextEntry(new JarEntry(classes.relativize(p).toString().replace('\\', '/')));
                Files.copy(p, out);
                out.closeEntry();
            }
        }
        return jar;
    }
}
