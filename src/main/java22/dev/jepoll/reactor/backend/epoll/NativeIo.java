package dev.jepoll.reactor.backend.epoll;

import dev.jepoll.reactor.backend.Endpoint;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;

/**
 * One loop's socket I/O through {@code read}, {@code send} and {@code sendmsg}, with the
 * memory the calls need allocated once, in the loop's arena: the {@code iovec} array of a
 * gathering write ({@code IOV_MAX} entries), its {@code msghdr}, and a scratch area for the
 * rare heap buffer (the reactor reads into direct memory and chat writes direct views; only an
 * echo's unsent remainder or an error line is on the heap). Nothing is allocated per call:
 * {@code read} and {@code send} take a raw address, and the address of the direct buffer last
 * read into and of the one last written from is remembered (the loop's read buffer, which echo
 * also writes from), since asking the JDK for a buffer's address creates two objects.
 * Loop thread only.
 *
 * <p>Results follow the JDK's channels: bytes moved, 0 for {@code EAGAIN}, -1 at EOF; any other
 * failure is an {@link IOException} named as the JDK names it ("Connection reset by peer").
 */
final class NativeIo {
    private static final int IOV_MAX = Endpoint.MAX_GATHER;
    private static final int IOVEC = 16;   // void *iov_base; size_t iov_len
    private static final int MSGHDR = 56;  // name, namelen, iov, iovlen, control, controllen, flags
    private static final int SCRATCH = 64 * 1024;

    private final LibC libc;
    private final MemorySegment iovecs;
    private final MemorySegment message;
    private final MemorySegment scratch;
    private final MemorySegment number;
    private final MemorySegment address;
    private final KnownAddress lastRead = new KnownAddress();
    private final KnownAddress lastWritten = new KnownAddress();

    NativeIo(Arena arena) {
        this.libc = new LibC(arena);
        this.iovecs = arena.allocate((long) IOV_MAX * IOVEC, 8);
        this.message = arena.allocate(MSGHDR, 8);
        this.scratch = arena.allocate(SCRATCH, 8);
        this.number = arena.allocate(8, 8);
        this.address = arena.allocate(Sockaddr.MAX_SIZE + 4, 8);
        message.fill((byte) 0);
        message.set(JAVA_LONG, 16, iovecs.address()); // msg_iov; msg_iovlen is set per call
    }

    LibC libc() {
        return libc;
    }

    int read(int fd, ByteBuffer dst) throws IOException {
        int wanted = dst.remaining();
        if (wanted == 0) {
            return 0;
        }
        boolean direct = dst.isDirect();
        long into = direct ? lastRead.of(dst) : scratch.address();
        long asked = direct ? wanted : Math.min(wanted, SCRATCH);
        long n;
        do {
            n = libc.read(fd, into, asked);
        } while (n < 0 && libc.errno() == LibC.EINTR);
        if (n > 0) {
            if (!direct) {
                dst.put(dst.position(), scratch.asSlice(0, n).asByteBuffer(), 0, (int) n);
            }
            dst.position(dst.position() + (int) n);
            return (int) n;
        }
        if (n == 0) {
            return -1; // the peer's FIN
        }
        int errno = libc.errno();
        if (errno == LibC.EAGAIN) {
            return 0;
        }
        throw LibC.error("read", errno);
    }

    /**
     * Sends what the socket takes of {@code src}. A direct buffer goes in one {@code send}. A
     * heap buffer goes through the scratch area, one piece after another, until all is sent or
     * the socket is full: a short count must mean "full" to the caller, for under {@code EPOLLET}
     * only a full socket brings another {@code EPOLLOUT}.
     */
    int write(int fd, ByteBuffer src) throws IOException {
        if (src.isDirect()) {
            int length = src.remaining();
            if (length == 0) {
                return 0;
            }
            return advanced(src, send(fd, lastWritten.of(src), length), "send");
        }
        int total = 0;
        while (src.hasRemaining()) {
            int piece = Math.min(src.remaining(), SCRATCH);
            MemorySegment.copy(MemorySegment.ofBuffer(src), 0, scratch, 0, piece);
            int n = advanced(src, send(fd, scratch.address(), piece), "send");
            total += n;
            if (n < piece) {
                break; // the socket is full: EAGAIN or a short send
            }
        }
        return total;
    }

