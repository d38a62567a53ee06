package dev.jepoll.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A second JVM run as a user would run it: arguments in, stdout and stderr captured. */
public final class JavaProcess implements AutoCloseable {
    private final Process process;
    private final StringBuffer stdout = new StringBuffer();
    private final StringBuffer stderr = new StringBuffer();
    private final List<Thread> pumps = new ArrayList<>();

    private JavaProcess(Process process) {
        this.process = process;
        pumps.add(pump(process.getInputStream(), stdout, "stdout"));
        pumps.add(pump(process.getErrorStream(), stderr, "stderr"));
    }

    /** The java launcher of the JVM running the tests, so JDK 17 and 25 runs test themselves. */
    public static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** The server's compiled classes (set by the build for the tests). */
    public static String serverClasses() {
        return System.getProperty("jepoll.classes", "target/classes");
    }

    /** Runs the CLI's main class with {@code jvmOptions} before it and {@code args} after. */
    public static JavaProcess server(List<String> jvmOptions, String... args) throws IOException {
        return start(null, jvmOptions, serverClasses(), "dev.jepoll.cli.Main", args);
    }

    /** Runs {@code command} prefixed by a shell line (e.g. {@code ulimit -n 256}). */
    public static JavaProcess start(String shellPrefix, List<String> jvmOptions, String classpath, String mainClass,
                                    String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(javaBinary());
        command.add("-Xmx256m");
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(classpath);
        command.add(mainClass);
        command.addAll(List.of(args));
        if (shellPrefix != null) {
            StringBuilder line = new StringBuilder(shellPrefix).append(" && exec");
            for (String part : command) {
                line.append(" '").append(part.replace("'", "'\\''")).append('\'');
            }
            command = List.of("/bin/sh", "-c", line.toString());
        }
        return new JavaProcess(new ProcessBuilder(command).start());
    }

    private static Thread pump(InputStream in, StringBuffer into, String name) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[8192];
            try (in) {
                int n;
                while ((n = in.read(buf)) >= 0) {
                    into.append(new String(buf, 0, n, StandardCharsets.UTF_8));
                }
            } catch (IOException e) {
                // the process is gone; what was read stays
            }
        }, "pump-" + name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    public String stdout() {
        return stdout.toString();
    }

    public String stderr() {
        return stderr.toString();
    }

    public OutputStream stdin() {
        return process.getOutputStream();
    }

    public void awaitStdout(String text) {
        Await.until("stdout to contain '" + text + "'; stdout so far: " + stdout + " stderr: " + stderr,
                () -> stdout.indexOf(text) >= 0 || (!process.isAlive() && stdout.indexOf(text) >= 0));
    }

    public void awaitStderr(String text) {
        Await.until("stderr to contain '" + text + "'", () -> stderr.indexOf(text) >= 0);
    }

    /** The port from the two-line banner, {@code ... server on 0.0.0.0:PORT ...} then {@code selector: ...}. */
    public int awaitPort() {
        Pattern banner = Pattern.compile("server on [^ ]*:(\\d+) .*\nselector: [^\n]*\n");
        int[] port = new int[1];
        Await.until("the banner; stdout: " + stdout + " stderr: " + stderr, () -> {
            Matcher m = banner.matcher(stdout);
            if (m.find()) {
                port[0] = Integer.parseInt(m.group(1));
                return true;
            }
            if (!process.isAlive()) {
                throw new AssertionError("server exited: " + stdout + stderr);
            }
            return false;
        });
        return port[0];
    }

    /** Sends SIGTERM (through the handle: {@code Process.destroy()} would also close our end of its pipes). */
    public void terminate() {
        process.toHandle().destroy();
    }

    public int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("process did not exit within " + timeout + "; stdout: " + stdout
                    + " stderr: " + stderr);
        }
        for (Thread pump : pumps) {
            pump.join(timeout.toMillis()); // the last output, up to the pipes' EOF
        }
        return process.exitValue();
    }

    public int awaitExit() throws InterruptedException {
        return awaitExit(Await.DEFAULT);
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
