package dev.jepoll.clients;

import dev.jepoll.clients.ClientSupport.Failure;
import dev.jepoll.clients.ClientSupport.ServerAddress;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * The chapter's chat_clnt: one thread sends each line the user types as {@code [name] line},
 * the main thread prints every line the server relays, the user's own included.
 *
 * <p>Quitting ({@code q}, {@code Q} or the end of input) half-closes the connection instead of
 * closing it, so lines already on their way are still printed; the server answers our end of
 * input by closing, and that ends the client. The server closing while the user has not quit
 * is an error.
 *
 * <p>What the server sends is printed through a {@link BoundedLineReader}, so a hostile or
 * broken server cannot crash the client, hang it or make it hold more than one line's worth:
 * <ul>
 * <li>invalid UTF-8 and control characters (but tab) are printed as U+FFFD, never raw;
 * <li>a line longer than 64 KiB (the chat server's own limit) is printed cut there, followed
 *     by {@code [line cut: longer than 65536 bytes]}, and the rest of it is skipped;
 * <li>a last line without {@code \n} is printed when the server closes or resets the
 *     connection after it, then the usual {@code server closed the connection} and exit 1;
 * <li>a reset reads as {@code server closed the connection (Connection reset)}, exit 1.
 * </ul>
 *
 * <pre>java dev.jepoll.clients.ChatClient &lt;IP&gt; &lt;port&gt; &lt;name&gt;</pre>
 */
public final class ChatClient {
    static final String USAGE = "Usage : ChatClient <IP> <port> <name>";
    /** How long after quitting to wait for the server's close before giving up on it. */
    static final long DRAIN_MILLIS = 2_000;

    private final Socket socket;
    private final String name;
    /** Set by the sending thread before it half-closes, so the end that follows reads as expected. */
    private volatile boolean quitting;

    private ChatClient(Socket socket, String name) {
        this.socket = socket;
        this.name = name;
    }

    public static void main(String[] args) {
        ClientSupport.runAndExit(() -> run(args));
    }

    private static int run(String[] args) throws Failure {
        ServerAddress server = ClientSupport.serverAddress(args, 3, USAGE);
        Socket socket = ClientSupport.connect(server);
        try {
            return new ChatClient(socket, args[2]).chat(ClientSupport.userInput(), ClientSupport.userOutput());
        } catch (IOException e) {
            throw ClientSupport.serverClosed(e);
        } finally {
            ClientSupport.closeQuietly(socket);
        }
    }

    private int chat(BufferedReader input, PrintStream output) throws IOException, Failure {
        BoundedLineReader fromServer = new BoundedLineReader(socket.getInputStream());
        OutputStream toServer = socket.getOutputStream();
        Thread sender = new Thread(() -> sendUntilQuit(input, toServer), "chat-sender");
        sender.setDaemon(true); // it may sit in a read of stdin when the server goes away
        sender.start();
        return printUntilClosed(fromServer, output);
    }

    private void sendUntilQuit(BufferedReader input, OutputStream toServer) {
        try {
            String line;
            while (!ClientSupport.userQuits(line = ClientSupport.nextLine(input))) {
                toServer.write(("[" + name + "] " + line + "\n").getBytes(StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            return; // the connection is gone; the receiving side sees that too and reports it
        }
        quit();
    }

    /**
     * Sends our end of input and leaves the receiving side to print what the server still
     * has for us. The process normally exits when the server's close arrives; a server that
     * never closes gets {@link #DRAIN_MILLIS}, then the socket is closed under the reader.
     */
    private void quit() {
        quitting = true;
        try {
            socket.shutdownOutput();
            Thread.sleep(DRAIN_MILLIS);
        } catch (IOException e) {
            // already gone: the reader has seen, or is about to see, the end
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        ClientSupport.closeQuietly(socket);
    }

    /**
     * Prints lines, a partial last one included, until the connection ends; the status says
     * whether the user had asked for that.
     */
    private int printUntilClosed(BoundedLineReader fromServer, PrintStream output) throws Failure {
        IOException failure = null;
        try {
            for (String line = fromServer.readLine(); line != null; line = fromServer.readLine()) {
                output.println(line);
            }
        } catch (IOException e) {
            failure = e; // a reset, or our own close after quitting
        }
        if (quitting) {
            return ClientSupport.EXIT_OK;
        }
        throw ClientSupport.serverClosed(failure);
    }
}
