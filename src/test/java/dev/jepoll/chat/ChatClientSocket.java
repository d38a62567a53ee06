package dev.jepoll.chat;

import dev.jepoll.testsupport.Await;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A raw chat participant for tests: writes bytes, and a thread collects every line it
 * receives (ISO-8859-1, so one char per byte; a line keeps its {@code \n}).
 */
final class ChatClientSocket implements AutoCloseable {
    private final Socket socket;
    private final OutputStream out;
    private final List<String> received = new ArrayList<>(); // guarded by itself
    private final Thread reader;
    private volatile boolean ended;

    ChatClientSocket(int port, int receiveBuffer, boolean reading) throws IOException {
        socket = new Socket();
        if (receiveBuffer > 0) {
            socket.setReceiveBufferSize(receiveBuffer);
        }
        socket.setTcpNoDelay(true);
        socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 10_000);
        out = socket.getOutputStream();
        reader = new Thread(this::readLines, "chat-reader");
        reader.setDaemon(true);
        if (reading) {
            reader.start();
        }
    }

    ChatClientSocket(int port) throws IOException {
        this(port, 0, true);
    }

    /** For a client created not reading: starts reading now. */
    void startReading() {
        reader.start();
    }

    private void readLines() {
        try (InputStream in = new BufferedInputStream(socket.getInputStream())) {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            int b;
            while ((b = in.read()) >= 0) {
                line.write(b);
                if (b == '\n') {
                    add(line.toString(StandardCharsets.ISO_8859_1));
                    line.reset();
                }
            }
            if (line.size() > 0) {
                add(line.toString(StandardCharsets.ISO_8859_1)); // a torn tail would show here
            }
        } catch (IOException e) {
            // closed or reset: what was received stays
        } finally {
            ended = true;
        }
    }

    void send(String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    /** Sends one byte per write, so the server sees the line in as many pieces as it can. */
    void sendByteByByte(String text) throws IOException {
        for (byte b : text.getBytes(StandardCharsets.ISO_8859_1)) {
            out.write(b);
            out.flush();
        }
    }

    private void add(String line) {
        synchronized (received) {
            received.add(line);
        }
    }

    /** A snapshot of the lines received so far. */
    List<String> received() {
        synchronized (received) {
            return List.copyOf(received);
        }
    }

    int receivedCount() {
        synchronized (received) {
            return received.size();
        }
    }

    /** True once the server closed this connection (or it was reset) and all was read. */
    boolean ended() {
        return ended;
    }

    void awaitLines(int count) {
        Await.until(count + " lines", () -> receivedCount() >= count);
    }

    void awaitEnd() {
        Await.until("the server to close the connection", () -> ended);
    }

    void shutdownOutput() throws IOException {
        socket.shutdownOutput();
    }

    /** An abrupt end: the peer sees a reset. */
    void reset() throws IOException {
        socket.setSoLinger(true, 0);
        socket.close();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
