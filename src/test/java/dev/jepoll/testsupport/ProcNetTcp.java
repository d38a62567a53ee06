package dev.jepoll.testsupport;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The kernel's own table of TCP sockets ({@code /proc/net/tcp} and {@code /proc/net/tcp6}):
 * what sits unread or unacknowledged in a socket's queues, and which sockets listen, things
 * no Java API tells. Java's sockets are usually IPv6 sockets speaking to IPv4-mapped
 * addresses, so both files are read.
 */
public final class ProcNetTcp {
    /** {@code TCP_LISTEN} in the {@code st} column. */
    public static final int LISTEN = 0x0A;

    /**
     * One row: ports, state, the send queue (bytes not yet acknowledged by the peer), the
     * receive queue (bytes received and not yet read by the owner) and the socket's inode.
     */
    public record Row(int localPort, int remotePort, int state, long txQueue, long rxQueue, long inode) {
    }

    private ProcNetTcp() {
    }

    /** Every TCP socket of this network namespace, IPv4 and IPv6. */
    public static List<Row> rows() throws IOException {
        List<Row> rows = new ArrayList<>();
        for (String file : new String[] {"/proc/net/tcp", "/proc/net/tcp6"}) {
            List<String> lines = Files.readAllLines(Path.of(file));
            for (String line : lines.subList(1, lines.size())) { // the first is the header
                rows.add(parse(line.trim()));
            }
        }
        return rows;
    }

    // "sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode ..."
    private static Row parse(String line) {
        String[] f = line.split("\\s+");
        String[] queues = f[4].split(":");
        return new Row(port(f[1]), port(f[2]), Integer.parseInt(f[3], 16), Long.parseLong(queues[0], 16),
                Long.parseLong(queues[1], 16), Long.parseLong(f[9]));
    }

    private static int port(String addressAndPort) {
        return Integer.parseInt(addressAndPort.substring(addressAndPort.lastIndexOf(':') + 1), 16);
    }

    /** The inodes of this process's open sockets, from the {@code socket:[inode]} links in {@code /proc/self/fd}. */
    public static Set<Long> socketInodesOfThisProcess() throws IOException {
        Set<Long> inodes = new HashSet<>();
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc/self/fd"))) {
            for (Path fd : fds) {
                String target;
                try {
                    target = Files.readSymbolicLink(fd).toString();
                } catch (NoSuchFileException e) {
                    continue; // closed since the listing: not open, so not ours to count
                }
                if (target.startsWith("socket:[")) {
                    inodes.add(Long.parseLong(target.substring("socket:[".length(), target.length() - 1)));
                }
            }
        }
        return inodes;
    }

    /** The inodes of the TCP sockets this process has listening now. */
    public static Set<Long> listeningInodesOfThisProcess() throws IOException {
        return listeningAmong(socketInodesOfThisProcess());
    }

    /**
     * Those of {@code inodes} that are listening TCP sockets. The kernel's tables are read only
     * when there is something to look for: with thousands of connections in {@code TIME_WAIT}
     * left by earlier tests they take milliseconds to read.
     */
    public static Set<Long> listeningAmong(Set<Long> inodes) throws IOException {
        Set<Long> listening = new HashSet<>();
        if (inodes.isEmpty()) {
            return listening;
        }
        for (Row row : rows()) {
            if (row.state() == LISTEN && inodes.contains(row.inode())) {
                listening.add(row.inode());
            }
        }
        return listening;
    }
}
