package dev.jepoll.bench;

import java.io.IOException;
import java.net.Socket;

/**
 * Echo, steady request/response: {@link #CONNECTIONS} connections open the whole run; each
 * round sends every one a message of 1 B to 16 KiB, then reads every echo back and compares it
 * byte for byte with what was sent. A wrong byte, a short echo, a close or a read that waits
 * more than 10 s is a failure (the connection is then replaced, so one fault is not counted
 * once per round ever after).
 */
final class SoakSteady extends SoakBehaviour {
    static final int CONNECTIONS = 8;
    private static final int MAX_MESSAGE = 16 * 1024;
    private static final int READ_TIMEOUT_MS = 10_000;

    private final Socket[] sockets = new Socket[CONNECTIONS];
    private final byte[][] sent = new byte[CONNECTIONS][MAX_MESSAGE];
    private final int[] sizes = new int[CONNECTIONS];
    private final byte[] echo = new byte[MAX_MESSAGE];

    SoakSteady(Soak.Run run) {
        super("steady", run);
    }

    @Override
    void loop() throws InterruptedException {
        try {
            while (running()) {
                for (int i = 0; i < CONNECTIONS; i++) {
                    send(i);
                }
                for (int i = 0; i < CONNECTIONS; i++) {
                    check(i);
                }
                // About 50 rounds a second: a steady load that leaves the 2 cores room for the rest.
                pause(20);
            }
        } finally {
            for (Socket s : sockets) {
                closeQuietly(s);
            }
        }
    }

    private void send(int i) {
        sizes[i] = 0;
        try {
            if (sockets[i] == null) {
                sockets[i] = connect(READ_TIMEOUT_MS);
                count("connections");
            }
            int size = 1 + random.nextInt(MAX_MESSAGE);
            random.nextBytes(sent[i]);
            sockets[i].getOutputStream().write(sent[i], 0, size);
            sizes[i] = size;
        } catch (IOException e) {
            broken(i, "send failed: " + e);
        }
    }

    private void check(int i) {
        int size = sizes[i];
        if (size == 0) {
            return;
        }
        try {
            int got = readFully(sockets[i].getInputStream(), echo, size);
            int diff = firstDifference(sent[i], echo, got);
            if (diff >= 0) {
                broken(i, "wrong echo byte at " + diff + " of " + size);
            } else if (got < size) {
                broken(i, "echo cut short by EOF: " + got + " of " + size + " bytes");
            } else {
                count("messages");
                add("bytes_checked", size);
            }
        } catch (IOException e) {
            broken(i, "echo missing: " + e + " (" + size + " bytes owed)");
        }
    }

    private void broken(int i, String why) {
        fail("connection " + i + ": " + why);
        closeQuietly(sockets[i]);
        sockets[i] = null;
    }
}
