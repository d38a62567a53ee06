package dev.jepoll.clients;

import dev.jepoll.clients.ClientSupport.Failure;
import dev.jepoll.clients.ClientSupport.ServerAddress;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

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
 * <pre>java dev.jepoll.clients.EchoClient &lt;IP&gt; &lt;port&gt;</pre>
 */
public final class EchoClient {
    static final String USAGE = "Usage : EchoClient <IP> <port>";
    private static final String PROMPT = "Input message(Q to quit): ";
    private static final String ECHO_PREFIX = "Message from server: ";
    /** Well under what the server queues before it stops reading (64 KiB by default). */
    private static final int PIECE_BYTES = 16 * 1024;

    private EchoClient() {
    }

    public static void main(String[] args) {
        ClientSupport.runAndExit(() -> run(args));
    }

    private static int run(String[] args) throws Failure {
        ServerAddress server = ClientSupport.serverAddress(args, 2, USAGE);
        Socket socket = ClientSupport.connect(server);
        try {
            converse(socket.getInputStream(), socket.getOutputStream(),
                    ClientSupport.userInput(), ClientSupport.userOutput());
            return ClientSupport.EXIT_OK;
        } catch (IOException e) {
            throw ClientSupport.serverClosed(e);
        } finally {
            ClientSupport.closeQuietly(socket);
        }
    }

    /** Prompt, send, print the echo, until the user quits. */
    private static void converse(InputStream fromServer, OutputStream toServer, BufferedReader input,
            PrintStream output) throws IOException, Failure {
        while (true) {
            output.print(PROMPT);
            output.flush(); // the prompt has no newline, so autoflush would not send it
            String line = ClientSupport.nextLine(input);
            if (ClientSupport.userQuits(line)) {
                return;
            }
            byte[] message = (line + "\n").getBytes(StandardCharsets.UTF_8);
            byte[] echo = new byte[message.length];
            for (int start = 0; start < message.length; start += PIECE_BYTES) {
                int length = Math.min(PIECE_BYTES, message.length - start);
                toServer.write(message, start, length);
                readExactly(fromServer, echo, start, length);
            }
            // Decoded only once whole: a read may end in the middle of a multi-byte character.
            output.println(ECHO_PREFIX + new String(echo, 0, echo.length - 1, StandardCharsets.UTF_8));
        }
    }

    /** Reads until {@code length} bytes have arrived, however TCP splits them. */
    private static void readExactly(InputStream in, byte[] into, int start, int length) throws IOException, Failure {
        int received = 0;
        while (received < length) {
            int n = in.read(into, start + received, length - received);
            if (n < 0) {
                throw ClientSupport.serverClosed(null);
            }
            received += n;
        }
    }
}