    private long send(int fd, long from, long length) {
        long n;
        do {
            n = libc.send(fd, from, length);
        } while (n < 0 && libc.errno() == LibC.EINTR);
        return n;
    }

    /** One {@code sendmsg} of up to {@code IOV_MAX} buffers; heap buffers go one by one instead. */
    long write(int fd, ByteBuffer[] srcs, int offset, int length) throws IOException {
        int count = Math.min(length, IOV_MAX);
        long offered = 0;
        for (int i = 0; i < count; i++) {
            ByteBuffer b = srcs[offset + i];
            if (!b.isDirect()) {
                return writeOneByOne(fd, srcs, offset, count);
            }
            long base = (long) i * IOVEC;
            iovecs.set(JAVA_LONG, base, MemorySegment.ofBuffer(b).address());
            iovecs.set(JAVA_LONG, base + 8, b.remaining());
            offered += b.remaining();
        }
        if (offered == 0) {
            return 0;
        }
        message.set(JAVA_LONG, 24, count); // msg_iovlen
        long n;
        do {
            n = libc.sendmsg(fd, message);
        } while (n < 0 && libc.errno() == LibC.EINTR);
        if (n < 0) {
            int errno = libc.errno();
            if (errno == LibC.EAGAIN) {
                return 0;
            }
            throw LibC.error("sendmsg", errno);
        }
        for (long left = n, i = offset; left > 0; i++) { // the kernel took the first n bytes, in order
            ByteBuffer b = srcs[(int) i];
            int taken = (int) Math.min(left, b.remaining());
            b.position(b.position() + taken);
            left -= taken;
        }
        return n;
    }

    private long writeOneByOne(int fd, ByteBuffer[] srcs, int offset, int count) throws IOException {
        long total = 0;
        for (int i = offset; i < offset + count; i++) {
            ByteBuffer b = srcs[i];
            int wanted = b.remaining();
            int n = write(fd, b);
            total += n;
            if (n < wanted) {
                break; // the socket is full: the rest waits for EPOLLOUT
            }
        }
        return total;
    }

    private int advanced(ByteBuffer src, long n, String call) throws IOException {
        if (n >= 0) {
            src.position(src.position() + (int) n);
            return (int) n;
        }
        int errno = libc.errno();
        if (errno == LibC.EAGAIN) {
            return 0;
        }
        throw LibC.error(call, errno);
    }

    void shutdownOutput(int fd) throws IOException {
        if (libc.shutdown(fd, LibC.SHUT_WR) < 0) {
            throw libc.lastError("shutdown");
        }
    }

    /** {@code ioctl(FIONREAD)}: bytes waiting to be read, or -1 if the kernel will not say. */
    int bytesWaiting(int fd) {
        return libc.ioctl(fd, LibC.FIONREAD, number) < 0 ? -1 : number.get(JAVA_INT, 0);
    }

    String peer(int fd) {
        MemorySegment length = address.asSlice(Sockaddr.MAX_SIZE, 4);
        length.set(JAVA_INT, 0, Sockaddr.MAX_SIZE);
        if (libc.getpeername(fd, address, length) < 0) {
            return "?";
        }
        try {
            return String.valueOf(Sockaddr.read(address));
        } catch (IOException e) {
            return "?";
        }
    }

    /**
     * The address of one direct buffer's element 0, kept while the same buffer object keeps coming
     * (a buffer's memory never moves). Holding the buffer keeps its memory alive.
     */
    static final class KnownAddress {
        private ByteBuffer buffer;
        private long base;

        /** The address of {@code direct}'s current position. */
        long of(ByteBuffer direct) {
            if (direct != buffer) {
                base = MemorySegment.ofBuffer(direct).address() - direct.position();
                buffer = direct;
            }
            return base + direct.position();
        }
    }
}
