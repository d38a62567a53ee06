package dev.jepoll.cluster;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A jepoll chat node as its own process, as a user runs it: the server's jar, this module, the NATS client. */
final class NodeProcess implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("jepoll chat server on 127\\.0\\.0\\.1:(\\d+) ");
    private final Process process;
    private final ProcessOutput output;
    private final int port;

    NodeProcess(String... options) throws IOException {
        this(List.of(), options);
    }

    NodeProcess(List<String> jvmOptions, String... options) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx128m"));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", classPath(), "dev.jepoll.cli.Main", "--app", "chat", "--port", "0"));
        command.addAll(List.of(options));
        process = new ProcessBuilder(command).redirectErrorStream(true).start();
        output = new ProcessOutput(process, "node-output");
        Matcher m = LISTENING.matcher(output.await(l -> LISTENING.matcher(l).find(), 1, 30));
        m.find();
        port = Integer.parseInt(m.group(1));
    }

    /** What the tests run with: the server's jar, this module's classes and its libraries. */
    static String classPath() {
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        return System.getProperty("jepoll.jar", "") + java.io.File.pathSeparator + cp;
    }

    int port() {
        return port;
    }

    long pid() {
        return process.pid();
    }

    void signal(String name) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + name, String.valueOf(process.pid())).inheritIO().start();
        if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            throw new IOException("kill -" + name + " failed");
        }
    }

    String awaitLine(java.util.function.Predicate<String> test, long seconds) {
        return output.await(test, 1, seconds);
    }

    /** SIGTERM, and its exit status. */
    int stop() throws IOException, InterruptedException {
        signal("TERM");
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new AssertionError("the node did not stop within 30 s of SIGTERM");
        }
        return process.exitValue();
    }

    @Override
    public void close() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A counter from a {@code backplane: sent=.. received=.. ...} or {@code remote[...]} line. */
    static long counter(String line, String name) {
        Matcher m = Pattern.compile("\\b" + name + "=(\\d+)").matcher(line);
        if (!m.find()) {
            throw new AssertionError("no " + name + " in: " + line);
        }
        return Long.parseLong(m.group(1));
    }
}
