package dev.jepoll.clients;

import dev.jepoll.clients.ClientSupport.Failure;
import dev.jepoll.clients.ClientSupport.ServerAddress;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.Reader;
import java.net.Socket;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * A client with no idea of what an answer should be, like {@code nc}: each line typed is sent,
 * and whatever the server sends is printed the moment it arrives, a piece at a time. It is the
 * client for the chapter's stranded-bytes demonstration ({@code make demo-et-stranded}), where
 * the point is that the echo does <em>not</em> come back whole: the echo client would wait for
 * all of it and time out.
 *
 * <p>End of input ({@code Ctrl+D}, or {@code q}/{@code Q} as in the other clients) half-closes
 * the connection, prints what is still coming, and ends when the server closes (exit 0), or
 * {@link ChatClient#DRAIN_MILLIS} later. The server closing first is an error (exit 1).
 * Control characters other than newline and tab print as U+FFFD, as in the other clients, so a
 * server cannot send escape sequences to the terminal.
 *
 * <pre>java dev.jepoll.clients.RawClient &lt;IP&gt; &lt;port&gt;</pre>
 */
public final class RawClient {
    static final String USAGE = "Usage : RawClient <IP> <port>";
    private static final char REPLACEMENT = '\uFFFD';

    private final Socket socket;
    private volatile boolean quitting;

    private RawClient(Socket socket) {
        this.socket = socket;
    }

    public static void main(String[] args) {
        ClientSupport.runAndExit(() -> run(args));
    }

    private static int run(String[] args) throws Failure {
        ServerAddress server = ClientSupport.serverAddress(args, 2, USAGE);
        Socket socket = ClientSupport.connect(server);
        try {
            return new RawClient(socket).converse(ClientSupport.userInput(), ClientSupport.userOutput());
        } catch (IOException e) {
            throw ClientSupport.serverClosed(e);
        } finally {
            ClientSupport.closeQuietly(socket);
        }
    }

    private int converse(BufferedReader input, PrintStream output) throws IOException, Failure {
        OutputStream toServer = socket.getOutputStream();
        Thread sender = new Thread(() -> sendUntilQuit(input, toServer), "raw-sender");
        sender.setDaemon(true); // it may sit in a read of stdin when the server goes away
        sender.start();
        return printAsItArrives(output);
    }

    private void sendUntilQuit(BufferedReader input, OutputStream toServer) {
        try {
            String line;
            while (!ClientSupport.userQuits(line = ClientSupport.nextLine(input))) {
                toServer.write((line + "\n").getBytes(StandardCharsets.UTF_8));
                toServer.flush();
            }
        } catch (IOException e) {
            return; // the connection is gone; the printing side sees that too and reports it
        }
        quitting = true;
        try {
            socket.shutdownOutput();
            Thread.sleep(ChatClient.DRAIN_MILLIS);
        } catch (IOException e) {
            // already gone
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        ClientSupport.closeQuietly(socket);
    }

    /** Prints each piece as the socket hands it over: no waiting for a line or a whole echo. */
    private int printAsItArrives(PrintStream output) throws Failure {
        IOException failure = null;
        boolean atLineStart = true;
        try {
            Reader fromServer = new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE));
            char[] piece = new char[4096];
            for (int n = fromServer.read(piece); n >= 0; n = fromServer.read(piece)) {
                if (n == 0) {
                    continue;
                }
                output.print(printable(piece, n));
                output.flush();
                atLineStart = piece[n - 1] == '\n';
            }
        } catch (IOException e) {
            failure = e; // a reset, or our own close after quitting
        }
        if (!atLineStart) {
            output.println(); // the shell's prompt starts on a line of its own
        }
        if (quitting) {
            return ClientSupport.EXIT_OK;
        }
        throw ClientSupport.serverClosed(failure);
    }

    static String printable(char[] chars, int length) {
        StringBuilder out = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            char c = chars[i];
            out.append(c == '\n' || c == '\t' || !Character.isISOControl(c) ? c : REPLACEMENT);
        }
        return out.toString();
    }
}
