package dev.jepoll.testsupport;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/** A blocking loopback client with bounded reads, for driving a server under test. */
public final class TestClient implements AutoCloseable {
    private static final int READ_TIMEOUT_MILLIS = 20_000;

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    private TestClient(Socket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    public static TestClient connect(int port) throws IOException {
        return connect(port, 0);
    }

    /** With {@code receiveBuffer > 0}, a small receive buffer makes the server's output back up sooner. */
    public static TestClient connect(int port, int receiveBuffer) throws IOException {
        Socket socket = new Socket();
        if (receiveBuffer > 0) {
            socket.setReceiveBufferSize(receiveBuffer);
        }
        socket.setTcpNoDelay(true);
        socket.setSoTimeout(READ_TIMEOUT_MILLIS);
        socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 10_000);
        return new TestClient(socket);
    }

    public Socket socket() {
        return socket;
    }

    public void write(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    public void write(byte[] bytes, int offset, int length) throws IOException {
        out.write(bytes, offset, length);
        out.flush();
    }

    public void shutdownOutput() throws IOException {
        socket.shutdownOutput();
    }

    /** Reads exactly {@code n} bytes or fails (EOF or the read timeout). */
    public byte[] readExactly(int n) throws IOException {
        byte[] buf = new byte[n];
        int got = 0;
        while (got < n) {
            int r = in.read(buf, got, n - got);
            if (r < 0) {
                throw new IOException("EOF after " + got + " of " + n + " bytes");
            }
            got += r;
        }
        return buf;
    }

    /** Reads until the server closes; fails on the read timeout. */
    public byte[] readToEof() throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] buf = new byte[64 * 1024];
        int r;
        while ((r = in.read(buf)) >= 0) {
            all.write(buf, 0, r);
        }
        return all.toByteArray();
    }

    /** True if the server closed the connection (EOF or reset) within {@code millis}. */
    public boolean closedByPeerWithin(int millis) throws IOException {
        int old = socket.getSoTimeout();
        socket.setSoTimeout(millis);
        try {
            byte[] buf = new byte[8192];
            long deadline = System.nanoTime() + millis * 1_000_000L;
            while (System.nanoTime() < deadline) {
                if (in.read(buf) < 0) {
                    return true;
                }
            }
            return false;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // reset
        } finally {
            if (!socket.isClosed()) {
                socket.setSoTimeout(old);
            }
        }
    }

    /**
     * Sends {@code payload} cut at {@code cuts} from a second thread, half-closes, and reads
     * the echo until EOF on this one (reading while writing, so any size fits through).
     */
    public byte[] roundTrip(byte[] payload, int[] cuts) throws Exception {
        AtomicReference<Exception> writeFailure = new AtomicReference<>();
        Thread writer = new Thread(() -> {
            try {
                int from = 0;
                for (int cut : cuts) {
                    write(payload, from, cut - from);
                    from = cut;
                }
                write(payload, from, payload.length - from);
                shutdownOutput();
            } catch (IOException e) {
                writeFailure.set(e);
                try {
                    socket.shutdownInput(); // the read below ends now, and the writer's own failure is reported
                } catch (IOException ignored) {
                    // closed already: the read ends anyway
                }
            }
        }, "test-writer");
        writer.start();
        byte[] echoed;
        try {
            echoed = readToEof();
        } finally {
            writer.join(READ_TIMEOUT_MILLIS);
            if (writeFailure.get() != null) {
                throw new AssertionError("the writer failed: " + writeFailure.get(), writeFailure.get());
            }
        }
        return echoed;
    }

    /** Closes with a reset (SO_LINGER 0), as a crashed client would. */
    public void reset() throws IOException {
        socket.setSoLinger(true, 0);
        socket.close();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
