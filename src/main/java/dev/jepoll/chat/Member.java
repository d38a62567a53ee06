package dev.jepoll.chat;

import dev.jepoll.reactor.CloseReason;
import dev.jepoll.reactor.Link;
import dev.jepoll.reactor.Session;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** One client in the room: frames its bytes into lines for its loop's room. */
final class Member implements Session {
    final Link link;
    private final LocalRoom room;
    private final LineFramer framer;
    private final int maxLineBytes;
    /** Where this member sits in its room's list, or -1 once it has left. */
    int slot = -1;
    /** Past the slow-consumer limit and not yet back under a quarter of it: the room waits for it. */
    boolean behind;

    Member(Link link, LocalRoom room, int maxLineBytes) {
        this.link = link;
        this.room = room;
        this.framer = new LineFramer(maxLineBytes);
        this.maxLineBytes = maxLineBytes;
    }

    @Override
    public void onData(ByteBuffer data) {
        if (!framer.feed(data, room) && link.isOpen()) {
            room.publishPending(); // its good lines before the refused one: it hears them, then the error
            room.leave(this);
            String error = "error: line too long (max " + maxLineBytes + " bytes); closing\n";
            link.enqueue(ByteBuffer.wrap(error.getBytes(StandardCharsets.UTF_8)));
            link.closeAfterFlush(CloseReason.LINE_TOO_LONG, "sent a line longer than " + maxLineBytes + " bytes");
        }
    }

    /** A last line without {@code \n} is still delivered, with the {@code \n} added. */
    @Override
    public void onInputClosed() {
        framer.finish(room);
        room.leaveAfterPublish(this);
    }

    @Override
    public void onClosed(CloseReason reason) {
        room.leave(this);
    }

    /** The room's flow control: nothing while it waits for someone, and lines in flight are bounded. */
    @Override
    public long inputAllowance() {
        return room.inputAllowance();
    }

    /** Its queue drained to a quarter of the slow-consumer limit: no longer behind. */
    @Override
    public void onDrained() {
        room.caughtUp(this);
    }

    /** A line not yet ended, up to the max line: counted against the server's memory budget. */
    @Override
    public long heldBytes() {
        return framer.heldBytes();
    }
}
