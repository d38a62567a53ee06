package dev.jepoll.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code make run-cluster}'s script, as a user runs it: a broker and three nodes come up on
 * consecutive ports, chat crosses all three, and one SIGTERM (what Ctrl+C does to the script)
 * stops every one of them, the nodes first, with their summaries.
 */
class RunClusterProcessTest {
    @Test
    void oneCommandRunsABrokerAndThreeNodesAndOneSignalStopsThemAll() throws Exception {
        NatsBroker.launch().close(); // skips (or fails under CI) without nats-server, like the others
        int[] ports = freePorts();
        int natsPort = ports[0];
        int base = ports[1];
        ProcessBuilder builder = new ProcessBuilder("bash", "run-cluster.sh", String.valueOf(base), String.valueOf(natsPort), "demo")
                .redirectErrorStream(true);
        builder.environment().put("NATS_SERVER", NatsBroker.find().toString());
        builder.environment().put("JAVA", Path.of(System.getProperty("java.home"), "bin", "java").toString());
        builder.environment().put("JAVA_OPTS", "-Xmx64m");
        builder.environment().put("CLASSPATH_NODES", NodeProcess.classPath());
        Process script = builder.start();
        List<String> output = new ArrayList<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(script.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    synchronized (output) {
                        output.add(line);
                        output.notifyAll();
                    }
                }
            } catch (IOException e) {
                // ended
            }
        });
        reader.start();
        try {
            awaitCount(output, l -> l.contains("backplane: nats://127.0.0.1:" + natsPort) && l.endsWith(", connected"), 3);
            awaitCount(output, l -> l.contains("make run-client CLIENT=chat PORT=" + (base + 2)), 1);
            List<LineClient> clients = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    clients.add(new LineClient(base + i));
                }
                for (int i = 0; i < 3; i++) {
                    StoppedNodeTest.sayUntilHeard(clients.get(i), clients.get((i + 1) % 3), "[node" + i + "] ", new ArrayList<>());
                }
            } finally {
                for (LineClient c : clients) {
                    c.close();
                }
            }
            new ProcessBuilder("kill", "-TERM", String.valueOf(script.pid())).start().waitFor(10, TimeUnit.SECONDS);
            assertTrue(script.waitFor(60, TimeUnit.SECONDS), "the script ended after SIGTERM");
            reader.join(10_000);
            synchronized (output) {
                assertEquals(3, output.stream().filter(l -> l.matches("\\[node \\d+\\] backplane: sent=.*connected=true")).count(),
                        "each node said its summary while the broker was still up: " + output);
            }
            for (int port : new int[] {natsPort, base, base + 1, base + 2}) {
                assertFalse(listening(port), "nothing is left on port " + port);
            }
        } finally {
            script.descendants().forEach(ProcessHandle::destroyForcibly);
            script.destroyForcibly();
        }
    }

    private static void awaitCount(List<String> output, java.util.function.Predicate<String> test, int count) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        synchronized (output) {
            while (output.stream().filter(test).count() < count) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("waited 60 s; the script said: " + output);
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(output, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError(e);
                }
            }
        }
    }

    /** A port for the broker and three consecutive ones for the nodes, all free now. */
    private static int[] freePorts() throws IOException {
        for (int attempt = 0; attempt < 100; attempt++) {
            int base = ThreadLocalRandom.current().nextInt(20_000, 60_000);
            if (free(base) && free(base + 1) && free(base + 2) && free(base + 3)) {
                return new int[] {base + 3, base};
            }
        }
        throw new IOException("no four free consecutive ports found");
    }

    private static boolean free(int port) {
        try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean listening(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
