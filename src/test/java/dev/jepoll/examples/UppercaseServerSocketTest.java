package dev.jepoll.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jepoll.reactor.SelectorKind;
import dev.jepoll.reactor.Server;
import dev.jepoll.reactor.ServerConfig;
import dev.jepoll.testsupport.Backends;
import dev.jepoll.testsupport.TestClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The README's "your own protocol" example works, and the README shows exactly this code. */
class UppercaseServerSocketTest {

    @ParameterizedTest
    @MethodSource("dev.jepoll.testsupport.Backends#all")
    void everyByteComesBackUpperCased(SelectorKind backend) throws Exception {
        Backends.assumeRuns(backend);
        ServerConfig config = ServerConfig.builder().port(0).loops(2).selector(backend, true).build();
        try (Server server = Server.start(config, new UppercaseServer());
             TestClient client = TestClient.connect(server.port())) {
            byte[] sent = "hello, jepoll! 안녕\n".getBytes(StandardCharsets.UTF_8);
            client.write(sent, 0, 5);
            client.write(sent, 5, sent.length - 5);
            byte[] expected = "HELLO, JEPOLL! 안녕\n".getBytes(StandardCharsets.UTF_8);
            assertArrayEquals(expected, client.readExactly(expected.length));
        }
    }

    @Test
    void theReadmeShowsThisExampleAsItIs() throws Exception {
        String readme = Files.readString(Path.of("docs/internals.md"));
        String source = Files.readString(Path.of("src/test/java/dev/jepoll/examples/UppercaseServer.java"));
        int from = readme.indexOf("```java\npackage dev.jepoll.examples;");
        int to = readme.indexOf("```", from + 7);
        assertEquals(source, readme.substring(from + "```java\n".length(), to),
                "docs/internals.md's example must be src/test/java/dev/jepoll/examples/UppercaseServer.java, verbatim");
    }
}
