package dev.jepoll.bench;

import java.io.IOException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.List;

/**
 * The part every chat behaviour of the soak shares: its members on one selector, served on its
 * own thread (each member reads and writes at once, without a thread per direction), and what
 * happens when the server ends a connection, which each behaviour judges for itself.
 */
abstract class SoakChatRoom extends SoakBehaviour {
    final SoakChatLedger ledger;
    final List<SoakChatMember> members = new ArrayList<>();
    private Selector selector;

    SoakChatRoom(String name, Soak.Run run, SoakChatLedger ledger) {
        super(name, run);
        this.ledger = ledger;
    }

    @Override
    final void loop() throws Exception {
        try (Selector s = Selector.open()) {
            selector = s;
            try {
                play();
            } finally {
                for (SoakChatMember m : members) {
                    m.reset(); // whatever is left at the hard stop: the soak ends regardless
                }
                members.clear();
            }
        }
    }

    /** The behaviour itself; members left at its end are reset. */
    abstract void play() throws Exception;

    /** The server closed (EOF) a member's connection. */
    abstract void onEof(SoakChatMember m);

    /** A member's connection failed (a reset, typically). */
    abstract void onBroken(SoakChatMember m, IOException e);

    SoakChatMember join(int id, String role) throws IOException {
        SoakChatMember m = SoakChatMember.connect(id, role, server, selector, tally, boundedMillis(5000));
        members.add(m);
        count("joined");
        return m;
    }

    void leave(SoakChatMember m, boolean reset) {
        members.remove(m);
        if (reset) {
            m.reset();
        } else {
            m.close();
        }
    }

    /** Waits up to {@code millis} for the sockets, then reads and writes whatever is ready. */
    void pump(long millis) throws IOException {
        selector.select(Math.max(1, millis));
        for (SelectionKey key : selector.selectedKeys()) {
            SoakChatMember m = (SoakChatMember) key.attachment();
            if (!key.isValid()) {
                continue;
            }
            try {
                if (key.isReadable() && !m.read()) {
                    onEof(m);
                    continue;
                }
                if (key.isValid() && key.isWritable()) {
                    m.flush();
                }
            } catch (IOException e) {
                onBroken(m, e);
            }
        }
        selector.selectedKeys().clear();
    }

    /** Pumps until {@code done} holds or {@code millis} pass (never beyond the hard stop); whether it holds. */
    boolean pumpUntil(java.util.function.BooleanSupplier done, long millis) throws IOException {
        long end = System.nanoTime() + boundedMillis(millis) * 1_000_000L;
        while (!done.getAsBoolean()) {
            if (System.nanoTime() - end >= 0) {
                return false;
            }
            pump(20);
        }
        return true;
    }
}
