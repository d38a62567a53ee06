package dev.jepoll.testsupport;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A program run the way a user runs it: its own JVM, stdin written by the test, stdout and
 * stderr collected by threads of their own (so the child never blocks on a full pipe) and
 * searched with a deadline. Closing destroys whatever is still running.
 */
public final class JavaProcess implements AutoCloseable {
    /** Generous, for a loaded two-core machine starting several JVMs at once. */
    public static final Duration DEADLINE = Await.DEFAULT;
    /** The one address the tests use, for servers and clients alike. */
    public static final String LOOPBACK = "127.0.0.1";
    private static final Pattern BANNER = Pattern.compile("server on [^ ]*:(\\d+) .*\\nselector: [^\\n]*\\n");

    private final String description;
    private final Process process;
    private final OutputStream stdin;
    private final Output stdout;
    private final Output stderr;

    private JavaProcess(String description, Process process) {
        this.description = description;
        this.process = process;
        this.stdin = process.getOutputStream();
        this.stdout = Output.collect(process.getInputStream(), description + " stdout");
        this.stderr = Output.collect(process.getErrorStream(), description + " stderr");
    }

    /** A client's main, from the classes Maven compiled the tests (and test-clients) to. */
    public static JavaProcess client(Class<?> main, String... args) throws IOException {
        return start(null, List.of(), property("jepoll.test-classes"), main.getName(), args);
    }

    /** The server's command line, {@code dev.jepoll.cli.Main}, with {@code jvmOptions} before it. */
    public static JavaProcess server(List<String> jvmOptions, String... args) throws IOException {
        return start(null, jvmOptions, serverClasses(), "dev.jepoll.cli.Main", args);
    }

    /** The directory of the server's compiled classes, its Java 22 layer under {@code META-INF/versions/22}. */
    public static Path serverClassesDirectory() {
        return Path.of(property("jepoll.classes"));
    }

    /**
     * The server's compiled classes, with the Java 22 layer (the native backend) when this JVM
     * can load it: a directory, unlike the jar, does not resolve {@code META-INF/versions}.
     */
    public static String serverClasses() {
        String classes = property("jepoll.classes");
        String java22 = System.getProperty("jepoll.java22-classes");
        boolean layer = java22 != null && Runtime.version().feature() >= 22 && new java.io.File(java22).isDirectory();
        return layer ? classes + java.io.File.pathSeparator + java22 : classes;
    }

    /**
     * Runs {@code mainClass}; with a {@code shellPrefix} (such as {@code ulimit -n 64}) the JVM
     * is exec'd by {@code /bin/sh} after it.
     */
    public static JavaProcess start(String shellPrefix, List<String> jvmOptions, String classpath, String mainClass,
                                    String... args) throws IOException {
        return start(shellPrefix, List.of(), jvmOptions, classpath, mainClass, args);
    }

