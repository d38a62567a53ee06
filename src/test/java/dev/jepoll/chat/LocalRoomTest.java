package dev.jepoll.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The room on one loop, against mocked loops and links: the slow-consumer limit at its exact
 * boundary, leaving (at once, or after the wakeup's lines), publishing early, and every block
 * reference given back.
 */
class LocalRoomTest extends FakeLoops {
    private Block blockQueuedTo(Link link) {
        return (Block) firstQueued(link).owner();
    }

    // ---- the slow-consumer limit ----

    /** "[s] hi\n" is 7 bytes in one view: it adds 7 + 80 to a queue's cost. */
    private static final long LINE_COST = 7 + LocalRoom.VIEW_HEAP_BYTES;

    @Test
    void aQueueExactlyAtTheLimitAfterTheLineIsServed() throws Exception {
        long limit = 10_000;
        ChatProtocol chat = new ChatProtocol(new ChatConfig(100, limit));
        Loop loop = loop();
        Link speaker = link(loop);
        Link behind = link(loop);
        Session s = chat.open(speaker);
        chat.open(behind);
        when(behind.pendingBytes()).thenReturn(limit - LINE_COST - LocalRoom.VIEW_HEAP_BYTES);
        when(behind.pendingBuffers()).thenReturn(1);

        s.onData(bytes("[s] hi\n"));
        endOfWakeup(loop);

        verify(behind, never()).close(any(), any());
        assertEquals("[s] hi\n", drain(behind));
    }

    @Test
    void aQueueOneBytePastTheLimitAfterTheLineIsCutAndEveryoneElseServed() throws Exception {
        long limit = 10_000;
        ChatProtocol chat = new ChatProtocol(new ChatConfig(100, limit));
        Loop loop = loop();
        Link speaker = link(loop);
        Link behind = link(loop);
        Session s = chat.open(speaker);
        chat.open(behind);
        long pending = limit - LINE_COST - LocalRoom.VIEW_HEAP_BYTES + 1;
        when(behind.pendingBytes()).thenReturn(pending);
        when(behind.pendingBuffers()).thenReturn(1);

        s.onData(bytes("[s] hi\n"));
        endOfWakeup(loop);

        verify(behind, never()).enqueue(any(ByteBuffer.class), any());
        verify(behind).close(CloseReason.SLOW_CONSUMER,
                (pending + LocalRoom.VIEW_HEAP_BYTES) + " bytes queued (text and views), limit " + limit);
        Block block = blockQueuedTo(speaker);
        assertEquals("[s] hi\n", drain(speaker));
        assertEquals(1, block.references(), "only the log's: the cut member's reference was given back");
    }

    // ---- leaving ----

    @Test
    void aMemberWhoLeftHearsNothingAndTheOthersStillHearEverything() throws Exception {
        ChatProtocol chat = new ChatProtocol(ChatConfig.defaults());
        Loop loop = loop();
        Link a = link(loop);
        Link b = link(loop);
        Link c = link(loop);
        Session sa = chat.open(a);
        Session sb = chat.open(b);
        chat.open(c);

        sa.onClosed(CloseReason.PEER_RESET); // the first leaves: the last takes its place
        sa.onClosed(CloseReason.PEER_RESET); // again: nothing happens
        assertEquals(2, chat.members());
        sb.onData(bytes("[b] hi\n"));
        endOfWakeup(loop);
        verify(a, never()).enqueue(any(ByteBuffer.class), any());
        assertEquals("[b] hi\n", drain(b));
        assertEquals("[b] hi\n", drain(c));
    }

    @Test
    void theLastMemberLeavingLeavesTheOthersInPlace() throws Exception {
        ChatProtocol chat = new ChatProtocol(ChatConfig.defaults());
        Loop loop = loop();
        Link a = link(loop);
        Link b = link(loop);
        Session sa = chat.open(a);
        Session sb = chat.open(b);
        sb.onClosed(CloseReason.PEER_CLOSED);
        assertEquals(1, chat.members());
        sa.onData(bytes("[a] alone\n"));
        endOfWakeup(loop);
        assertEquals("[a] alone\n", drain(a));
        verify(b, never()).enqueue(any(ByteBuffer.class), any());
    }

    @Test
    void aMemberAtItsEofWithNothingSaidThisWakeupLeavesAtOnce() throws Exception {
        ChatProtocol chat = new ChatProtocol(ChatConfig.defaults());
        Loop loop = loop();
        Session s = chat.open(link(loop));
        chat.open(link(loop));
        s.onInputClosed();
        assertEquals(1, chat.members());
    }

    @Test
    void membersWhoLeftAfterThePublishAreForgotten() throws Exception {
        ChatProtocol chat = new ChatProtocol(ChatConfig.defaults());
        Loop loop = loop();
        Link leaver = link(loop);
        Session s = chat.open(leaver);
        s.onData(bytes("[l] bye\n"));
        s.onInputClosed();
        endOfWakeup(loop);
        assertEquals(0, chat.members());
        Field f = LocalRoom.class.getDeclaredField("leavingAfterPublish");
        f.setAccessible(true);
        assertEquals(List.of(), f.get(chat.roomOn(loop)), "the room keeps no reference to a member gone");
    }

    // ---- publishing ----

    @Test
    void aWakeupThatHeardSixtyFourKibibytesPublishesAtOnce() throws Exception {
        ChatProtocol chat = new ChatProtocol(new ChatConfig(LocalRoom.PUBLISH_EARLY_BYTES, 1 << 30));
        Loop loop = loop();
        Link a = link(loop);
        Session s = chat.open(a);
        s.onData(bytes("x".repeat(LocalRoom.PUBLISH_EARLY_BYTES - 2) + "\n"));
        verify(a, never()).enqueue(any(ByteBuffer.class), any());
        s.onData(bytes("\n")); // exactly 64 KiB heard
        verify(a, times(1)).enqueue(any(ByteBuffer.class), any());
        assertEquals(LocalRoom.PUBLISH_EARLY_BYTES, drain(a).length());
        endOfWakeup(loop); // the end of the wakeup: nothing more to publish
        verify(a, times(1)).enqueue(any(ByteBuffer.class), any());
    }

    // ---- across loops ----

    @Test
    void everyBlockReferenceIsGivenBackOnceEveryLoopFannedOutAndEveryViewWasWritten() throws Exception {
        ChatProtocol chat = new ChatProtocol(ChatConfig.defaults());
        Loop home = loop();
        Loop other = loop();
        List<Loop> all = List.of(home, other);
        doReturn(all).when(home).peers();
        doReturn(all).when(other).peers();
        Link speaker = link(home);
        Link there = link(other);
        Session s = chat.open(speaker);
        chat.open(there);

        s.onData(bytes("[s] hello\n"));
        endOfWakeup(home);
        Block block = blockQueuedTo(speaker);
        assertEquals(3, block.references(), "the log's, the speaker's view, the other loop's delivery");
        runTasks(other);
        assertEquals("[s] hello\n", drain(there));
        assertEquals("[s] hello\n", drain(speaker));
        assertEquals(1, block.references(), "only the log's, while it appends");
        verify(there, never()).close(eq(CloseReason.SLOW_CONSUMER), anyString());
    }
}
