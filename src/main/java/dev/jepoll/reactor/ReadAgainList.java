package dev.jepoll.reactor;

import java.util.ArrayList;
import java.util.List;

/**
 * A loop's connections that stopped reading before {@code EAGAIN} on a poller that reports a
 * socket once per arrival: each is read again on the next turn, once. The list is taken at the
 * start of a turn (swapped, so that those that stop early again this turn wait for the next),
 * marked due, and offered after the poller's events: a connection an event already read this
 * turn declines its turn, so no connection reads twice in one turn.
 */
final class ReadAgainList {
    private List<Connection> queued = new ArrayList<>();
    private List<Connection> due = new ArrayList<>();

    void add(Connection connection) {
        queued.add(connection);
    }

    boolean isEmpty() {
        return queued.isEmpty();
    }

    /** Start of a turn: what was queued becomes due. Returns false if nothing is. */
    boolean takeTurn() {
        if (queued.isEmpty()) {
            return false;
        }
        List<Connection> taken = queued;
        queued = due;
        due = taken;
        for (int i = 0; i < due.size(); i++) {
            due.get(i).input().readAgainDue();
        }
        return true;
    }

    /** After the poller's events: the due connections that still want their read get it. */
    void serveDue(java.util.function.Consumer<Connection> read) {
        for (int i = 0; i < due.size(); i++) {
            Connection c = due.get(i);
            if (c.input().takeReadAgainTurn() && c.state() != Connection.State.CLOSED) {
                read.accept(c);
            }
        }
        due.clear();
    }
}
