package dev.jepoll.torture;

import dev.jepoll.reactor.SelectorKind;
import dev.jepoll.reactor.TriggerMode;
import dev.jepoll.testsupport.Backends;
import java.util.List;
import java.util.Random;

/**
 * The matrix, drawn from one seed: {backend} x {level, edge} x {1, 2, 4 loops} x {default,
 * tight budget} x {buffer 4 B .. 1 MiB} x {echo, chat}, and a load for each that reaches the
 * limits (chat lines up to the 64 KiB line limit, past the 64 KiB publish mark and across block
 * boundaries; echo payloads of megabytes, past the 64 KiB scratch area and through a full
 * socket) while staying a few seconds long. The same seed makes the same combination, so a
 * failure is replayed from its seed alone; jqwik draws the seeds in {@link TortureProperties},
 * {@code make torture} draws them at random for as long as it is given.
 */
final class Combinations {
    /** Bytes a load may move in all, so that one trial lasts seconds, not minutes. */
    private static final long MAX_BYTES_MOVED = 64L * 1024 * 1024;
    private static final int[] BUFFERS = {4, 7, 1024, 4096, 64 * 1024, 64 * 1024, 64 * 1024, 128 * 1024, 1024 * 1024};
    private static final int[] PAYLOADS = {1, 100, 64 * 1024, 64 * 1024 + 1, 1 << 20, 4 << 20};
    private static final int[] PIECES = {1, 1000, 64 * 1024, 1 << 20};

    private Combinations() {
    }

    /** The combination {@code seed} stands for, on the backends this JVM runs. */
    static Combination of(long seed) {
        Random r = new Random(seed);
        List<SelectorKind> backends = Backends.available();
        SelectorKind backend = backends.get(r.nextInt(backends.size()));
        TriggerMode mode = TriggerMode.values()[r.nextInt(2)];
        int loops = new int[] {1, 2, 4}[r.nextInt(3)];
        boolean tight = r.nextBoolean();
        int buffer = BUFFERS[r.nextInt(BUFFERS.length)];
        boolean chat = r.nextBoolean();
        long order = r.nextLong();
        // a small buffer reads slowly: it moves fewer bytes
        long budget = Math.min(MAX_BYTES_MOVED, (long) buffer * 50_000);
        if (chat) {
            int readers = 1 + r.nextInt(12);
            int lineBytes = switch (r.nextInt(8)) {
                case 0, 1, 2 -> 18 + r.nextInt(283);
                case 3, 4, 5 -> 1000 + r.nextInt(7001);
                default -> 60 * 1024 + r.nextInt(4 * 1024 + 2); // up to the line limit, 64 KiB and its \n
            };
            int nonReaders = r.nextInt(3);
            int burst = 1 + r.nextInt(8);
            boolean slow = r.nextInt(3) == 0;
            long perLine = (long) lineBytes * readers * readers;
            int lines = (int) Math.max(1, Math.min(200, budget / perLine));
            return new Combination(seed, backend, mode, loops, tight, buffer, true, readers, lineBytes, lines, nonReaders,
                    burst, slow, order);
        }
        int clients = 1 + r.nextInt(8);
        int piece = PIECES[r.nextInt(PIECES.length)];
        long perClient = Math.min(budget / clients, (long) piece * 100_000); // a write call per byte is slow too
        int payload = (int) Math.max(1, Math.min(PAYLOADS[r.nextInt(PAYLOADS.length)], perClient));
        int resetters = r.nextInt(3);
        return new Combination(seed, backend, mode, loops, tight, buffer, false, clients, payload, piece, resetters, 0,
                false, order);
    }
}
