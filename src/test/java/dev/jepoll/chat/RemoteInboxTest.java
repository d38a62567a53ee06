package dev.jepoll.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doReturn;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;

import dev.jepoll.reactor.Link;
import dev.jepoll.reactor.Loop;
import dev.jepoll.reactor.Session;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * The room's side of the backplane, against mocked loops and links: what a loop publishes, how
 * other nodes' lines are fanned out (one task per loop, one view per member), and the flow
 * control that holds them back while a member is behind.
 */
class RemoteInboxTest extends FakeLoops {
    /** A backplane that keeps what it is given, for the test to look at. */
    static final class Recording implements Backplane {
        volatile Inbox inbox;
        final List<String> published = new ArrayList<>();
        int lines;

        @Override
        public synchronized void publish(ByteBuffer[] views, int lineCount) {
            StringBuilder text = new StringBuilder();
            for (ByteBuffer v : views) {
                text.append(StandardCharsets.ISO_8859_1.decode(v));
            }
            published.add(text.toString());
            lines += lineCount;
        }

        @Override
        public void start(Inbox inbox) {
            this.inbox = inbox;
        }

        @Override
        public BackplaneStats stats() {
            return BackplaneStats.NONE;
        }

        @Override
        public String describe() {
            return "recording";
        }

        @Override
        public void close() {
        }
    }

    private final Recording backplane = new Recording();

    private Loop[] twoLoops() {
        Loop a = loop();
        Loop b = loop();
        doReturn(List.of(a, b)).when(a).peers();
        doReturn(List.of(a, b)).when(b).peers();
        return new Loop[] {a, b};
    }

    @Test
    void aLoopsWakeupIsPublishedOnceWithItsLineCountAfterItsPeersHaveIt() throws Exception {
        ChatProtocol chat = new ChatProtocol(ChatConfig.defaults(), backplane);
        Loop loop = loop();
        Session a = chat.open(link(loop));
        a.onData(bytes("[a] one\n[a] two\n[a] thr"));
        assertEquals(List.of(), backplane.published, "nothing before the end of the wakeup");
        endOfWakeup(loop);
        assertEquals(List.of("[a] one\n[a] two\n"), backplane.published, "whole lines only, one publish per wakeup");
        assertEquals(2, backplane.lines);
    }

    @Test
    void remoteLinesReachEveryMemberOnEveryLoopAsOneViewEach() throws Exception {
        ChatProtocol chat = new ChatProtocol(ChatConfig.defaults(), backplane);
        Loop[] loops = twoLoops();
        Link a = link(loops[0]);
        Link b1 = link(loops[1]);
        Link b2 = link(loops[1]);
        chat.open(a);
        chat.open(b1);
        chat.open(b2);
        backplane.inbox.deliver(bytes("[x] from afar\n[y] me too\n"), 2);
        runTasks(loops[0]);
        runTasks(loops[1]);
        for (Link member : List.of(a, b1, b2)) {
            verify(member, times(1)).enqueue(any(ByteBuffer.class), any());
            assertEquals("[x] from afar\n[y] me too\n", drain(member));
        }
        assertEquals(List.of(), backplane.published, "other nodes' lines are not published again");
    }

