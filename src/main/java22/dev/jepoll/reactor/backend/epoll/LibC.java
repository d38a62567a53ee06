package dev.jepoll.reactor.backend.epoll;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * The C library calls of the native backend, as {@code java.lang.foreign} downcall handles,
 * and {@code errno}. Each instance owns one capture segment, into which the linker saves
 * {@code errno} right after a call (before the JVM can overwrite it): one instance per event
 * loop, used on that loop's thread only. The few calls made from other threads (the wakeup's
 * {@code write}, a {@code close}) need no {@code errno} and are static.
 *
 * <p>Calls that cannot block (non-blocking sockets) are linked {@code critical} where the JDK
 * allows it with {@code errno} capture: no thread-state transition around the call.
 */
final class LibC {
    static final int AF_INET = 2;
    static final int AF_INET6 = 10;
    static final int SOCK_STREAM = 1;
    static final int SOCK_NONBLOCK = 0x800;
    static final int SOCK_CLOEXEC = 0x80000;
    static final int SOL_SOCKET = 1;
    static final int SO_REUSEADDR = 2;
    static final int SO_SNDBUF = 7;
    static final int IPPROTO_TCP = 6;
    static final int TCP_NODELAY = 1;
    static final int SHUT_WR = 1;
    static final int MSG_NOSIGNAL = 0x4000;
    static final int EPOLL_CLOEXEC = 0x80000;
    static final int EPOLL_CTL_ADD = 1;
    static final int EPOLL_CTL_DEL = 2;
    static final int EPOLL_CTL_MOD = 3;
    static final int EPOLLIN = 0x1;
    static final int EPOLLOUT = 0x4;
    static final int EPOLLERR = 0x8;
    static final int EPOLLHUP = 0x10;
    static final int EPOLLRDHUP = 0x2000;
    static final int EPOLLET = 0x80000000;
    static final int EFD_NONBLOCK = 0x800;
    static final int EFD_CLOEXEC = 0x80000;
    static final long FIONREAD = 0x541B;
    static final int EINTR = 4;
    static final int EAGAIN = 11;
    static final int ECONNABORTED = 103;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup C = LINKER.defaultLookup();
    private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final Linker.Option ERRNO_OPTION = Linker.Option.captureCallState("errno");

