package dev.jepoll.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Chat, the stable core: {@link SoakChatLedger#STABLE} members present the whole run, reading
 * everything and each saying a line every 100 to 400 ms (member 0 says every third one in 1 to
 * 31 bytes; see {@link SoakLines}). They start behind a barrier, as bench/c/loadgen.c's chat
 * mode does, because a connect that completed may still wait in the server's accept queue: each
 * sends {@code j<id>} and waits for its own line back (then it is in the room), then each sends
 * {@code h<id>} and waits for all the hellos. Only then does anyone else join or anything count.
 *
 * <p>At the end the core stops speaking, waits for the other behaviours' members to leave, and
 * then every core member must have every line of every core member and of every member that
 * left cleanly, from its first: that is the soak's "nothing lost" check.
 */
final class SoakChatCore extends SoakChatRoom {
    private static final int N = SoakChatLedger.STABLE;
    private final long[] nextSayAt = new long[N];
    private final Set<Integer> joined = new HashSet<>();
    private final Map<Integer, Set<Integer>> hellos = new HashMap<>();
    private boolean leaving;

    SoakChatCore(Soak.Run run, SoakChatLedger ledger) {
        super("core", run, ledger);
    }

    @Override
    void play() throws Exception {
        for (int id = 0; id < N; id++) {
            SoakChatMember m = join(id, name);
            hellos.put(id, new HashSet<>());
            m.barrierLines = line -> barrierLine(m, line);
            m.send(("j" + id + "\n").getBytes(StandardCharsets.US_ASCII), false);
        }
        if (!pumpUntil(() -> joined.size() == N, 10_000)) {
            fail("start barrier: " + joined.size() + " of " + N + " members got their own join line back in 10 s");
            return;
        }
        for (SoakChatMember m : members) {
            m.send(("h" + m.id + "\n").getBytes(StandardCharsets.US_ASCII), false);
        }
        if (!pumpUntil(() -> hellos.values().stream().allMatch(h -> h.size() == N), 10_000)) {
            fail("start barrier: not every member heard every hello in 10 s");
            return;
        }
        for (SoakChatMember m : members) {
            m.barrierLines = null;
            m.strictFromNowOn();
        }
        ledger.barrier.countDown();
        while (running()) {
            speak();
            pump(20);
        }
        judge();
    }

    private void barrierLine(SoakChatMember m, String line) {
        if (line.equals("j" + m.id)) {
            joined.add(m.id);
        } else if (line.startsWith("h")) {
            hellos.get(m.id).add(Integer.parseInt(line.substring(1)));
        } else if (!line.startsWith("j")) {
            fail("member " + m.id + " received '" + line + "' during the start barrier");
        }
    }

    private void speak() {
        long now = System.nanoTime();
        for (SoakChatMember m : List.copyOf(members)) {
            // Only once the last line is written: a member the server stopped reading waits.
            if (now - nextSayAt[m.id] >= 0 && m.flushed()) {
                try {
                    m.send(SoakLines.line(m.id, m.said), true);
                } catch (IOException e) {
                    onBroken(m, e);
                }
                nextSayAt[m.id] = now + TimeUnit.MILLISECONDS.toNanos(100 + random.nextInt(301));
            }
        }
    }

    /** After the deadline: everyone else gone, every owed line in, then leave cleanly. */
    private void judge() throws IOException {
        boolean complete = pumpUntil(() -> members.stream().allMatch(SoakChatMember::flushed)
                && ledger.openSenders() == 0 && missing(false) == 0, (DRAIN_SECONDS - 3) * 1000L);
        if (ledger.openSenders() > 0) {
            fail(ledger.openSenders() + " other member(s) still connected at the end: their lines are not judged");
        }
        if (!complete) {
            missing(true);
        }
        add("senders_judged", N + ledger.finalCounts().size());
        leaving = true;
        for (SoakChatMember m : List.copyOf(members)) {
            try {
                m.shutdownOutput();
            } catch (IOException e) {
                onBroken(m, e);
            }
        }
        if (!pumpUntil(members::isEmpty, 3000)) {
            fail(members.size() + " core member(s) got no EOF within 3 s of leaving");
        }
    }

    /** Lines owed to core members and not (yet) received; with {@code report}, one failure per receiver and sender. */
    private long missing(boolean report) {
        long total = 0;
        for (SoakChatMember r : members) {
            for (SoakChatMember s : members) {
                total += owed(r, s.id, s.said, report);
            }
            for (Map.Entry<Integer, Long> e : ledger.finalCounts().entrySet()) {
                total += owed(r, e.getKey(), e.getValue(), report);
            }
        }
        return total;
    }

    private long owed(SoakChatMember receiver, int sender, long said, boolean report) {
        long owed = said - receiver.receivedFrom(sender);
        if (owed > 0 && report) {
            fail("member " + receiver.id + " got " + receiver.receivedFrom(sender) + " of sender " + sender + "'s "
                    + said + " lines (lost)");
        }
        return Math.max(0, owed);
    }

    @Override
    void onEof(SoakChatMember m) {
        if (!leaving) {
            fail("member " + m.id + " was cut by the server while reading");
        } else {
            count("left_cleanly");
        }
        leave(m, false);
    }

    @Override
    void onBroken(SoakChatMember m, IOException e) {
        fail("member " + m.id + ": " + e);
        leave(m, true);
    }
}
