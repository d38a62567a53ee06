package dev.jepoll.cluster;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code nats-server} on a free loopback port, for the tests: started, killed with
 * SIGKILL, started again on the same port. Without the program the tests are skipped, with
 * one line saying how to install it; with {@code JEPOLL_REQUIRE_NATS=1} (CI) they fail instead.
 */
final class NatsBroker implements AutoCloseable {
    static final String INSTALL = "nats-server is not installed: the NATS cluster tests are skipped"
            + " (install it with: apt-get install nats-server)";
    private static boolean toldSkipping;

    private final Path binary;
    private final int port;
    private final List<String> extra;
    private final Path logFile;
    private Process process;

    private NatsBroker(Path binary, int port, List<String> extra) throws IOException {
        this.binary = binary;
        this.port = port;
        this.extra = extra;
        this.logFile = Files.createTempFile("nats-server", ".log");
    }

    /** Starts one, or skips the test (fails it under CI) when {@code nats-server} is not installed. */
    static NatsBroker launch(String... extraArgs) throws IOException {
        Path binary = find();
        if (binary == null && "1".equals(System.getenv("JEPOLL_REQUIRE_NATS"))) {
            throw new AssertionError("JEPOLL_REQUIRE_NATS=1 but " + INSTALL);
        }
        if (binary == null) {
            synchronized (NatsBroker.class) {
                if (!toldSkipping) {
                    toldSkipping = true;
                    System.err.println(INSTALL);
                }
            }
        }
        assumeTrue(binary != null, INSTALL);
        NatsBroker broker = new NatsBroker(binary, freePort(), List.of(extraArgs));
        broker.start();
        return broker;
    }

    static Path find() {
        List<String> dirs = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(":")));
        dirs.add("/usr/sbin");
        dirs.add("/usr/local/bin");
        for (String dir : dirs) {
            Path p = Path.of(dir.isEmpty() ? "." : dir, "nats-server");
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** Starts (again) on the same port and waits until it accepts connections. */
    void start() throws IOException {
        List<String> command = new ArrayList<>(List.of(binary.toString(), "-a", "127.0.0.1", "-p", String.valueOf(port)));
        command.addAll(extra);
        process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile())).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return;
            } catch (IOException notYet) {
                if (!process.isAlive()) {
                    throw new IOException("nats-server exited: " + Files.readString(logFile));
                }
                sleep(20);
            }
        }
        throw new IOException("nats-server did not listen on " + port + " within 10 s: " + Files.readString(logFile));
    }

    /** SIGKILL: the broker vanishes without a word to its clients. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    String url() {
        return "nats://127.0.0.1:" + port;
    }

    String url(String userInfo) {
        return "nats://" + userInfo + "@127.0.0.1:" + port;
    }

    @Override
    public void close() throws IOException {
        try {
            kill();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Files.deleteIfExists(logFile);
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
