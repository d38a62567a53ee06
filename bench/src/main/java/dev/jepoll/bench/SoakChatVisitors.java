package dev.jepoll.bench;

import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Chat, members that come and go, once the core's barrier is passed: {@link #VISITORS} at a
 * time, each staying 1 to 10 s, reading everything and saying a line every 100 to 500 ms, then
 * leaving, half of them cleanly (their last line written, output shut down, and every line of
 * their own must come back before the server's EOF) and half by reset (SO_LINGER 0, lines still
 * in flight). Every 8 s one more joins, says two lines, then one longer than the 64 KiB limit:
 * it must get the server's {@code error: line too long}, then EOF; the core is owed its two
 * lines, and no one may see any of the long one. At the deadline everyone left leaves cleanly.
 */
final class SoakChatVisitors extends SoakChatRoom {
    static final int VISITORS = 4;
    private static final long EOF_WAIT = TimeUnit.SECONDS.toNanos(10);

    private static final class Visit {
        long leaveAt;
        long nextSayAt;
        boolean clean;
        long leftAt; // when it stopped speaking to leave cleanly, or 0
        boolean overlong;
    }

    private final Map<SoakChatMember, Visit> visits = new HashMap<>();

    SoakChatVisitors(Soak.Run run, SoakChatLedger ledger) {
        super("visitors", run, ledger);
    }

    @Override
    void play() throws Exception {
        if (!ledger.barrier.await(30, TimeUnit.SECONDS)) {
            return; // the core reports its failed barrier
        }
        long nextOverlong = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (running()) {
            long now = System.nanoTime();
            if (visits.values().stream().filter(v -> !v.overlong && v.leftAt == 0).count() < VISITORS) {
                arrive(now);
            }
            if (now - nextOverlong >= 0) {
                overlong();
                nextOverlong = now + TimeUnit.SECONDS.toNanos(8);
            }
            step(now);
            pump(20);
        }
        for (Visit v : visits.values()) {
            v.leaveAt = System.nanoTime(); // everyone still here leaves cleanly
            v.clean = true;
        }
        pumpUntil(() -> {
            step(System.nanoTime());
            return visits.isEmpty();
        }, EOF_WAIT / 1_000_000 + 1000);
    }

    private void arrive(long now) throws IOException {
        Visit v = new Visit();
        v.leaveAt = now + TimeUnit.MILLISECONDS.toNanos(1000 + random.nextInt(9001));
        v.clean = random.nextBoolean();
        SoakChatMember m = joinOrFail("visitor");
        if (m != null) {
            visits.put(m, v);
        }
    }

    /** A new member, or null (a failure, counted) when the server does not take the connection. */
    private SoakChatMember joinOrFail(String role) {
        int id = ledger.join();
        try {
            return join(id, role);
        } catch (IOException e) {
            ledger.vanished(id);
            fail(role + " " + id + " could not connect: " + e);
            return null;
        }
    }

    private void overlong() throws IOException {
        Visit v = new Visit();
        v.overlong = true;
        v.leaveAt = Long.MAX_VALUE;
        v.leftAt = System.nanoTime(); // nothing more to say: waiting for the error and EOF
        SoakChatMember m = joinOrFail("overlong");
        if (m == null) {
            return;
        }
        visits.put(m, v);
        m.send(SoakLines.line(m.id, 0), true);
        m.send(SoakLines.line(m.id, 1), true);
        m.send(SoakLines.overlong(m.id, 2, random.nextInt(4096)), false);
        count("overlong_sent");
    }

    /** Speaking, leaving, and giving up on a leave that gets no EOF. */
    private void step(long now) {
        for (SoakChatMember m : List.copyOf(visits.keySet())) {
            Visit v = visits.get(m);
            try {
                if (v.leftAt != 0) {
                    if (!m.outputShut && m.flushed() && !v.overlong) {
                        m.shutdownOutput(); // all it said is written: the server will read all of it
                        ledger.leftCleanly(m.id, m.said);
                    }
                    if (now - v.leftAt > EOF_WAIT) {
                        fail(m.role + " " + m.id + ": no EOF from the server 10 s after leaving");
                        gone(m, true);
                    }
                } else if (now - v.leaveAt >= 0) {
                    if (v.clean) {
                        v.leftAt = now;
                    } else {
                        count("left_by_reset");
                        gone(m, true);
                    }
                } else if (now - v.nextSayAt >= 0 && m.flushed()) {
                    m.send(SoakLines.line(m.id, m.said), true);
                    v.nextSayAt = now + TimeUnit.MILLISECONDS.toNanos(100 + random.nextInt(401));
                }
            } catch (IOException e) {
                onBroken(m, e);
            }
        }
    }

    @Override
    void onEof(SoakChatMember m) {
        Visit v = visits.get(m);
        if (v.overlong) {
            refused(m, "EOF");
            return;
        } else if (m.outputShut) {
            if (m.receivedFrom(m.id) == m.said) {
                count("left_cleanly");
            } else {
                fail("visitor " + m.id + " left cleanly and got " + m.receivedFrom(m.id) + " of its " + m.said
                        + " lines back before EOF");
            }
        } else {
            fail("visitor " + m.id + " was cut by the server while reading");
        }
        gone(m, false);
    }

    @Override
    void onBroken(SoakChatMember m, IOException e) {
        Visit v = visits.get(m);
        if (v != null && v.overlong) {
            refused(m, "reset"); // after its error line, a reset instead of EOF still says "refused"
            return;
        }
        fail(m.role + " " + m.id + ": " + e);
        gone(m, true);
    }

    /**
     * The over-long sender's end: it must have had the server's error line. Its two good lines
     * went to the room before the long one was refused, so the core is owed them; whether it
     * hears them itself is not judged: the server takes it out of the room as soon as it sees
     * the long line, and lines it said in the same read may not have been handed to it yet.
     */
    private void refused(SoakChatMember m, String how) {
        if (m.sawTooLongError) {
            count("overlong_refused_then_" + how);
            add("overlong_own_lines_back", m.receivedFrom(m.id));
            ledger.leftCleanly(m.id, 2);
        } else {
            fail("overlong " + m.id + ": " + how + " without the server's line-too-long error");
        }
        gone(m, how.equals("reset"));
    }

    private void gone(SoakChatMember m, boolean reset) {
        if (visits.remove(m) != null) {
            ledger.vanished(m.id); // no-op after leftCleanly
            leave(m, reset);
        }
    }
}
