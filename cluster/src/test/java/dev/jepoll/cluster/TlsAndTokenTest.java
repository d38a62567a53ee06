package dev.jepoll.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The other ways in: a token in the address, and {@code tls://} handed to the client as it is,
 * with the JVM's trust store deciding which broker to trust; an untrusted broker is a one-line
 * error and exit 1, since retrying cannot fix it.
 */
class TlsAndTokenTest {
    @Test
    void aTokenInTheAddressJoinsTheCluster() throws Exception {
        try (NatsBroker broker = NatsBroker.launch("--auth", "t0ken");
             Node a = new Node(broker.url("t0ken"), "token", 1);
             Node b = new Node(broker.url("t0ken"), "token", 1);
             LineClient a1 = new LineClient(a.port());
             LineClient b1 = new LineClient(b.port())) {
            a.awaitMembers(1);
            b.awaitMembers(1);
            StoppedNodeTest.sayUntilHeard(a1, b1, "[token] ", new ArrayList<>());
        }
    }

    @Test
    void tlsIsPassedToTheClientAndAnUntrustedBrokerIsOneLineAndStatusOne(@TempDir Path dir) throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/openssl")), "openssl is needed to make the broker's certificate");
        run(dir, "/usr/bin/openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "key.pem", "-out", "cert.pem",
                "-days", "1", "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1");
        run(dir, Path.of(System.getProperty("java.home"), "bin", "keytool").toString(), "-importcert", "-file", "cert.pem",
                "-keystore", "trust.p12", "-storetype", "PKCS12", "-storepass", "changeit", "-noprompt");
        List<String> trust = List.of("-Djavax.net.ssl.trustStore=" + dir.resolve("trust.p12"),
                "-Djavax.net.ssl.trustStorePassword=changeit");
        try (NatsBroker broker = NatsBroker.launch("--tls", "--tlscert", dir.resolve("cert.pem").toString(),
                "--tlskey", dir.resolve("key.pem").toString())) {
            String url = broker.url().replace("nats://", "tls://");
            try (NodeProcess a = new NodeProcess(trust, "--loops", "1", "--backplane", url, "--cluster", "tls");
                 NodeProcess b = new NodeProcess(trust, "--loops", "1", "--backplane", url, "--cluster", "tls");
                 LineClient a1 = new LineClient(a.port());
                 LineClient b1 = new LineClient(b.port())) {
                assertTrue(a.awaitLine(l -> l.startsWith("backplane: tls://"), 10).endsWith(", connected"));
                StoppedNodeTest.sayUntilHeard(a1, b1, "[tls] ", new ArrayList<>());
            }
            Process untrusting = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", NodeProcess.classPath(), "dev.jepoll.cli.Main", "--app", "chat", "--port", "0",
                    "--backplane", url).start();
            assertTrue(untrusting.waitFor(30, TimeUnit.SECONDS));
            List<String> err = new String(untrusting.getErrorStream().readAllBytes()).lines().toList();
            assertEquals(1, untrusting.exitValue(), "err: " + err);
            assertEquals(1, err.size(), "one line: " + err);
            assertTrue(err.get(0).startsWith("jepoll: error: backplane: TLS with tls://127.0.0.1:"), err.get(0));
        }
    }

    private static void run(Path dir, String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, String.join(" ", command) + ": " + output);
    }
}
