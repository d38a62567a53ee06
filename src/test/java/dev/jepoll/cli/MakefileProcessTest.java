package dev.jepoll.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jepoll.chat.ChatConfig;
import dev.jepoll.chat.ChatProtocol;
import dev.jepoll.reactor.Server;
import dev.jepoll.reactor.ServerConfig;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a new user tripped over in the Makefile, run as the user runs it. */
class MakefileProcessTest {
    private static final long DEADLINE_SECONDS = 60;

    record Run(int status, String output) {
    }

    /** A name with a space and Hangul reaches the chat client as one argument. */
    @Test
    void aChatNameWithASpaceAndHangulIsOneArgument() throws Exception {
        try (Server server = Server.start(ServerConfig.builder().port(0).build(), new ChatProtocol(new ChatConfig(ChatConfig.DEFAULT_MAX_LINE, ChatConfig.DEFAULT_SLOW_CONSUMER_LIMIT)))) {
            Run run = make(Path.of(""), "hello\n", "run-client", "CLIENT=chat", "NAME=영희 님",
                    "PORT=" + server.port());
            assertEquals(0, run.status(), run.output());
            assertTrue(run.output().contains("[영희 님] hello"), run.output());
        }
    }

    @Test
    void anUnknownClientIsRefusedNotRunAsTheEchoClient() throws Exception {
        Run run = make(Path.of(""), "", "run-client", "CLIENT=chatt");
        assertEquals(2, run.status(), run.output());
        assertTrue(run.output().contains("CLIENT must be echo, chat or raw, got 'chatt'"), run.output());
        assertFalse(run.output().contains("EchoClient 127"), run.output());
    }

    /** A jar built on JDK 17 has no native layer: with a JDK 22+ here, make rebuilds it instead of "Nothing to be done". */
    @Test
    void aJarWithoutTheNativeLayerIsRebuiltWhenAJdk22IsHere(@TempDir Path dir) throws Exception {
        Files.copy(Path.of("Makefile"), dir.resolve("Makefile"));
        Path source = dir.resolve("src/main/java/A.java");
        Files.createDirectories(source.getParent());
        Files.writeString(source, "class A {}");
        Files.setLastModifiedTime(source, FileTime.fromMillis(System.currentTimeMillis() - 60_000));
        Path pom = Files.writeString(dir.resolve("pom.xml"), "<project/>");
        Files.setLastModifiedTime(pom, FileTime.fromMillis(System.currentTimeMillis() - 60_000));
        Path jar = dir.resolve("target/jepoll.jar");
        Files.createDirectories(jar.getParent());
        String jdk22 = "BUILD_JAVA_HOME=/opt/some-jdk-25";

        writeJar(jar, "dev/jepoll/cli/Main.class");
        Run without = make(dir, "", "-n", "build", jdk22);
        assertEquals(0, without.status(), without.output());
        assertTrue(without.output().contains("has no native layer"), without.output());

        writeJar(jar, "dev/jepoll/cli/Main.class", "META-INF/versions/22/dev/jepoll/reactor/backend/epoll/LibC.class");
        Run with = make(dir, "", "-n", "build", jdk22);
        assertEquals(0, with.status(), with.output());
        assertFalse(with.output().contains("has no native layer") || with.output().contains("package"), with.output());
    }

    private static void writeJar(Path jar, String... entries) throws IOException {
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(jar))) {
            for (String entry : entries) {
                zip.putNextEntry(new ZipEntry(entry));
                zip.closeEntry();
            }
        }
        Files.setLastModifiedTime(jar, FileTime.fromMillis(System.currentTimeMillis()));
    }

    private static Run make(Path dir, String input, String... args) throws IOException, InterruptedException {
        List<String> argv = new ArrayList<>(List.of("make", "--no-print-directory"));
        argv.addAll(List.of(args));
        Process make = new ProcessBuilder(argv).directory(dir.toAbsolutePath().toFile()).redirectErrorStream(true).start();
        try (OutputStream stdin = make.getOutputStream()) {
            stdin.write(input.getBytes(StandardCharsets.UTF_8));
        }
        byte[] output = make.getInputStream().readAllBytes();
        if (!make.waitFor(DEADLINE_SECONDS, TimeUnit.SECONDS)) {
            make.destroyForcibly();
            throw new AssertionError("make " + argv + " did not finish");
        }
        return new Run(make.exitValue(), new String(output, StandardCharsets.UTF_8));
    }
}
