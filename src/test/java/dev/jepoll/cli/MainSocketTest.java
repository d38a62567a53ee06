package dev.jepoll.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jepoll.testsupport.Await;
import dev.jepoll.testsupport.TestClient;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The command line in-process: every bad input is one line and a non-zero status. */
class MainSocketTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final Main main = new Main(new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    @ParameterizedTest(name = "[{index}] {0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "''                                  | missing port",
        "abc                                 | port must be a number, got 'abc'",
        "70000                               | port must be 0..65535, got 70000",
        "-1                                  | port must be 0..65535, got -1",
        "9190 9191                           | unexpected argument '9191'",
        "--port                              | --port needs a value",
        "--port 9190 --mode sideways         | --mode must be level|edge, got 'sideways'",
        "--port 9190 --app irc               | --app must be echo|chat, got 'irc'",
        "--port 9190 --selector kqueue       | --selector must be epoll|poll, got 'kqueue'",
        "--port 9190 --buffer 0              | --buffer must be at least 1 byte, got 0",
        "--port 9190 --buffer 3000m          | --buffer must be at most 64m, got 3000m",
        "--port 9190 --trace=0               | --trace takes no value, got '--trace=0'",
        "--port 9190 --port 9191             | --port is given twice (each option may be given once)",
        "--port 9190 --mode edge --mode level | --mode is given twice",
        "9190 --port 9191                    | --port is given twice",
        "--port=+9190                        | port must be a number, got '+9190'",
        "--port 9190 --loops +2              | --loops must be a whole number, got '+2'",
        "--port 9190 --bind=                 | --bind needs a value, got an empty one",
        "--port 9190 --help=yes              | --help takes no value, got '--help=yes'",
        "--port 9190 --write-timeout 86401   | --write-timeout must be 0..86400, got 86401",
        "--port 9190 --memory-budget 1k      | --memory-budget must be at least 256k, got 1k",
        "--port 9190 --buffer lots           | --buffer must be a size in bytes such as 4, 8k or 1m, got 'lots'",
        "--port 9190 --max-events 0          | --max-events must be 1..65536, got 0",
        "--port 9190 --max-events 99999999999 | --max-events must be 1..65536, got 99999999999",
        "--port 9190 --max-events 65537      | --max-events must be 1..65536, got 65537",
        "--port 9190 --max-connections x     | --max-connections must be a whole number, got 'x'",
        "--port 9190 --high-watermark 8k --low-watermark 8k | low watermark must be below the high watermark",
        "--port 9190 --app chat --max-line 64k --slow-consumer-limit 32k | slow-consumer limit (32768) must be larger than the max line",
        "--port 9190 --frobnicate            | unknown option '--frobnicate'",
        "-p 9190                             | unknown option '-p' (options are spelled out",
        "9190 -loops 2                       | unknown option '-loops'",
        "--port 9190 --buffer 100m           | --buffer must be at most 64m, got 100m",
    })
    void badInputIsOneClearLineAndStatusTwo(String args, String expected) {
        String[] argv = args.isBlank() ? new String[0] : args.trim().split("\\s+");
        assertEquals(2, main.run(argv, new Stop()));
        String[] lines = err().split("\n");
        assertTrue(lines[0].startsWith("jepoll: error: ") && lines[0].contains(expected), err());
        assertEquals(2, lines.length, "an error line and a hint: " + err());
        assertFalse(err().contains("Exception") || err().contains("\tat "), err());
    }

    /** There is no {@code jepoll} program: the hint names what the user ran. */
    @Test
    void theHintNamesTheCommandTheUserRan() {
        String before = System.getProperty("jepoll.command");
        try {
            System.setProperty("jepoll.command", "make run-server ARGS=...");
            assertEquals(2, main.run(new String[] {"--port", "x"}, new Stop()));
            assertTrue(err().endsWith("Try 'make run-server ARGS=... --help' for the options.\n"), err());
            System.clearProperty("jepoll.command");
            assertEquals("java dev.jepoll.cli.Main", Main.command()); // surefire starts no jar
            assertEquals(0, main.run(new String[] {"--help"}, new Stop()));
            assertTrue(out().startsWith("Usage: java dev.jepoll.cli.Main [options] <port>"), out());
        } finally {
            if (before != null) {
                System.setProperty("jepoll.command", before);
            }
        }
    }

    @Test
    void aPortInUseIsOneLineAndStatusOne() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            assertEquals(1, main.run(new String[] {"--bind", "127.0.0.1", "--port", String.valueOf(port)}, new Stop()));
            assertEquals("jepoll: error: cannot listen on 127.0.0.1:" + port + ": Address already in use\n", err());
        }
    }

    /** The server's jar alone (no cluster module on the class path): a backplane is one line and status 1. */
    @Test
    void aBackplaneWithoutItsModuleIsOneLineAndStatusOne() {
        assertEquals(1, main.run(new String[] {"--app", "chat", "--backplane", "nats://127.0.0.1:4222", "0"}, new Stop()));
        assertEquals("jepoll: error: --backplane nats://...: no backplane module on the class path (run it with make"
                + " run-server APP=chat BACKPLANE=..., which adds cluster/)\n", err());
        assertEquals("", out(), "no server started");
    }

    @ParameterizedTest
    @CsvSource({"--help", "-h", "'9190 --mode sideways -h'"})
    void helpListsTheOptionsWhateverElseIsOnTheLine(String args) {
        assertEquals(0, main.run(args.split(" "), new Stop()));
        assertEquals("", err());
        for (String option : new String[] {"--port", "--bind", "--app", "--mode", "--buffer", "--edge-read-budget", "--max-events",
                "--selector", "--high-watermark", "--low-watermark", "--max-connections", "--backlog",
                "--no-tcp-nodelay", "--send-buffer", "--max-line", "--slow-consumer-limit", "--stall-timeout", "--grace", "--trace"}) {
            assertTrue(out().contains(option), option);
        }
    }

    @Test
    void theChaptersSinglePortArgumentServesUntilStopped() throws Exception {
        Stop stop = new Stop();
        AtomicInteger status = new AtomicInteger(-1);
        Thread running = new Thread(() -> status.set(main.run(new String[] {"0"}, stop)), "cli");
        running.start();
        try {
            Pattern banner = Pattern.compile("jepoll echo server on 127\\.0\\.0\\.1:(\\d+) \\(mode edge.*\nselector: [^\n]*\n");
            Await.until("banner", () -> banner.matcher(out()).find());
            Matcher m = banner.matcher(out());
            assertTrue(m.find());
            assertTrue(out().contains("selector: sun.nio.ch.EPollSelectorProvider -> sun.nio.ch.EPollSelectorImpl"),
                    out());
            try (TestClient client = TestClient.connect(Integer.parseInt(m.group(1)))) {
                client.write(new byte[] {1, 2, 3});
                assertArrayEquals(new byte[] {1, 2, 3}, client.readExactly(3));
            }
        } finally {
            stop.fire();
            running.join(30_000);
        }
        assertEquals(0, status.get());
        assertTrue(out().contains("summary: wakeups="), out());
    }

    /** Java 22+: the banner names the native backend and its epoll fd; before: one line and status 1. */
    @Test
    void theNativeSelectorIsNamedInTheBannerOrRefusedInOneLine() throws Exception {
        String why = dev.jepoll.reactor.SelectorKind.NATIVE.unavailableReason();
        String[] args = {"--port", "0", "--bind", "127.0.0.1", "--selector", "native", "--loops", "1"};
        if (why != null) {
            assertEquals(1, main.run(args, new Stop()));
            assertEquals("jepoll: error: " + why + "\n", err());
            return;
        }
        Stop stop = new Stop();
        AtomicInteger status = new AtomicInteger(-1);
        Thread running = new Thread(() -> status.set(main.run(args, stop)), "cli");
        running.start();
        try {
            Await.until("banner", () -> out().contains("selector: native epoll through java.lang.foreign"));
            assertTrue(Pattern.compile("epoll fd \\d+; connections registered EPOLLIN\\|EPOLLRDHUP\\|EPOLLET")
                    .matcher(out()).find(), out());
        } finally {
            stop.fire();
            running.join(30_000);
        }
        assertEquals(0, status.get());
        assertEquals("", err());
    }
}
