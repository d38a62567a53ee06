package dev.jepoll.reactor.backend;

import java.io.IOException;

/**
 * An accepted socket could not be set up (its peer may already have reset it) and was closed.
 * Unlike a failure of {@code accept} itself, it says nothing about the listener: accepting
 * goes on.
 */
public final class SetupFailed extends IOException {
    private static final long serialVersionUID = 1L;

    public SetupFailed(IOException cause) {
        super(cause.getMessage(), cause);
    }
}
