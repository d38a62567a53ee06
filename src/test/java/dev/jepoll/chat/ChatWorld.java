package dev.jepoll.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jepoll.reactor.Counter;
import dev.jepoll.reactor.SelectorKind;
import dev.jepoll.reactor.TriggerMode;
import dev.jepoll.testsupport.Await;
import dev.jepoll.testsupport.TestServers;
import dev.jepoll.testsupport.Workers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A running chat server, real clients, and the model they are checked against: for every
 * client, the lines it must receive, namely those spoken while it was in the room.
 *
 * <p>Each action waits until the server has taken in what it caused (an accept; a line
 * relayed back to its speaker), so the room's membership when a line is relayed is the
 * model's. Lines spoken in a burst race each other on purpose.
 */
final class ChatWorld implements AutoCloseable {
    /** The room's line limit: lines up to it are drawn. */
    static final int MAX_LINE = ChatConfig.DEFAULT_MAX_LINE;
    /** A slow-consumer limit that four long lines pass: the flow control is exercised, not only defined. */
    static final long SLOW_CONSUMER_LIMIT = 256 * 1024;
    private final TestServers.Running server;
    private final List<Member> members = new ArrayList<>();
    private final List<ChatClientSocket> departed = new ArrayList<>();
    private long bytesSpoken;
    private long joins;
    private int nextName;
    private int nextLine;

    /** A client in the room, and the lines owed to it. */
    private static final class Member {
        final String name;
        final ChatClientSocket socket;
        final List<String> owed = new ArrayList<>();

        Member(String name, ChatClientSocket socket) {
            this.name = name;
            this.socket = socket;
        }
    }

    private final int bufferSize;

    ChatWorld(SelectorKind backend, TriggerMode mode, int bufferSize, int loops) {
        this.bufferSize = bufferSize;
        try {
            server = TestServers.start(backend, new ChatProtocol(new ChatConfig(MAX_LINE, SLOW_CONSUMER_LIMIT)), mode,
                    b -> b.bufferSize(bufferSize).loops(loops));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    int size() {
        return members.size();
    }

    void join() {
        try {
            members.add(new Member("c" + nextName++, new ChatClientSocket(server.port())));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        joins++;
        Await.equal("accepts", joins, () -> server.count(Counter.ACCEPTS));
    }

    /** Members {@code speakers} say a line each, all at once; one speaking twice says them in order. */
    void say(List<Integer> speakers, int padding) {
        padding = Math.min(padding, bufferSize * 1000); // a one-byte buffer meets short lines: a 64 KiB one would take minutes
        Map<Member, List<String>> bySpeaker = new java.util.LinkedHashMap<>();
        for (int index : speakers) {
            Member speaker = members.get(index % members.size());
            String line = "[" + speaker.name + "] line " + nextLine++ + " " + "x".repeat(padding) + "\n";
            bytesSpoken += line.length();
            for (Member m : members) {
                m.owed.add(line);
            }
            bySpeaker.computeIfAbsent(speaker, k -> new ArrayList<>()).add(line);
        }
        Workers talking = new Workers();
        bySpeaker.forEach((speaker, lines) -> talking.start("speaker " + speaker.name, () -> {
            for (String line : lines) {
                speaker.socket.send(line);
            }
        }));
        try {
            talking.awaitAll(java.time.Duration.ofSeconds(20));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        // Relayed once each speaker has heard everything owed to it, its own lines included: the
        // room publishes a wakeup's lines to the other loops before its own members, so by then
        // every loop has them queued ahead of anyone who joins afterwards.
        Await.equal("bytes read", bytesSpoken, () -> server.count(Counter.BYTES_IN));
        bySpeaker.keySet().forEach(speaker -> speaker.socket.awaitLines(speaker.owed.size()));
    }

    /** Waits until the member has every line owed, checks them, then closes cleanly. */
    void leave(int index) {
        Member m = members.remove(index % members.size());
        assertReceivedWhatWasOwed(m);
        close(m.socket);
    }

    /** A reset, without waiting for anything. */
    void drop(int index) {
        Member m = members.remove(index % members.size());
        try {
            m.socket.reset();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        departed.add(m.socket);
    }

    /** The law, for everyone still here. */
    void checkEveryone() {
        assertEquals(0, server.server().counters().closes(dev.jepoll.reactor.CloseReason.SLOW_CONSUMER),
                "nobody who reads is cut: " + server.log());
        for (Member m : members) {
            assertReceivedWhatWasOwed(m);
        }
    }

    private static void assertReceivedWhatWasOwed(Member m) {
        m.socket.awaitLines(m.owed.size());
        List<String> got = m.socket.received();
        // exactly once each, nothing torn, nothing extra ...
        assertEquals(count(m.owed), count(got), m.name + " received exactly the lines spoken while it was here");
        // ... and each speaker's lines in the order spoken
        ChatLaws.assertEachSendersLinesInOrder(got);
    }

    private static Map<String, Integer> count(List<String> lines) {
        Map<String, Integer> counts = new HashMap<>();
        for (String l : lines) {
            counts.merge(l, 1, Integer::sum);
        }
        return counts;
    }

    private static void close(ChatClientSocket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        for (Member m : members) {
            close(m.socket);
        }
        departed.forEach(ChatWorld::close);
        server.close();
    }

    @Override
    public String toString() {
        return "ChatWorld" + members.stream().map(m -> m.name).toList();
    }
}
