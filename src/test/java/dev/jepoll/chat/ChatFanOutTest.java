package dev.jepoll.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.doReturn;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import dev.jepoll.reactor.CloseReason;
import dev.jepoll.reactor.Link;
import dev.jepoll.reactor.Loop;
import dev.jepoll.reactor.Session;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The room's fan-out per wakeup, against mocked loops and links: what is queued to whom, how
 * often, and when shared memory is given back. Real sockets are {@link ChatServerSocketTest}'s.
 */
class ChatFanOutTest extends FakeLoops {
    private static String lines(String who, int from, int count) {
        StringBuilder s = new StringBuilder();
        for (int i = from; i < from + count; i++) {
            s.append('[').append(who).append("] line ").append(i).append('\n');
        }
        return s.toString();
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 10, 1000})
    void eachRecipientGetsOneViewPerWakeupHoweverManyLinesWereSaid(int linesEach) throws Exception {
        ChatProtocol chat = new ChatProtocol(ChatConfig.defaults());
        Loop loop = loop();
        Link a = link(loop);
        Link b = link(loop);
        Link c = link(loop);
        Session sa = chat.open(a);
        Session sb = chat.open(b);
        chat.open(c);

        sa.onData(bytes(lines("a", 0, linesEach)));
        sb.onData(bytes(lines("b", 0, linesEach)));
        endOfWakeup(loop);

        String expected = lines("a", 0, linesEach) + lines("b", 0, linesEach);
        for (Link member : List.of(a, b, c)) {
            verify(member, times(1)).enqueue(any(ByteBuffer.class), any()); // one entry, not one per line
            Queued only = firstQueued(member);
            assertTrue(only.view().isDirect() && only.view().isReadOnly(), "a read-only view of direct memory");
            assertEquals(expected, drain(member), "the same lines, in arrival order, for everyone");
        }
        verify(loop, never()).execute(any()); // a single loop hands nothing over
    }

    @Test
    void aDeliveryGoesOnceToEachOtherLoopAndIsFannedOutThere() throws Exception {
        ChatProtocol chat = new ChatProtocol(ChatConfig.defaults());
        Loop home = loop();
        Loop other = loop();
        Loop empty = loop();
        List<Loop> all = List.of(home, other, empty);
        for (Loop l : all) {
            doReturn(all).when(l).peers();
        }
        Link speaker = link(home);
        Link there1 = link(other);
        Link there2 = link(other);
        Session s = chat.open(speaker);
        chat.open(there1);
        chat.open(there2);

        s.onData(bytes(lines("s", 0, 200)));
        endOfWakeup(home);
        verify(other, times(1)).execute(any()); // one task per loop and wakeup, not per recipient or line
        verify(empty, times(1)).execute(any());
        runTasks(other);
        runTasks(empty);

        for (Link member : List.of(speaker, there1, there2)) {
            verify(member, times(1)).enqueue(any(ByteBuffer.class), any());
            assertEquals(lines("s", 0, 200), drain(member));
        }
        assertEquals(1, chat.poolOf(home).allocated());
        assertEquals(3, chat.members());
    }

    @Test
    void theSlowConsumerLimitCountsTheHeapOfQueuedViewsNotOnlyTheirBytes() throws Exception {
        long limit = 100_000;
        ChatProtocol chat = new ChatProtocol(new ChatConfig(1000, limit));
        Loop loop = loop();
        Link speaker = link(loop);
        Link viewHoarder = link(loop);
        Session s = chat.open(speaker);
        chat.open(viewHoarder);
        // Almost no bytes pending, but so many queued views that their heap reaches the limit.
        when(viewHoarder.pendingBytes()).thenReturn(10L);
        when(viewHoarder.pendingBuffers()).thenReturn((int) (limit / LocalRoom.VIEW_HEAP_BYTES));

        s.onData(bytes("[s] hi\n"));
        endOfWakeup(loop);

        assertEquals(1, chat.membersBehind(), "behind by the heap of its views, with 10 bytes queued");
        assertEquals(0, s.inputAllowance(), "so the room waits for it");
        verify(viewHoarder, never()).close(any(), anyString());
        assertEquals("[s] hi\n", drain(speaker), "everyone is served");
    }

    @Test
    void aMemberAtItsEofHearsItsOwnLastLineThenLeaves() throws Exception {
        ChatProtocol chat = new ChatProtocol(ChatConfig.defaults());
        Loop loop = loop();
        Link leaver = link(loop);
        Link stayer = link(loop);
        Session s = chat.open(leaver);
        chat.open(stayer);

        s.onData(bytes("[l] bye"));
        s.onInputClosed();
        endOfWakeup(loop);

        assertEquals("[l] bye\n", drain(leaver));
        assertEquals("[l] bye\n", drain(stayer));
        assertEquals(1, chat.members());
    }

    /** A sender whose too-long line comes in the same read as good ones hears those first, then the error. */
    @Test
    void aSenderCutForATooLongLineStillHearsItsGoodLinesBeforeTheError() throws Exception {
        ChatProtocol chat = new ChatProtocol(new ChatConfig(100, 100_000));
        Loop loop = loop();
        Link sender = link(loop);
        Link other = link(loop);
        Session s = chat.open(sender);
        chat.open(other);

        s.onData(bytes("[s] good\n[s] also good\n" + "x".repeat(200)));
        endOfWakeup(loop);

        assertEquals("[s] good\n[s] also good\nerror: line too long (max 100 bytes); closing\n", drain(sender));
        assertEquals("[s] good\n[s] also good\n", drain(other), "nobody else hears any of the refused line");
        verify(sender).closeAfterFlush(eq(CloseReason.LINE_TOO_LONG), anyString());
    }

    /**
     * Many wakeups through small blocks: lines span blocks, blocks come back and are reused,
     * the pool stays small, and a view held by a laggard keeps its bytes while others' blocks
     * are recycled around it.
     */
    @Test
    void blocksAreReusedAndNoViewOutlivesItsBlocksReuse() throws Exception {
        int blockSize = 256;
        ChatProtocol chat = new ChatProtocol(new ChatConfig(1000, 1 << 30), blockSize, 32);
        Loop loop = loop();
        Link speaker = link(loop);
        Link reader = link(loop);
        Link laggard = link(loop);
        Session s = chat.open(speaker);
        chat.open(reader);
        chat.open(laggard);
        Random random = new Random(42);
        StringBuilder said = new StringBuilder();
        StringBuilder laggardGot = new StringBuilder();
        int line = 0;
        for (int wakeup = 0; wakeup < 2000; wakeup++) {
            StringBuilder now = new StringBuilder();
            for (int n = random.nextInt(4); n > 0; n--) {
                now.append("[s] ").append(line++).append(' ').append("x".repeat(random.nextInt(300))).append('\n');
            }
            s.onData(bytes(now.toString()));
            said.append(now);
            endOfWakeup(loop);
            drain(speaker);
            assertEquals(now.toString(), drain(reader), "wakeup " + wakeup);
            if (wakeup % 20 == 19) { // the laggard reads rarely: its views pin their blocks meanwhile
                laggardGot.append(drain(laggard));
            }
        }
        laggardGot.append(drain(laggard));
        assertEquals(said.toString(), laggardGot.toString(), "held views kept their bytes");
        BlockPool pool = chat.poolOf(loop);
        assertTrue(pool.reused() > 10 * pool.allocated(),
                "reused " + pool.reused() + " times, allocated " + pool.allocated());
        assertTrue(pool.allocated() < 64, "bounded by what the laggard pins: " + pool.allocated());
        assertTrue(pool.idle() <= 32);
    }
}
