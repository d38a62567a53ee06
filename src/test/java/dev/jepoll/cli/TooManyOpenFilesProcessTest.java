package dev.jepoll.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jepoll.testsupport.JavaProcess;
import dev.jepoll.testsupport.ServerJar;
import dev.jepoll.testsupport.TestClient;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * "Too many open files" for real: a server under {@code ulimit -n 64} is sent more
 * connections than it has descriptors. It must keep its listening socket, log once, back
 * off rather than spin, and serve again once descriptors are free.
 */
class TooManyOpenFilesProcessTest {
    private static final int CLIENTS = 100;

    @Test
    void acceptingBacksOffLogsOnceAndResumes(@TempDir Path dir) throws Exception {
        // From a jar, as users run it: classes then load through one open file, not one each.
        Path jar = ServerJar.build(dir);
        try (JavaProcess server = JavaProcess.start("ulimit -n 64", List.of(), jar.toString(),
                "dev.jepoll.cli.Main", "--port", "0", "--bind", "127.0.0.1")) {
            int port = server.awaitPort();
            // No warm-up echo: the server itself initialises its I/O path before it serves, so
            // the first client's write may already find the descriptors gone.

            List<TestClient> clients = new ArrayList<>();
            try {
                for (int i = 0; i < CLIENTS; i++) {
                    clients.add(TestClient.connect(port)); // the kernel completes these; the server can't take them all
                }
                server.awaitStderr("accept failed: Too many open files");
            } finally {
                for (TestClient c : clients) {
                    c.close();
                }
            }
            echo(port, 2); // descriptors are free again: served
            server.terminate();
            assertEquals(0, server.awaitExit());
            assertEquals(1, server.stderr().lines().filter(l -> l.contains("Too many open files")).count(),
                    server.stderr());
        }
    }

    private static void echo(int port, int value) throws IOException {
        try (TestClient client = TestClient.connect(port)) {
            client.write(new byte[] {(byte) value});
            assertArrayEquals(new byte[] {(byte) value}, client.readExactly(1));
        }
    }
}
