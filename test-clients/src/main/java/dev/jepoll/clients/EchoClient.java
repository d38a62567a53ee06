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
 * <pre>java dev.jepoll.clients.EchoClient &lt;IP&gt; &lt;port&gt;</pre>
 */
public final class EchoClient {
    static final String USAGE = "Usage : EchoClient <IP> <port>";
    static final String PROMPT = "Input message(Q to quit): ";
    static final String ECHO_PREFIX = "Message from server: ";

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
            toServer.write(message);
            byte[] echo = readExactly(fromServer, message.length);
            // Decoded only once whole: a piece may end in the middle of a multi-byte character.
            output.println(ECHO_PREFIX + new String(echo, 0, echo.length - 1, StandardCharsets.UTF_8));
        }
    }

    /** Reads until {@code length} bytes have arrived, however TCP splits them. */
    private static byte[] readExactly(InputStream in, int length) throws IOException, Failure {
        byte[] bytes = new byte[length];
        int received = 0;
        while (received < length) {
            int n = in.read(bytes, received, length - received);
            if (n < 0) {
                throw ClientSupport.serverClosed(null);
            }
            received += n;
        }
        return bytes;
    }
}