    @Test
    void remoteLinesWaitWhileAMemberIsBehindAndFlowWhenItCatchesUp() throws Exception {
        ChatProtocol chat = new ChatProtocol(new ChatConfig(100, 1000), backplane);
        Loop loop = loop();
        Link slow = link(loop);
        Session slowSession = chat.open(slow);
        Link fast = link(loop);
        chat.open(fast);
        org.mockito.Mockito.when(slow.pendingBytes()).thenReturn(1201L); // what its queue holds once this is queued
        backplane.inbox.deliver(bytes("x".repeat(1200) + "\n"), 1); // past the slow-consumer limit
        runTasks(loop);
        drain(fast);
        assertEquals(1, chat.membersBehind(), "the slow member is behind: the room waits for it");

        AtomicBoolean delivered = new AtomicBoolean();
        CountDownLatch started = new CountDownLatch(1);
        Thread receiver = new Thread(() -> {
            started.countDown();
            try {
                backplane.inbox.deliver(bytes("[z] later\n"), 1);
                delivered.set(true);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        receiver.start();
        assertTrue(started.await(10, TimeUnit.SECONDS));
        receiver.join(300); // a wait of its own: the point is that it does not return meanwhile
        assertFalse(delivered.get(), "held back while the room waits");

        drain(slow);
        org.mockito.Mockito.when(slow.pendingBytes()).thenReturn(0L);
        slowSession.onDrained(); // what the reactor tells it once its queue is down to a quarter of the limit
        receiver.join(10_000);
        assertTrue(delivered.get(), "handed in once nobody is behind");
        runTasks(loop);
        assertEquals("[z] later\n", drain(fast));
        assertEquals("[z] later\n", drain(slow));
    }

    @Test
    void closingTheInboxEndsAWaitAndNothingMoreIsHandedIn() throws Exception {
        ChatProtocol chat = new ChatProtocol(new ChatConfig(100, 1000), backplane);
        Loop loop = loop();
        Link slow = link(loop);
        chat.open(slow);
        org.mockito.Mockito.when(slow.pendingBytes()).thenReturn(1201L);
        backplane.inbox.deliver(bytes("x".repeat(1200) + "\n"), 1);
        runTasks(loop);
        Thread receiver = new Thread(() -> {
            try {
                backplane.inbox.deliver(bytes("[z] never\n"), 1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        receiver.start();
        receiver.join(200);
        assertTrue(receiver.isAlive(), "waiting for the room");
        backplane.inbox.close();
        receiver.join(10_000);
        assertFalse(receiver.isAlive(), "closing ended the wait");
        runTasks(loop);
        assertEquals("x".repeat(1200) + "\n", drain(slow), "only what was handed in before");
    }

    /** Remote lines in flight to the loops are bounded: 128 KiB per loop, summed over the loops. */
    @Test
    void remoteLinesInFlightAreBoundedByAWindowPerLoop() throws Exception {
        ChatProtocol chat = new ChatProtocol(ChatConfig.defaults(), backplane);
        Loop[] loops = twoLoops();
        chat.open(link(loops[0]));
        chat.open(link(loops[1]));
        String line = "x".repeat(100 * 1024 - 1) + "\n";
        backplane.inbox.deliver(bytes(line), 1); // 2 x 100 KiB in flight: within 2 x 128 KiB
        assertTrue(deliversWithin(line, 2_000), "room for another while under the window");
        assertFalse(deliversWithin(line, 300), "4 x 100 KiB in flight: past the window, it waits");
    }

    /** Every block the inbox took is given back once the loops fanned out, the members wrote, and the inbox closed. */
    @Test
    void everyBlockTheInboxTookIsGivenBack() throws Exception {
        ChatProtocol chat = new ChatProtocol(ChatConfig.defaults(), backplane);
        Loop loop = loop();
        Link member = link(loop);
        chat.open(member);
        for (int i = 0; i < 3; i++) {
            backplane.inbox.deliver(bytes("x".repeat(40_000) + "\n"), 1); // the third spills into a second block
        }
        runTasks(loop);
        drain(member);
        backplane.inbox.close();
        org.mockito.ArgumentCaptor<Long> deltas = org.mockito.ArgumentCaptor.forClass(Long.class);
        verify(loop, org.mockito.Mockito.atLeastOnce()).account(deltas.capture());
        assertTrue(deltas.getAllValues().stream().anyMatch(d -> d > 0), "blocks were taken: " + deltas.getAllValues());
        assertEquals(0L, deltas.getAllValues().stream().mapToLong(Long::longValue).sum(),
                "as much given back as taken: " + deltas.getAllValues());
    }

    private boolean deliversWithin(String line, long millis) throws InterruptedException {
        AtomicBoolean done = new AtomicBoolean();
        Thread receiver = new Thread(() -> {
            try {
                backplane.inbox.deliver(bytes(line), 1);
                done.set(true);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        receiver.setDaemon(true);
        receiver.start();
        receiver.join(millis);
        boolean within = done.get();
        if (!within) {
            backplane.inbox.close(); // ends the wait (the test is over)
            receiver.join(10_000);
        }
        return within;
    }
}
