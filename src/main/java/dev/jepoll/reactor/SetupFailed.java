package dev.jepoll.reactor;

import java.io.IOException;

/**
 * An accepted socket could not be set up (its peer may already have reset it) and was closed.
 * Unlike a failure of {@code accept} itself, it says nothing about the listener: accepting
 * goes on.
 */
final class SetupFailed extends IOException {
    private static final long serialVersionUID = 1L;

    SetupFailed(IOException cause) {
        super(cause.getMessage(), cause);
    }
}
