package dev.jepoll.clients;

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

/**
 * A client run the way a user runs it: its own JVM, stdin written by the test, stdout and
 * stderr collected by threads of their own (so the child never blocks on a full pipe) and
 * searched with a deadline. Closing destroys whatever is still running.
 */
final class ClientProcess implements AutoCloseable {
    /** Generous, for a loaded two-core machine starting several JVMs at once. */
    static final Duration DEADLINE = Duration.ofSeconds(20);
    /** The one address the tests use, for servers and clients alike. */
    static final String LOOPBACK = "127.0.0.1";

    private final String description;
    private final Process process;
    private final OutputStream stdin;
    private final Output stdout;
    private final Output stderr;

    private ClientProcess(String description, Process process) {
        this.description = description;
        this.process = process;
        this.stdin = process.getOutputStream();
        this.stdout = Output.collect(process.getInputStream(), description + " stdout");
        this.stderr = Output.collect(process.getErrorStream(), description + " stderr");
    }

    /** Starts {@code client}'s main with {@code args}, from the classes Maven compiled the tests to. */
    static ClientProcess start(Class<?> client, String... args) throws IOException {
        String classes = Objects.requireNonNull(System.getProperty("jepoll.test-classes"),
                "jepoll.test-classes is not set; run the tests through Maven (surefire sets it)");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                // Small, quick-starting JVMs: a test run starts dozens of them.
                "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-cp", classes, client.getName()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        Map<String, String> env = builder.environment();
        // The launcher announces these options on stderr, which the tests check is clean.
        env.remove("JAVA_TOOL_OPTIONS");
        env.remove("JDK_JAVA_OPTIONS");
        env.remove("_JAVA_OPTIONS");
        // An ASCII-only locale: the clients must speak UTF-8 without help from the platform.
        env.put("LC_ALL", "C");
        return new ClientProcess(client.getSimpleName() + " " + String.join(" ", args), builder.start());
    }

    /** Writes {@code text} to the client's stdin, as if typed. */
    void type(String text) throws IOException {
        stdin.write(text.getBytes(StandardCharsets.UTF_8));
        stdin.flush();
    }

    /** Closes the client's stdin: end of input, as Ctrl-D or the end of a pipe. */
    void endInput() throws IOException {
        stdin.close();
    }

    /** Waits until stdout contains {@code expected}; fails with everything collected if the deadline passes. */
    void awaitStdout(String expected) throws InterruptedException {
        if (!stdout.awaitContains(expected, deadline())) {
            fail(this + " did not print " + quoted(expected) + " within " + DEADLINE);
        }
    }

    /** Waits for the client to exit and for its output to be read to the end; returns its exit status. */
    int awaitExit() throws InterruptedException {
        long deadline = deadline();
        if (!process.waitFor(DEADLINE.toMillis(), TimeUnit.MILLISECONDS)) {
            fail(this + " did not exit within " + DEADLINE);
        }
        if (!stdout.awaitEnd(deadline) || !stderr.awaitEnd(deadline)) {
            fail(this + " exited, but its output did not end within " + DEADLINE);
        }
        return process.exitValue();
    }

    String stdout() {
        return stdout.text();
    }

    String stderr() {
        return stderr.text();
    }

    /** A client must report every failure in words: no exception names, no stack frames. */
    void assertNoStackTrace() {
        String err = stderr();
        assertFalse(err.contains("Exception") || err.contains("\tat "), () -> this + " printed a stack trace");
    }

    @Override
    public void close() {
        try {
            stdin.close();
        } catch (IOException ignored) {
            // the client already exited and closed its end
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
        synchronized boolean awaitContains(String expected, long deadline) throws InterruptedException {
            while (!text().contains(expected) && !ended) {
                if (!waitUntil(deadline)) {
                    return false;
                }
            }
            return text().contains(expected);
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