    /**
     * As above, the JVM run by {@code wrapper} (such as {@code strace -f -o FILE}): the process
     * is then the wrapper's, and {@link #terminateJava()} signals the JVM under it.
     */
    public static JavaProcess start(String shellPrefix, List<String> wrapper, List<String> jvmOptions, String classpath,
                                    String mainClass, String... args) throws IOException {
        List<String> command = new ArrayList<>(wrapper);
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // Small, quick-starting JVMs: a test run starts dozens of them.
        command.addAll(List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xmx256m"));
        if (Runtime.version().feature() >= 22) {
            command.add("--enable-native-access=ALL-UNNAMED"); // what the jar's manifest grants under java -jar
        }
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", classpath, mainClass));
        command.addAll(List.of(args));
        String description = mainClass.substring(mainClass.lastIndexOf('.') + 1) + " " + String.join(" ", args);
        if (shellPrefix != null) {
            StringBuilder line = new StringBuilder(shellPrefix).append(" && exec");
            for (String part : command) {
                line.append(" '").append(part.replace("'", "'\\''")).append('\'');
            }
            command = List.of("/bin/sh", "-c", line.toString());
            description = shellPrefix + "; " + description;
        }
        ProcessBuilder builder = new ProcessBuilder(command);
        Map<String, String> env = builder.environment();
        // The launcher announces these options on stderr, which the tests check is clean.
        env.remove("JAVA_TOOL_OPTIONS");
        env.remove("JDK_JAVA_OPTIONS");
        env.remove("_JAVA_OPTIONS");
        // An ASCII-only locale: the programs must speak UTF-8 without help from the platform.
        env.put("LC_ALL", "C");
        return new JavaProcess(description, builder.start());
    }

    private static String property(String name) {
        return Objects.requireNonNull(System.getProperty(name),
                name + " is not set; run the tests through Maven (surefire sets it)");
    }

    /** Writes {@code text} to stdin, as if typed. */
    public void type(String text) throws IOException {
        stdin.write(text.getBytes(StandardCharsets.UTF_8));
        stdin.flush();
    }

    /** Closes stdin: end of input, as Ctrl-D or the end of a pipe. */
    public void endInput() throws IOException {
        stdin.close();
    }

    /** Waits until stdout contains {@code expected}; fails with everything collected if the deadline passes. */
    public void awaitStdout(String expected) throws InterruptedException {
        if (!stdout.awaitContains(expected, deadline())) {
            fail(this + " did not print " + quoted(expected) + " within " + DEADLINE);
        }
    }

    public void awaitStderr(String expected) throws InterruptedException {
        if (!stderr.awaitContains(expected, deadline())) {
            fail(this + " did not print " + quoted(expected) + " on stderr within " + DEADLINE);
        }
    }

    /** The port from the server's two-line banner ({@code ... server on 0.0.0.0:PORT ...}, {@code selector: ...}). */
    public int awaitPort() throws InterruptedException {
        Matcher banner = stdout.awaitMatch(BANNER, deadline());
        if (banner == null) {
            fail(this + " printed no banner within " + DEADLINE);
        }
        return Integer.parseInt(banner.group(1));
    }

    /** Sends SIGTERM (through the handle: {@code Process.destroy()} would also close our end of its pipes). */
    public void terminate() {
        process.toHandle().destroy();
    }

    /** SIGTERM to the JVM itself when it runs under a wrapper (the wrapper's descendant named java). */
    public void terminateJava() {
        process.toHandle().descendants()
                .filter(p -> p.info().command().map(c -> c.endsWith("/java")).orElse(false))
                .forEach(ProcessHandle::destroy);
    }

    /** Whether the process is still running (a server that died under load is not). */
    public boolean isAlive() {
        return process.isAlive();
    }

    /** Waits for the exit and for the output to be read to the end; returns the exit status. */
    public int awaitExit() throws InterruptedException {
        long deadline = deadline();
        if (!process.waitFor(DEADLINE.toMillis(), TimeUnit.MILLISECONDS)) {
            fail(this + " did not exit within " + DEADLINE);
        }
        if (!stdout.awaitEnd(deadline) || !stderr.awaitEnd(deadline)) {
            fail(this + " exited, but its output did not end within " + DEADLINE);
        }
        return process.exitValue();
    }

    public String stdout() {
        return stdout.text();
    }

    public String stderr() {
        return stderr.text();
    }

    /** Every failure reported in words: no exception names, no stack frames. */
    public void assertNoStackTrace() {
        String err = stderr();
        assertFalse(err.contains("Exception") || err.contains("\tat "), () -> this + " printed a stack trace");
    }

    @Override
    public void close() {
        try {
            stdin.close();
        } catch (IOException ignored) {
            // the process already exited and closed its end
        }
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** What a failure message shows: the command, its state, and the end of each output. */
    @Override
    public String toString() {
        return description + " (" + (process.isAlive() ? "running" : "exit " + process.exitValue()) + ")"
                + "\n--- stdout ---\n" + tail(stdout()) + "\n--- stderr ---\n" + tail(stderr());
    }

    private static String tail(String text) {
        int shown = 4_000;
        return text.length() <= shown ? text : "[...]" + text.substring(text.length() - shown);
    }

    private static long deadline() {
        return System.nanoTime() + DEADLINE.toNanos();
    }

    private static String quoted(String s) {
        return "\"" + s.replace("\n", "\\n") + "\"";
    }

    /** Everything one of the child's output streams has produced so far. */
    private static final class Output {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private boolean ended;

        static Output collect(InputStream in, String name) {
            Output output = new Output();
            Thread reader = new Thread(() -> output.drain(in), name);
            reader.setDaemon(true);
            reader.start();
            return output;
        }

        private void drain(InputStream in) {
            byte[] chunk = new byte[8192];
            try (in) {
                for (int n = in.read(chunk); n >= 0; n = in.read(chunk)) {
                    append(chunk, n);
                }
            } catch (IOException e) {
                // the pipe broke because the process was destroyed; what was read is kept
            } finally {
                synchronized (this) {
                    ended = true;
                    notifyAll();
                }
            }
        }

        private synchronized void append(byte[] chunk, int n) {
            bytes.write(chunk, 0, n);
            notifyAll();
        }

        synchronized String text() {
            return bytes.toString(StandardCharsets.UTF_8);
        }

        /** Whether the text contained {@code expected} before {@code deadline} (a {@link System#nanoTime()}). */
        boolean awaitContains(String expected, long deadline) throws InterruptedException {
            return awaitMatch(Pattern.compile(Pattern.quote(expected)), deadline) != null;
        }

        /** The first match of {@code pattern} once the text has one, or null if the deadline or the end came first. */
        synchronized Matcher awaitMatch(Pattern pattern, long deadline) throws InterruptedException {
            Matcher m;
            while (!(m = pattern.matcher(text())).find()) {
                if (ended || !waitUntil(deadline)) {
                    return null;
                }
            }
            return m;
        }

        synchronized boolean awaitEnd(long deadline) throws InterruptedException {
            while (!ended) {
                if (!waitUntil(deadline)) {
                    return false;
                }
            }
            return true;
        }

        /** One wait for a change, bounded by the deadline; false once it has passed. */
        private boolean waitUntil(long deadline) throws InterruptedException {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
            return true;
        }
    }
}
