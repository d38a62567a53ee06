package dev.jepoll.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What {@code strace -f -e trace=desc,network} saw a process do with its descriptors, read as a
 * life per descriptor: made by a call that returns it (open, socket, accept, epoll_create,
 * eventfd, pipe, dup...), used, closed. The calls are taken in the order they were entered, the
 * order strace prints them ({@code <unfinished ...>} lines are entries; {@code resumed} lines
 * carry the results).
 *
 * <p>It finds: calls that failed with {@code EBADF}; calls on a descriptor after it was closed
 * and before anything made that number again (when the number has since been reused, such a call
 * hits someone else's descriptor: a client's socket, for instance); closes of a descriptor that
 * was not open; and the sockets, epoll instances and eventfds still open when the process ended.
 */
public final class StraceLog {
    private static final Pattern CALL = Pattern.compile("^(\\d+)\\s+(?:<\\.\\.\\. (\\w+) resumed>.*|(\\w+)\\((.*))$");
    private static final Pattern RESULT = Pattern.compile("\\)\\s+=\\s+(-?\\d+)(?:\\s+(E[A-Z]+))?");
    private static final Set<String> MAKERS = Set.of("open", "openat", "creat", "socket", "accept", "accept4",
            "epoll_create", "epoll_create1", "eventfd", "eventfd2", "dup", "dup2", "dup3", "memfd_create",
            "signalfd4", "timerfd_create", "inotify_init1", "pidfd_open");
    /** Calls whose first argument is a descriptor they use. */
    private static final Set<String> USERS = Set.of("read", "write", "readv", "writev", "pread64", "pwrite64",
            "send", "sendto", "sendmsg", "sendmmsg", "recv", "recvfrom", "recvmsg", "shutdown", "ioctl", "fstat",
            "lseek", "getsockname", "getpeername", "setsockopt", "getsockopt", "bind", "listen", "connect",
            "accept", "accept4", "epoll_ctl", "epoll_wait", "epoll_pwait", "fsync", "ftruncate", "getdents64");

    private final List<String> problems = new ArrayList<>();
    private final Map<Integer, String> open = new HashMap<>();  // fd -> what made it
    private final Set<Integer> closedNotReused = new HashSet<>();
    private final Map<Integer, String> pendingCall = new HashMap<>(); // pid -> call entered, result to come
    private int lines;

    private StraceLog() {
    }

    /** Reads {@code file}, written by {@code strace -f -o file}. */
    public static StraceLog read(Path file) throws IOException {
        StraceLog log = new StraceLog();
        for (String line : Files.readAllLines(file)) {
            log.line(line);
        }
        return log;
    }

    private void line(String line) {
        lines++;
        Matcher m = CALL.matcher(line);
        if (!m.find()) {
            return; // signals, exits
        }
        int pid = Integer.parseInt(m.group(1));
        if (m.group(2) != null) { // "<... close resumed>) = 0": the result of a call entered earlier
            String entered = pendingCall.remove(pid);
            if (entered != null) {
                result(entered, line);
            }
            return;
        }
        String name = m.group(3);
        String args = m.group(4);
        entered(name, args, line);
        if (line.endsWith("<unfinished ...>")) {
            pendingCall.put(pid, name + "(" + args);
        } else {
            result(name + "(" + args, line);
        }
    }

    /** At entry: a call using a descriptor that is closed is a use after close. */
    private void entered(String name, String args, String line) {
        List<Integer> used = new ArrayList<>();
        Integer first = firstNumber(args);
        if (first != null && (USERS.contains(name) || name.equals("close") || name.equals("fcntl"))) {
            used.add(first);
        }
        if (name.equals("epoll_ctl")) {
            String[] parts = args.split(",\\s*");
            if (parts.length > 2 && parts[2].matches("\\d+")) {
                used.add(Integer.parseInt(parts[2]));
            }
        }
        for (int fd : used) {
            if (closedNotReused.contains(fd) && !name.equals("close")) {
                problems.add("used after close: " + line);
            }
        }
        if (name.equals("close") && first != null) {
            // The kernel frees the number as close begins, not as it returns: another thread's
            // accept may get it before strace prints "<... close resumed>", so it counts here.
            if (closedNotReused.contains(first)) {
                problems.add("closed twice: " + line);
            }
            open.remove(first);
            closedNotReused.add(first);
        }
    }

    /** With the result: what was made, what was closed, what failed. */
    private void result(String call, String line) {
        Matcher r = RESULT.matcher(line);
        if (!r.find()) {
            return;
        }
        long ret = Long.parseLong(r.group(1));
        String errno = r.group(2);
        String name = call.substring(0, call.indexOf('('));
        String args = call.substring(call.indexOf('(') + 1);
        if ("EBADF".equals(errno)) {
            problems.add("EBADF: " + line);
        }
        if (ret < 0) {
            return;
        }
        if (MAKERS.contains(name) || (name.equals("fcntl") && args.contains("F_DUPFD"))) {
            made((int) ret, name);
        } else if (name.equals("pipe") || name.equals("pipe2") || name.equals("socketpair")) {
            Matcher pair = Pattern.compile("\\[(\\d+),\\s*(\\d+)\\]").matcher(args);
            if (pair.find()) {
                made(Integer.parseInt(pair.group(1)), name);
                made(Integer.parseInt(pair.group(2)), name);
            }
        }
    }

    private void made(int fd, String by) {
        open.put(fd, by);
        closedNotReused.remove(fd);
    }

    private static Integer firstNumber(String args) {
        Matcher m = Pattern.compile("^\\s*(\\d+)").matcher(args);
        return m.find() ? Integer.parseInt(m.group(1)) : null;
    }

    /** Use after close, double closes and {@code EBADF}s, each with its line. */
    public List<String> problems() {
        return problems;
    }

    /** Sockets, epoll instances and eventfds the trace saw made and never saw closed. */
    public Map<Integer, String> networkDescriptorsLeftOpen() {
        Map<Integer, String> left = new HashMap<>();
        open.forEach((fd, by) -> {
            if (Set.of("socket", "accept", "accept4", "epoll_create", "epoll_create1", "eventfd", "eventfd2").contains(by)) {
                left.put(fd, by);
            }
        });
        return left;
    }

    public int lines() {
        return lines;
    }
}
