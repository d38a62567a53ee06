package dev.jepoll.clients;

import dev.jepoll.clients.ClientSupport.Failure;
import dev.jepoll.clients.ClientSupport.ServerAddress;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * The chapter's echo_client: sends each line the user types and prints the server's echo.
 *
 * <p>TCP keeps no message boundaries, so one read may return only part of an echo, or
 * nothing yet. The chapter's fix is kept: the client knows how many bytes it sent and reads
 * until exactly that many have come back.
 *
 * <p>A long line goes out in pieces, each piece's echo read before the next is sent. Sent
 * whole, a line of some megabytes fills the buffers both ways: the server stops reading
 * while its echo backs up, this client is still writing and not reading, and both stall.
 *
 * <p>Because it knows what it sent, the client also knows when the server misbehaves, and
 * says so in one line on stderr with exit status 1:
 * <ul>
 * <li>{@code no echo from HOST:PORT within 10 s}: a piece's echo was not all back within the
 *     read timeout, 10 seconds unless the optional third argument says otherwise;
 * <li>{@code the server echoed different bytes than it was sent (first difference at byte N)}:
 *     garbage, another client's data, anything but our own bytes;
 * <li>{@code server closed the connection}, with the reason after a reset: the echo was cut
 *     short.
 * </ul>
 * It never reads more than it sent, so whatever the server sends costs no more memory than
 * the user's own line.
 *
 * <pre>java dev.jepoll.clients.EchoClient &lt;IP&gt; &lt;port&gt; [timeout-seconds]</pre>
 */
public final class EchoClient {
    static final String USAGE = "Usage : EchoClient <IP> <port> [timeout-seconds]";
    /** Far longer than any echo takes on a working network; short enough that a silent server does not hang the user. */
    static final int DEFAULT_TIMEOUT_SECONDS = 10;
    /** A day: any longer and "never" would be the honest value, which a silent server should not get. */
    static final int MAX_TIMEOUT_SECONDS = 86_400;
    private static final String PROMPT = "Input message(Q to quit): ";
    private static final String ECHO_PREFIX = "Message from server: ";
    /** Well under what the server queues before it stops reading (64 KiB by default). */
    private static final int PIECE_BYTES = 16 * 1024;

    private final ServerAddress server;
    private final Socket socket;
    private final int timeoutSeconds;

    private EchoClient(ServerAddress server, Socket socket, int timeoutSeconds) {
        this.server = server;
        this.socket = socket;
        this.timeoutSeconds = timeoutSeconds;
    }

    public static void main(String[] args) {
        ClientSupport.runAndExit(() -> run(args));
    }

    private static int run(String[] args) throws Failure {
        ServerAddress server = ClientSupport.serverAddress(args, 2, 3, USAGE);
        int timeoutSeconds = timeoutSeconds(args); // checked before connecting, like the rest
        Socket socket = ClientSupport.connect(server);
        try {
            new EchoClient(server, socket, timeoutSeconds).converse(ClientSupport.userInput(),
                    ClientSupport.userOutput());
            return ClientSupport.EXIT_OK;
        } catch (IOException e) {
            throw ClientSupport.serverClosed(e);
        } finally {
            ClientSupport.closeQuietly(socket);
        }
    }

    /** The optional third argument, whole seconds from 1 to {@link #MAX_TIMEOUT_SECONDS}, or the default. */
    static int timeoutSeconds(String[] args) throws Failure {
        if (args.length < 3) {
            return DEFAULT_TIMEOUT_SECONDS;
        }
        try {
            int seconds = Integer.parseInt(args[2]);
            if (seconds >= 1 && seconds <= MAX_TIMEOUT_SECONDS) {
                return seconds;
            }
        } catch (NumberFormatException e) {
            // falls through to the usage line, like an out-of-range number
        }
        throw new Failure(ClientSupport.EXIT_USAGE, USAGE);
    }

    /** Prompt, send, print the echo, until the user quits. */
    private void converse(BufferedReader input, PrintStream output) throws IOException, Failure {
        InputStream fromServer = socket.getInputStream();
        OutputStream toServer = socket.getOutputStream();
        while (true) {
            output.print(PROMPT);
            output.flush(); // the prompt has no newline, so autoflush would not send it
            String line = ClientSupport.nextLine(input);
            if (line == null) {
                output.println(); // Ctrl+D typed no newline: end the prompt's line before the shell's comes
            }
            if (ClientSupport.userQuits(line)) {
                return;
            }
            byte[] message = (line + "\n").getBytes(StandardCharsets.UTF_8);
            byte[] echo = new byte[message.length];
            for (int start = 0; start < message.length; start += PIECE_BYTES) {
                int length = Math.min(PIECE_BYTES, message.length - start);
                toServer.write(message, start, length);
                readEcho(fromServer, echo, start, length);
                checkEcho(message, echo, start, length);
            }
            // Decoded only once whole: a read may end in the middle of a multi-byte character.
            output.println(ECHO_PREFIX + new String(echo, 0, echo.length - 1, StandardCharsets.UTF_8));
        }
    }

    /**
     * Reads until {@code length} bytes have arrived, however TCP splits them, or the timeout
     * has passed since the piece was sent: a deadline for the whole piece, so a server
     * trickling a byte now and then cannot stretch it.
     */
    private void readEcho(InputStream in, byte[] into, int start, int length) throws IOException, Failure {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        int received = 0;
        while (received < length) {
            long millisLeft = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (millisLeft <= 0) {
                throw noEcho();
            }
            socket.setSoTimeout((int) millisLeft); // at most a day's milliseconds: fits
            int n;
            try {
                n = in.read(into, start + received, length - received);
            } catch (SocketTimeoutException e) {
                throw noEcho();
            }
            if (n < 0) {
                throw ClientSupport.serverClosed(null);
            }
            received += n;
        }
    }

    private Failure noEcho() {
        return new Failure(ClientSupport.EXIT_FAILURE, "no echo from " + server + " within " + timeoutSeconds + " s");
    }

    /** An echo server returns our bytes; anything else (garbage, someone else's line) is a broken server. */
    private static void checkEcho(byte[] sent, byte[] echo, int start, int length) throws Failure {
        int end = start + length;
        int difference = Arrays.mismatch(sent, start, end, echo, start, end);
        if (difference >= 0) {
            throw new Failure(ClientSupport.EXIT_FAILURE, "the server echoed different bytes than it was sent"
                    + " (first difference at byte " + (start + difference) + ")");
        }
    }
}
