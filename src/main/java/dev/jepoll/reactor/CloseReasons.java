package dev.jepoll.reactor;

import java.io.IOException;
import java.util.Locale;

/** Classifies I/O failures into close reasons. */
final class CloseReasons {
    private CloseReasons() {
    }

    static CloseReason of(IOException e) {
        String message = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
        if (message.contains("reset") || message.contains("broken pipe")) {
            return CloseReason.PEER_RESET;
        }
        return CloseReason.IO_ERROR;
    }
}
