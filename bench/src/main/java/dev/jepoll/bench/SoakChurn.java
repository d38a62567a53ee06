package dev.jepoll.bench;

import java.io.IOException;
import java.net.Socket;

/**
 * Echo, connect/close churn, about 20 connections a second, in turn: connect and close at once
 * (the server may not even have accepted yet); connect, exchange 1 to 100 bytes (checked) and
 * close; connect and reset at once (SO_LINGER 0, nothing in flight). What the server must show
 * for it: descriptors and connections back where they were once the churn stops.
 */
final class SoakChurn extends SoakBehaviour {
    private final byte[] sent = new byte[100];
    private final byte[] echo = new byte[100];
    private long turn;

    SoakChurn(Soak.Run run) {
        super("churn", run);
    }

    @Override
    void loop() throws InterruptedException {
        while (running()) {
            try (Socket s = connect(5_000)) {
                switch ((int) (turn++ % 3)) {
                    case 0 -> count("connect_close");
                    case 1 -> exchange(s);
                    default -> {
                        s.setSoLinger(true, 0);
                        count("connect_reset");
                    }
                }
            } catch (IOException e) {
                fail("connection " + turn + ": " + e);
            }
            pause(50);
        }
    }

    private void exchange(Socket s) throws IOException {
        int size = 1 + random.nextInt(sent.length);
        random.nextBytes(sent);
        s.getOutputStream().write(sent, 0, size);
        int got = readFully(s.getInputStream(), echo, size);
        int diff = firstDifference(sent, echo, got);
        if (diff >= 0 || got < size) {
            fail("connection " + turn + ": echo of " + size + " bytes " + (diff >= 0 ? "wrong at byte " + diff
                    : "cut short at " + got));
        } else {
            count("connect_echo_close");
            add("bytes_checked", size);
        }
    }
}
