package dev.jepoll.clients;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;

/**
 * What both clients share: checking the arguments, connecting, reading the user's lines,
 * and ending the process with one line on stderr instead of a stack trace.
 *
 * <p>Everything here uses only the JDK: the Makefile builds the clients with a bare
 * {@code javac}, without the server's classes or any library.
 */
final class ClientSupport {
    static final int EXIT_OK = 0;
    static final int EXIT_FAILURE = 1;
    static final int EXIT_USAGE = 2;
    static final String SERVER_CLOSED = "server closed the connection";
    /** Said once the connection is up, so a user at a silent chat knows it is connected. */
    static final String CONNECTED_TO = "connected to ";
    /** Long enough for a slow network, short enough that a silent address does not hang the user. */
    static final int CONNECT_TIMEOUT_MILLIS = 5_000;

    private ClientSupport() {
    }

    /** Where to connect, as the user typed it; the host stays a string so messages repeat it verbatim. */
    record ServerAddress(String host, int port) {
        @Override
        public String toString() {
            return host + ":" + port;
        }
    }

    /** A client's work: returns its exit status, or throws a {@link Failure} that says why it stopped. */
    @FunctionalInterface
    interface Body {
        int run() throws Failure;
    }

    /** How a client ends when something went wrong: the one line the user sees, and the exit status. */
    static final class Failure extends Exception {
        private static final long serialVersionUID = 1L;

        final int status;

        Failure(int status, String message) {
            super(message, null, false, false); // the message is all anyone sees; no trace to fill in
            this.status = status;
        }
    }

    /** Runs a client and exits with its status; a failure prints its message to stderr first. */
    static void runAndExit(Body body) {
        int status;
        try {
            status = body.run();
        } catch (Failure f) {
            System.err.println(f.getMessage());
            status = f.status;
        } catch (RuntimeException e) {
            // Last fence: a bug here should still read as one line, not a stack trace.
            System.err.println("internal error: " + e.getMessage());
            status = EXIT_FAILURE;
        }
        System.exit(status);
    }

    /**
     * Checks that there are exactly {@code count} arguments, the first two a host and a port,
     * and returns those two.
     */
    static ServerAddress serverAddress(String[] args, int count, String usage) throws Failure {
        return serverAddress(args, count, count, usage);
    }

    /** The same, for a command line whose last arguments are optional: {@code min} to {@code max} of them. */
    static ServerAddress serverAddress(String[] args, int min, int max, String usage) throws Failure {
        if (args.length < min || args.length > max) {
            throw new Failure(EXIT_USAGE, usage);
        }
        try {
            int port = Integer.parseInt(args[1]);
            if (port >= 1 && port <= 65535) {
                return new ServerAddress(args[0], port);
            }
        } catch (NumberFormatException e) {
            // falls through: named like an out-of-range number
        }
        throw new Failure(EXIT_USAGE, "port must be 1..65535, got '" + args[1] + "'\n" + usage);
    }

    /**
     * Connects within {@link #CONNECT_TIMEOUT_MILLIS} and says {@code connected to HOST:PORT} on
     * stderr, or fails with {@code cannot connect to HOST:PORT: reason}.
     */
    static Socket connect(ServerAddress server) throws Failure {
        Socket socket = new Socket();
        try {
            socket.connect(new InetSocketAddress(server.host(), server.port()), CONNECT_TIMEOUT_MILLIS);
            System.err.println(CONNECTED_TO + server); // stderr: stdout is the conversation, kept clean for pipes
            return socket;
        } catch (IOException e) {
            closeQuietly(socket);
            throw new Failure(EXIT_FAILURE, "cannot connect to " + server + ": " + reason(e));
        }
    }

    /** The failure for a connection that ended while the user had not quit. */
    static Failure serverClosed(IOException cause) {
        return new Failure(EXIT_FAILURE, cause == null ? SERVER_CLOSED : SERVER_CLOSED + " (" + reason(cause) + ")");
    }

    /** The part of an I/O error a user can act on, never the exception's class name. */
    static String reason(IOException e) {
        if (e instanceof UnknownHostException) {
            return "unknown host"; // its message is only the host name, which the caller already shows
        }
        String message = e.getMessage();
        return message == null || message.isBlank() ? "I/O error" : message;
    }

    /** Standard input as UTF-8 lines whatever the platform's charset, because the wire is UTF-8. */
    static BufferedReader userInput() {
        return new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    }

    /** Standard output in UTF-8, flushed at every line, for the same reason. */
    static PrintStream userOutput() {
        return new PrintStream(System.out, true, StandardCharsets.UTF_8);
    }

    /**
     * The next line the user typed, or null at the end of input. A standard input that fails
     * (a terminal that went away) has ended too: there is nothing more to send either way.
     */
    static String nextLine(BufferedReader input) {
        try {
            return input.readLine();
        } catch (IOException e) {
            return null;
        }
    }

    /** The chapter's way out, {@code q} or {@code Q}, or the end of input. */
    static boolean userQuits(String line) {
        return line == null || line.equals("q") || line.equals("Q");
    }

    static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // a socket we are done with; nothing the user could do about a failed close
        }
    }
}
