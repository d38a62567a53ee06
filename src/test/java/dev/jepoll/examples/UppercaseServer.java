package dev.jepoll.examples;

import dev.jepoll.reactor.Link;
import dev.jepoll.reactor.Protocol;
import dev.jepoll.reactor.Server;
import dev.jepoll.reactor.ServerConfig;
import dev.jepoll.reactor.Session;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;

/** Your own protocol on jepoll: every byte comes back upper-cased (ASCII), however it arrives. */
public final class UppercaseServer implements Protocol {

    @Override
    public Session open(Link link) {
        return data -> { // data is the loop's read buffer, valid during this call only
            ByteBuffer reply = ByteBuffer.allocate(data.remaining());
            while (data.hasRemaining()) {
                byte b = data.get();
                reply.put(b >= 'a' && b <= 'z' ? (byte) (b - 32) : b);
            }
            link.write(reply.flip()); // written now; what the socket does not take is queued
        };
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        ServerConfig config = ServerConfig.builder().port(9190).loops(2).build(); // 127.0.0.1
        Server server = Server.start(config, new UppercaseServer());
        System.out.println("uppercase server on " + server.address());
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                server.shutdown(Duration.ofSeconds(5)); // flush what is owed, then close
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        server.awaitTermination(Duration.ofDays(365));
    }
}
