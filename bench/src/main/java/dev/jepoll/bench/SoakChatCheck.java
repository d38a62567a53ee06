package dev.jepoll.bench;

import java.util.HashMap;
import java.util.Map;

/**
 * What one chat member checks of the lines it receives, against {@link SoakLines}: torn (no
 * valid header, wrong length or content), lost (a sequence number past the one expected from
 * that sender) or reordered (one before it). Which first line of a sender is expected: its
 * sequence 0 when this member was in the room before the sender spoke (the stable core, after
 * its barrier, for every sender; every member, for itself); otherwise whatever comes first,
 * and no gap after it. A short line (under 32 bytes) is the tiny sender's next line.
 */
final class SoakChatCheck {
    private final int id;
    private final String role;
    private final SoakTally tally;
    private final Map<Integer, Long> next = new HashMap<>();
    private boolean strictForAll;

    SoakChatCheck(int id, String role, SoakTally tally) {
        this.id = id;
        this.role = role;
        this.tally = tally;
    }

    void strictFromNowOn() {
        strictForAll = true;
        next.clear();
    }

    void line(byte[] b, int len) {
        int sender;
        long seq;
        if (len < SoakLines.HEADERED_MIN) {
            sender = SoakLines.TINY_SENDER;
            Long expected = expectedFrom(sender);
            if (expected == null) {
                tally.count(role + ".tiny_lines_unattributed"); // joined mid-run, sender 0 not heard yet
                return;
            }
            seq = expected;
        } else {
            long[] h = SoakLines.header(b, len);
            if (h == null || h[0] > Integer.MAX_VALUE) {
                tally.fail(role, "member " + id + " received a torn line (no valid header, " + len + " bytes)");
                return;
            }
            sender = (int) h[0];
            seq = h[1];
        }
        String wrong = SoakLines.mismatch(b, len, sender, seq);
        if (wrong != null) {
            tally.fail(role, "member " + id + " received a torn line " + sender + "." + seq + ": " + wrong);
            return;
        }
        Long expected = expectedFrom(sender);
        if (expected != null && seq != expected) {
            String what = seq > expected ? "lost " + (seq - expected) + " line(s)" : "reordered or repeated";
            tally.fail(role, "member " + id + ", from sender " + sender + ": got line " + seq + ", expected " + expected
                    + " (" + what + ")");
            tally.add(role + ".lines_lost", Math.max(0, seq - expected));
        }
        next.put(sender, seq + 1);
        tally.count(role + ".lines_checked");
        tally.add(role + ".bytes_checked", len + 1L);
    }

    /** The sequence number expected next from sender, or null while any is acceptable. */
    private Long expectedFrom(int sender) {
        Long n = next.get(sender);
        if (n == null && (strictForAll || sender == id)) {
            return 0L;
        }
        return n;
    }

    /** Lines received so far from sender, when this member has heard it from its first line. */
    long receivedFrom(int sender) {
        return next.getOrDefault(sender, 0L);
    }
}
