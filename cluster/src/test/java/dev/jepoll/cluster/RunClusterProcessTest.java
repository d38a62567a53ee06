package dev.jepoll.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
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
        ProcessOutput output = new ProcessOutput(script, "run-cluster-output");
        try {
            output.await(l -> l.contains("backplane: nats://127.0.0.1:" + natsPort) && l.endsWith(", connected"), 3, 60);
            output.await(l -> l.contains("make run-client CLIENT=chat PORT=" + (base + 2)), 1, 60);
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
            output.awaitEnd(10_000);
            List<String> said = output.lines();
            assertEquals(3, said.stream().filter(l -> l.matches("\\[node \\d+\\] backplane: sent=.*connected=true")).count(),
                    "each node said its summary while the broker was still up: " + said);
            for (int port : new int[] {natsPort, base, base + 1, base + 2}) {
                assertFalse(listening(port), "nothing is left on port " + port);
            }
        } finally {
            script.descendants().forEach(ProcessHandle::destroyForcibly);
            script.destroyForcibly();
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
