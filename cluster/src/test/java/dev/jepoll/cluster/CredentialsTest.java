package dev.jepoll.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** User and password in the address: the right ones join, a wrong one is a one-line error and exit 1. */
class CredentialsTest {
    @Test
    void theRightPasswordJoinsTheCluster() throws Exception {
        try (NatsBroker broker = NatsBroker.launch("--user", "alice", "--pass", "s3cret");
             Node a = new Node(broker.url("alice:s3cret"), "auth", 1);
             Node b = new Node(broker.url("alice:s3cret"), "auth", 1);
             LineClient a1 = new LineClient(a.port());
             LineClient b1 = new LineClient(b.port())) {
            assertTrue(a.stats().connected());
            assertFalse(a.backplane.describe().contains("s3cret"), "no password in the banner: " + a.backplane.describe());
            a.awaitMembers(1);
            b.awaitMembers(1);
            StoppedNodeTest.sayUntilHeard(a1, b1, "[auth] ", new ArrayList<>());
        }
    }

    @Test
    void aPasswordIsNeverLoggedEvenWhenTheClientQuotesTheAddress() throws Exception {
        try (NatsBroker broker = NatsBroker.launch()) {
            broker.kill(); // unreachable: the client's message quotes the address it tried
            try (Node a = new Node(broker.url("alice:pa55word"), "quiet", 1)) {
                assertTrue(a.log.stream().anyMatch(l -> l.contains("cannot reach")), a.log.toString());
                assertTrue(a.log.stream().noneMatch(l -> l.contains("pa55word")), a.log.toString());
                assertFalse(a.backplane.describe().contains("pa55word"));
            }
        }
    }

    @Test
    void aWrongPasswordIsOneLineAndExitStatusOne() throws Exception {
        try (NatsBroker broker = NatsBroker.launch("--user", "alice", "--pass", "s3cret")) {
            Process node = new ProcessBuilder(java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", NodeProcess.classPath(), "dev.jepoll.cli.Main", "--app", "chat", "--port", "0",
                    "--backplane", broker.url("alice:wrong")).start();
            assertTrue(node.waitFor(30, TimeUnit.SECONDS), "the node gave up at once");
            List<String> err = new String(node.getErrorStream().readAllBytes()).lines().toList();
            String out = new String(node.getInputStream().readAllBytes());
            assertEquals(1, node.exitValue());
            assertEquals(1, err.size(), "one line: " + err);
            assertTrue(err.get(0).startsWith("jepoll: error: backplane: nats://***@127.0.0.1:"), err.get(0));
            assertTrue(err.get(0).contains("refused the credentials"), err.get(0));
            assertFalse(err.get(0).contains("wrong"), "the password is not repeated: " + err.get(0));
            assertEquals("", out, "no server started");
        }
    }
}
