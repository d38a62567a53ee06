package dev.jepoll.chat;

import dev.jepoll.reactor.CloseReason;
import dev.jepoll.reactor.Link;
import dev.jepoll.reactor.Protocol;
import dev.jepoll.reactor.Session;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The chapter's exercise 7: a chat server that relays every line any client sends to every
 * connected client, the sender included. One room per server, on the server's loop thread.
 */
public final class ChatProtocol implements Protocol {
    private final ChatConfig config;
    private final ChatRoom room;

    public ChatProtocol(ChatConfig config) {
        this.config = config;
        this.room = new ChatRoom(config.slowConsumerLimit());
    }

    @Override
    public Session open(Link link) {
        room.join(link);
        return new Member(link, new LineFramer(config.maxLineBytes()));
    }

    /** One client: frames its bytes into lines and hands each to the room. */
    private final class Member implements Session {
        private final Link link;
        private final LineFramer framer;

        Member(Link link, LineFramer framer) {
            this.link = link;
            this.framer = framer;
        }

        @Override
        public void onData(ByteBuffer data) {
            boolean withinLimit = framer.feed(data, line -> {
                if (link.isOpen()) { // the room may have dropped us as a slow consumer mid-chunk
                    room.broadcast(line);
                }
            });
            if (!withinLimit && link.isOpen()) {
                room.leave(link);
                String error = "error: line too long (max " + config.maxLineBytes() + " bytes); closing\n";
                link.enqueue(ByteBuffer.wrap(error.getBytes(StandardCharsets.UTF_8)));
                link.closeAfterFlush(CloseReason.LINE_TOO_LONG,
                        "sent a line longer than " + config.maxLineBytes() + " bytes");
            }
        }

        /** A last line without {@code \n} is still delivered, with the {@code \n} added. */
        @Override
        public void onInputClosed() {
            ByteBuffer last = framer.finish();
            if (last != null) {
                room.broadcast(last);
            }
            room.leave(link);
        }

        @Override
        public void onClosed(CloseReason reason) {
            room.leave(link);
        }
    }
}
