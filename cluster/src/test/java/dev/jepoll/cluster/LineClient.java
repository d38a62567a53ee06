package dev.jepoll.cluster;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A chat client for the tests: sends lines, and a thread of its own reads every line it is sent. */
final class LineClient implements AutoCloseable {
    private final Socket socket;
    private final OutputStream out;
    private final List<String> received = new ArrayList<>(); // guarded by itself
    private final Thread reader;

    LineClient(int port) throws IOException {
        socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        out = socket.getOutputStream();
        BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
        reader = new Thread(() -> {
            try {
                for (String line; (line = in.readLine()) != null; ) {
                    synchronized (received) {
                        received.add(line);
                        received.notifyAll();
                    }
                }
            } catch (IOException closed) {
                // the test closed it
            }
        }, "line-client-" + port);
        reader.setDaemon(true);
        reader.start();
    }

    void say(String line) throws IOException {
        out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** Several lines in one write. */
    void sayAll(List<String> lines) throws IOException {
        StringBuilder all = new StringBuilder();
        for (String line : lines) {
            all.append(line).append('\n');
        }
        out.write(all.toString().getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    List<String> received() {
        synchronized (received) {
            return new ArrayList<>(received);
        }
    }

    /** Waits until {@code count} received lines pass {@code filter}; fails with what it has at the deadline. */
    List<String> await(Predicate<String> filter, int count, long seconds) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        synchronized (received) {
            while (true) {
                List<String> matching = received.stream().filter(filter).toList();
                if (matching.size() >= count) {
                    return matching;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("waited " + seconds + " s for " + count + " lines, got " + matching.size()
                            + " (last: " + (received.isEmpty() ? "none" : received.get(received.size() - 1)) + ")");
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(received, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError(e);
                }
            }
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
        try {
            reader.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
