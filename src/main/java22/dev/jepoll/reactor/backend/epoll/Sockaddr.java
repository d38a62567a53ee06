package dev.jepoll.reactor.backend.epoll;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteOrder;

/** {@code struct sockaddr_in} and {@code sockaddr_in6}, written for bind and read back from getsockname. */
final class Sockaddr {
    /** Large enough for either family. */
    static final int MAX_SIZE = 28;
    private static final ValueLayout.OfShort PORT = JAVA_SHORT.withOrder(ByteOrder.BIG_ENDIAN); // network order

    private Sockaddr() {
    }

    static int family(InetAddress address) {
        return address instanceof Inet6Address ? LibC.AF_INET6 : LibC.AF_INET;
    }

    /** Writes {@code address}:{@code port} into {@code into}; returns the structure's length. */
    static int write(MemorySegment into, InetAddress address, int port) {
        into.fill((byte) 0);
        into.set(JAVA_SHORT, 0, (short) family(address)); // sa_family, host order
        into.set(PORT, 2, (short) port);
        byte[] bytes = address.getAddress();
        if (address instanceof Inet4Address) {
            MemorySegment.copy(bytes, 0, into, JAVA_BYTE, 4, 4);        // sin_addr
            return 16;
        }
        MemorySegment.copy(bytes, 0, into, JAVA_BYTE, 8, 16);           // sin6_addr, after sin6_flowinfo
        into.set(JAVA_INT, 24, ((Inet6Address) address).getScopeId());  // sin6_scope_id
        return MAX_SIZE;
    }

    static InetSocketAddress read(MemorySegment from) throws IOException {
        int family = from.get(JAVA_SHORT, 0);
        int port = from.get(PORT, 2) & 0xffff;
        byte[] bytes;
        if (family == LibC.AF_INET) {
            bytes = from.asSlice(4, 4).toArray(JAVA_BYTE);
        } else if (family == LibC.AF_INET6) {
            bytes = from.asSlice(8, 16).toArray(JAVA_BYTE);
        } else {
            throw new IOException("unexpected address family " + family);
        }
        try {
            return new InetSocketAddress(InetAddress.getByAddress(bytes), port);
        } catch (UnknownHostException e) {
            throw new IOException(e);
        }
    }
}
