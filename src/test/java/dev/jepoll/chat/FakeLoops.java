package dev.jepoll.chat;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.doCallRealMethod;
import static org.mockito.Mockito.doReturn;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import dev.jepoll.reactor.BufferOwner;
import dev.jepoll.reactor.Link;
import dev.jepoll.reactor.Loop;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The chat room's tests without sockets or threads: Mockito loops whose end-of-wakeup hooks and
 * handed-over tasks wait until a test runs them, and links that keep what they are handed until a
 * test "writes" it.
 */
abstract class FakeLoops {
    private final Map<Loop, List<Runnable>> hooks = new HashMap<>();
    private final Map<Loop, List<Runnable>> tasks = new HashMap<>();
    private final Map<Loop, List<Runnable>> timers = new HashMap<>();
    private final Map<Link, ArrayDeque<Queued>> queued = new HashMap<>();

    /** One entry of a link's queue: the view and who lent it (null: the link's own copy). */
    record Queued(ByteBuffer view, BufferOwner owner) {}

    Loop loop() {
        Loop loop = mock(Loop.class);
        hooks.put(loop, new ArrayList<>());
        tasks.put(loop, new ArrayList<>());
        timers.put(loop, new ArrayList<>());
        doAnswer(inv -> hooks.get(loop).add(inv.getArgument(0))).when(loop).atEndOfWakeup(any());
        doAnswer(inv -> tasks.get(loop).add(inv.getArgument(0))).when(loop).execute(any());
        doAnswer(inv -> timers.get(loop).add(inv.getArgument(1))).when(loop).schedule(anyLong(), any());
        doReturn(List.of(loop)).when(loop).peers();
        return loop;
    }

    Link link(Loop loop) {
        Link link = mock(Link.class);
        when(link.loop()).thenReturn(loop);
        when(link.isOpen()).thenReturn(true);
        when(link.acceptsOutput()).thenReturn(true);
        queued.put(link, new ArrayDeque<>());
        doAnswer(inv -> queued.get(link).add(new Queued(inv.getArgument(0), inv.getArgument(1))))
                .when(link).enqueue(any(ByteBuffer.class), any());
        doCallRealMethod().when(link).enqueue(any(ByteBuffer.class)); // the default: nothing lent
        return link;
    }

    /** The end of a wakeup on {@code loop}: its hooks, as the reactor runs them. */
    void endOfWakeup(Loop loop) {
        runAll(hooks.get(loop));
    }

    /** The timers {@code loop} was given, as if their time had come. */
    void runTimers(Loop loop) {
        runAll(timers.get(loop));
    }

    /** Timers waiting on {@code loop}. */
    int timersWaiting(Loop loop) {
        return timers.get(loop).size();
    }

    /** What other loops handed {@code loop}, as its task phase runs them. */
    void runTasks(Loop loop) {
        runAll(tasks.get(loop));
    }

    /** {@code loop} stopped: what was handed to it is discarded, as the reactor does. */
    void discardTasks(Loop loop) {
        List<Runnable> now = new ArrayList<>(tasks.get(loop));
        tasks.get(loop).clear();
        for (Runnable task : now) {
            if (task instanceof Loop.Handoff handoff) {
                handoff.discard();
            }
        }
    }

    private static void runAll(List<Runnable> due) {
        List<Runnable> now = new ArrayList<>(due);
        due.clear();
        now.forEach(Runnable::run);
    }

    /** The oldest entry still queued to {@code link}, or null. */
    Queued firstQueued(Link link) {
        return queued.get(link).peek();
    }

    /** Writes everything queued to {@code link}: returns its bytes and gives the views back. */
    String drain(Link link) {
        StringBuilder text = new StringBuilder();
        for (Queued q; (q = queued.get(link).poll()) != null; ) {
            text.append(StandardCharsets.ISO_8859_1.decode(q.view()));
            if (q.owner() != null) {
                q.owner().release();
            }
        }
        return text.toString();
    }

    static ByteBuffer bytes(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.ISO_8859_1));
    }
}
