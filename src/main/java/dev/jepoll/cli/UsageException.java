package dev.jepoll.cli;

/** Bad command-line input: printed as one line, then the process exits with status 2. */
final class UsageException extends Exception {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
        super(message);
    }
}
