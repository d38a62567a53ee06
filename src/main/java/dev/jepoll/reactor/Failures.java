package dev.jepoll.reactor;

/**
 * What a loop can survive. A failure in one connection's handler closes that connection and
 * nothing else, whatever it is: an {@code IOException}, a bug ({@code RuntimeException},
 * {@code AssertionError}), a class that failed to initialise ({@code LinkageError}), a stack
 * overflow. But a JVM out of memory or broken inside ({@code OutOfMemoryError},
 * {@code InternalError}) cannot be trusted to serve anyone: the loop ends, and the server with
 * it, listener included, so that no process goes on listening while serving no one.
 */
final class Failures {
    private Failures() {
    }

    static boolean survivable(Throwable t) {
        return !(t instanceof VirtualMachineError) || t instanceof StackOverflowError;
    }
}