    private static final MethodHandle SOCKET = slow("socket", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle SETSOCKOPT = slow("setsockopt",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle BIND = slow("bind", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle LISTEN = slow("listen", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle GETSOCKNAME = slow("getsockname",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle GETPEERNAME = slow("getpeername",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle ACCEPT4 = fast("accept4",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, JAVA_INT));
    // read and send take their buffer as a 64-bit integer, which both supported ABIs (x86_64 SysV
    // and AArch64) pass exactly as they pass a pointer: the hot path then needs no MemorySegment
    // per call (MemorySegment.ofBuffer allocates a segment and a session each time).
    private static final MethodHandle READ = fast("read", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG));
    private static final MethodHandle SEND = fast("send",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_INT));
    private static final MethodHandle SENDMSG = fast("sendmsg",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle SHUTDOWN = fast("shutdown", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle EPOLL_CREATE1 = slow("epoll_create1", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle EPOLL_CTL = fast("epoll_ctl",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS));
    private static final MethodHandle EPOLL_WAIT = slow("epoll_wait",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT)); // blocks: never critical
    private static final MethodHandle EVENTFD = slow("eventfd", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle IOCTL = LINKER.downcallHandle(C.find("ioctl").orElseThrow(),
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS), Linker.Option.firstVariadicArg(2), ERRNO_OPTION);
    private static final MethodHandle STRERROR = LINKER.downcallHandle(C.find("strerror").orElseThrow(),
            FunctionDescriptor.of(ADDRESS, JAVA_INT));
    // No errno wanted: called from any thread.
    private static final MethodHandle CLOSE = LINKER.downcallHandle(C.find("close").orElseThrow(),
            FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle WRITE = LINKER.downcallHandle(C.find("write").orElseThrow(),
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));

    private final MemorySegment state;

    /** With its capture segment allocated in {@code arena}, which must outlive it. */
    LibC(Arena arena) {
        this.state = arena.allocate(CAPTURE);
    }

    private static MethodHandle slow(String name, FunctionDescriptor descriptor) {
        return LINKER.downcallHandle(C.find(name).orElseThrow(), descriptor, ERRNO_OPTION);
    }

    /** Critical where this JDK links critical calls with errno capture; plain otherwise. */
    private static MethodHandle fast(String name, FunctionDescriptor descriptor) {
        MemorySegment symbol = C.find(name).orElseThrow();
        try {
            return LINKER.downcallHandle(symbol, descriptor, ERRNO_OPTION, Linker.Option.critical(false));
        } catch (IllegalArgumentException notCombinable) {
            return LINKER.downcallHandle(symbol, descriptor, ERRNO_OPTION);
        }
    }

    /** The {@code errno} of the last failed call on this instance. */
    int errno() {
        return (int) ERRNO.get(state, 0L);
    }

    /** An exception named after {@code errno}, as the JDK names them ("Connection reset by peer"). */
    static IOException error(String call, int errno) {
        return new IOException(describe(errno) + " (" + call + ")");
    }

    IOException lastError(String call) {
        return error(call, errno());
    }

    static String describe(int errno) {
        try {
            MemorySegment text = (MemorySegment) STRERROR.invokeExact(errno);
            return text.reinterpret(256).getString(0);
        } catch (Throwable t) {
            return "errno " + errno;
        }
    }

    int socket(int domain, int type, int protocol) {
        try {
            return (int) SOCKET.invokeExact(state, domain, type, protocol);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    int setsockopt(int fd, int level, int name, MemorySegment value, int length) {
        try {
            return (int) SETSOCKOPT.invokeExact(state, fd, level, name, value, length);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    int bind(int fd, MemorySegment address, int length) {
        try {
            return (int) BIND.invokeExact(state, fd, address, length);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    int listen(int fd, int backlog) {
        try {
            return (int) LISTEN.invokeExact(state, fd, backlog);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    int getsockname(int fd, MemorySegment address, MemorySegment length) {
        try {
            return (int) GETSOCKNAME.invokeExact(state, fd, address, length);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    int getpeername(int fd, MemorySegment address, MemorySegment length) {
        try {
            return (int) GETPEERNAME.invokeExact(state, fd, address, length);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    int accept4(int fd, int flags) {
        try {
            return (int) ACCEPT4.invokeExact(state, fd, MemorySegment.NULL, MemorySegment.NULL, flags);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    long read(int fd, MemorySegment into, long length) {
        return read(fd, into.address(), Math.min(length, into.byteSize()));
    }

    /** {@code read} into native memory at {@code address}, which the caller keeps alive and large enough. */
    long read(int fd, long address, long length) {
        try {
            return (long) READ.invokeExact(state, fd, address, length);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    long send(int fd, MemorySegment from, long length) {
        return send(fd, from.address(), Math.min(length, from.byteSize()));
    }

    /** {@code send} from native memory at {@code address}, which the caller keeps alive and large enough. */
    long send(int fd, long address, long length) {
        try {
            return (long) SEND.invokeExact(state, fd, address, length, MSG_NOSIGNAL);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    long sendmsg(int fd, MemorySegment message) {
        try {
            return (long) SENDMSG.invokeExact(state, fd, message, MSG_NOSIGNAL);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    int shutdown(int fd, int how) {
        try {
            return (int) SHUTDOWN.invokeExact(state, fd, how);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    int epollCreate1(int flags) {
        try {
            return (int) EPOLL_CREATE1.invokeExact(state, flags);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    int epollCtl(int epfd, int op, int fd, MemorySegment event) {
        try {
            return (int) EPOLL_CTL.invokeExact(state, epfd, op, fd, event);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    int epollWait(int epfd, MemorySegment events, int maxEvents, int timeoutMillis) {
        try {
            return (int) EPOLL_WAIT.invokeExact(state, epfd, events, maxEvents, timeoutMillis);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    int eventfd(int initial, int flags) {
        try {
            return (int) EVENTFD.invokeExact(state, initial, flags);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    int ioctl(int fd, long request, MemorySegment argument) {
        try {
            return (int) IOCTL.invokeExact(state, fd, request, argument);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /** From any thread; a failed close leaves nothing to do. */
    static void close(int fd) {
        try {
            int ignored = (int) CLOSE.invokeExact(fd);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /** From any thread: the eventfd's counter goes up by the 8-byte value at {@code value}. */
    static long write(int fd, MemorySegment value, long length) {
        try {
            return (long) WRITE.invokeExact(fd, value, length);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }
}
