package dev.jepoll.clients;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jepoll.testsupport.JavaProcess;

/** A client's stderr after its {@code connected to HOST:PORT} line, which every connected client prints first. */
final class ClientErrors {
    private ClientErrors() {
    }

    static String afterConnect(JavaProcess client) {
        String stderr = client.stderr();
        assertTrue(stderr.startsWith(ClientSupport.CONNECTED_TO), () -> "no connected line first: " + client);
        return stderr.substring(stderr.indexOf('\n') + 1);
    }
}
