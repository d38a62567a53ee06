package dev.jepoll.cli;

import dev.jepoll.chat.Backplane;
import dev.jepoll.chat.ChatProtocol;
import dev.jepoll.echo.EchoProtocol;
import dev.jepoll.reactor.Server;
import dev.jepoll.reactor.ServerConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;

/**
 * {@code java -jar jepoll.jar [options] <port>}: the chapter's servers from the command line.
 * Exit status: 0 after a clean shutdown (Ctrl+C, SIGTERM), 1 when the server cannot start,
 * 2 for bad arguments. Errors are one line on stderr, never a stack trace.
 */
public final class Main {
    private final PrintStream out;
    private final PrintStream err;

    Main(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    /**
     * The command line: parses, serves until Ctrl+C or SIGTERM, exits with the status.
     *
     * @param args the options, see {@code --help}
     */
    public static void main(String[] args) {
        Main main = new Main(System.out, System.err);
        int status = main.run(args, Stop.onSignals());
        System.exit(status);
    }

    /**
     * The command the user ran, for the hints: there is no {@code jepoll} program to tell them
     * to run. {@code -Djepoll.command} says it when a wrapper knows better; otherwise the JVM's
     * own record of its command line gives the jar ({@code java -jar target/jepoll.jar}).
     */
    static String command() {
        String given = System.getProperty("jepoll.command");
        if (given != null && !given.isBlank()) {
            return given;
        }
        String launched = System.getProperty("sun.java.command", "");
        String first = launched.isEmpty() ? "" : launched.split(" ", 2)[0];
        return first.endsWith(".jar") && launchedFrom(first) ? "java -jar " + first : "java " + Main.class.getName();
    }

    /** Whether {@code jar} is where this class came from (not, say, a test runner's own jar). */
    private static boolean launchedFrom(String jar) {
        try {
            java.security.CodeSource source = Main.class.getProtectionDomain().getCodeSource();
            return source != null && java.nio.file.Path.of(source.getLocation().toURI()).toAbsolutePath()
                    .equals(java.nio.file.Path.of(jar).toAbsolutePath());
        } catch (java.net.URISyntaxException | RuntimeException e) {
            return false;
        }
    }

    /** Parses, starts, serves until {@code stop} fires, and returns the exit status. */
    int run(String[] args, Stop stop) {
        Options options;
        try {
            options = Options.parse(args, out, err);
        } catch (UsageException e) {
            err.println("jepoll: error: " + e.getMessage());
            err.println("Try '" + command() + " --help' for the options.");
            return 2;
        }
        if (options.help()) {
            out.print(Options.usage(command()));
            return 0;
        }
        ServerConfig config = options.server();
        Backplane backplane;
        try {
            backplane = options.backplane() == null ? Backplane.NONE
                    : Backplane.open(options.backplane(), options.cluster(), line -> err.println("jepoll: " + line));
        } catch (IllegalStateException e) {
            err.println("jepoll: error: " + e.getMessage());
            return 1;
        } catch (IOException e) {
            err.println("jepoll: error: backplane: " + e.getMessage());
            return 1;
        }
        try {
            return serve(options, config, backplane, stop);
        } finally {
            backplane.close();
        }
    }

    private int serve(Options options, ServerConfig config, Backplane backplane, Stop stop) {
        Server server;
        ChatProtocol chat = options.app() == App.CHAT ? new ChatProtocol(options.chat(), backplane) : null;
        try {
            server = Server.start(config, chat != null ? chat : new EchoProtocol());
        } catch (IllegalStateException e) {
            err.println("jepoll: error: " + e.getMessage());
            return 1;
        } catch (IOException e) {
            err.println("jepoll: error: cannot listen on " + HostPort.of(config.bindAddress(), config.port()) + ": "
                    + e.getMessage());
            return 1;
        } catch (OutOfMemoryError e) {
            err.println("jepoll: error: cannot allocate the " + config.bufferSize() + "-byte read buffer: "
                    + e.getMessage());
            return 1;
        }
        banner(options, server);
        if (backplane != Backplane.NONE) {
            out.println("backplane: " + backplane.describe());
        }
        watchForLoopFailure(server, stop);
        if (options.statsSeconds() > 0) {
            StatsPrinter.start(server, out, options.statsSeconds(),
                    backplane == Backplane.NONE ? null : () -> "remote[" + backplane.stats().summary() + "]");
        }
        stop.await();
        boolean loopFailed = server.isTerminated(); // stopped before anyone asked it to
        try {
            server.shutdown(Duration.ofMillis(options.graceMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        dev.jepoll.reactor.Counters totals = server.counters();
        out.println("summary: " + totals.summary());
        if (server.loopCount() > 1) {
            out.print(LoopShares.describe(server.loopCounters()));
        }
        if (backplane != Backplane.NONE) {
            out.println("backplane: " + backplane.stats().summary());
        }
        long dropped = totals.get(dev.jepoll.reactor.Counter.BYTES_DROPPED);
        if (dropped > 0) {
            out.println("dropped: " + dropped + " bytes owed to " + totals.get(dev.jepoll.reactor.Counter.CLOSES_DROPPING_BYTES)
                    + " clients that were closed before they could receive them (resets, or --grace over)");
        }
        if (loopFailed || server.failure() != null) {
            err.println("jepoll: error: an event loop stopped unexpectedly (" + server.failure()
                    + "); the server closed its listener and every connection");
            return 1;
        }
        return 0;
    }

    /** A loop that dies on its own must end the process, not leave it waiting for a signal. */
    private static void watchForLoopFailure(Server server, Stop stop) {
        Thread watcher = new Thread(() -> {
            try {
                while (!server.awaitAnyLoopEnd(Duration.ofDays(1))) {
                    // keep waiting
                }
                stop.fire();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "jepoll-loop-watcher");
        watcher.setDaemon(true);
        watcher.start();
    }


    private void banner(Options options, Server server) {
        ServerConfig c = options.server();
        out.printf(Locale.ROOT, "jepoll %s server on %s (mode %s, %d %s, buffer %d bytes, max events %d,"
                        + " watermarks %d/%d bytes)%n",
                options.app().name().toLowerCase(Locale.ROOT), HostPort.of(c.bindAddress(), server.port()),
                c.mode().name().toLowerCase(Locale.ROOT), c.loops(), c.loops() == 1 ? "loop" : "loops",
                c.bufferSize(), c.maxEvents(), c.lowWatermark(), c.highWatermark());
        out.println("selector: " + server.backendDescription());
        if (c.bindAddress().isAnyLocalAddress()) {
            out.println("listening on every interface: other machines can connect (--bind 127.0.0.1 keeps it to this one)");
        }
        if (server.selectorMismatch() != null) {
            err.println("jepoll: warning: " + server.selectorMismatch());
        }
    }
}
