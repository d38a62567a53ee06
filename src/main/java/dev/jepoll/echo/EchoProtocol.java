package dev.jepoll.echo;

import dev.jepoll.reactor.Link;
import dev.jepoll.reactor.Protocol;
import dev.jepoll.reactor.Session;

/**
 * The chapter's echo server: every byte read is written back to its sender.
 *
 * <p>Bytes go straight from the loop's read buffer to the socket; only what the socket
 * does not take at once is copied into the connection's queue (the chapter ignored such
 * partial writes and lost those bytes). The reactor's watermarks keep a client that sends
 * without reading from growing that queue without bound.
 */
public final class EchoProtocol implements Protocol {
    @Override
    public Session open(Link link) {
        return link::write;
    }
}
