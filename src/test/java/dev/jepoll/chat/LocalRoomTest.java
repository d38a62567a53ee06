package dev.jepoll.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyLong;
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
 * The room on one loop, against mocked loops and links: flow control (the slow-consumer limit
 * at its exact boundary, the stall timeout, the window between loops), leaving (at once, or
 * after the wakeup's lines), publishing early, and every block reference given back.
 */
class LocalRoomTest extends FakeLoops {
    private Block blockQueuedTo(Link link) {
        return (Block) firstQueued(link).owner();
    }

    // ---- flow control: the slow-consumer limit, the stall timeout, the window ----

    /** "[s] hi\n" is 7 bytes in one view: it adds 7 + 80 to a queue's cost. */
    private static final long LINE_COST = 7 + LocalRoom.VIEW_HEAP_BYTES;
    private static final long LIMIT = 10_000;
    private static final long STALL_MILLIS = 500;

    private final ChatProtocol chat = new ChatProtocol(new ChatConfig(100, LIMIT, STALL_MILLIS));

    /** A room on {@code loop} where {@code behind}'s queue will cost {@code costAfter} once "[s] hi" is delivered. */
    private Session speakerWith(Loop loop, Link speaker, Link behind, long costAfter) {
        Session s = chat.open(speaker);
        chat.open(behind);
        when(behind.pendingBytes()).thenReturn(costAfter - LocalRoom.VIEW_HEAP_BYTES);
        when(behind.pendingBuffers()).thenReturn(1);
        return s;
    }

    @Test
    void aQueueOneByteUnderTheLimitIsServedAndTheRoomGoesOn() throws Exception {
        Loop loop = loop();
        Link speaker = link(loop);
        Link behind = link(loop);
        Session s = speakerWith(loop, speaker, behind, LIMIT - 1);
        s.onData(bytes("[s] hi\n"));
        endOfWakeup(loop);
        assertEquals("[s] hi\n", drain(behind));
        assertEquals(0, chat.membersBehind());
        assertEquals(LocalRoom.PUBLISH_EARLY_BYTES, s.inputAllowance(), "the room still reads");
        verify(behind, never()).notifyWhenDrained(anyLong());
    }

    @Test
    void aQueueAtTheLimitIsServedTooButTheWholeRoomStopsReadingUntilItDrainsToAQuarter() throws Exception {
        Loop loop = loop();
        Link speaker = link(loop);
        Link behind = link(loop);
        Session s = speakerWith(loop, speaker, behind, LIMIT);
        Session late = chat.open(link(loop));
        s.onData(bytes("[s] hi\n"));
        endOfWakeup(loop);

        assertEquals("[s] hi\n", drain(behind), "nobody is cut for being behind");
        verify(behind, never()).close(any(), any());
        assertEquals(1, chat.membersBehind());
        assertEquals(0, s.inputAllowance(), "the senders wait, all of them");
        assertEquals(0, late.inputAllowance());
        verify(behind).notifyWhenDrained(LIMIT / 4);
        assertEquals(1, timersWaiting(loop), "its stall is checked");

        memberOf(behind).onDrained(); // the reactor: its queue is down to a quarter
        assertEquals(0, chat.membersBehind());
        assertEquals(LocalRoom.PUBLISH_EARLY_BYTES, s.inputAllowance());
        verify(speaker, never()).resumeInput();
        runTasks(loop); // the room re-opens on every loop, as a task
        verify(speaker).resumeInput();
        verify(behind).resumeInput();
    }

    @Test
    void aMemberBehindThatTakesNothingForTheStallTimeoutIsCutAndOnlyIt() throws Exception {
        Loop loop = loop();
        Link speaker = link(loop);
        Link behind = link(loop);
        Session s = speakerWith(loop, speaker, behind, LIMIT);
        s.onData(bytes("[s] hi\n"));
        endOfWakeup(loop);

        when(behind.stalledNanos()).thenReturn((STALL_MILLIS - 100) * 1_000_000); // it wrote 100 ms ago
        runTimers(loop);
        verify(behind, never()).close(any(), any());
        assertEquals(1, timersWaiting(loop), "checked again when its 500 ms would be up");
        verify(loop).schedule(eq(100L), any(Runnable.class)); // 100 ms from now, not 900

        when(behind.stalledNanos()).thenReturn(STALL_MILLIS * 1_000_000);
        runTimers(loop);
        verify(behind).close(eq(CloseReason.SLOW_CONSUMER), eq("took nothing for 500 ms with " + LIMIT
                + " bytes queued (text and views), limit " + LIMIT + ", while the room waited for it"));
        verify(speaker, never()).close(any(), any());
        memberOf(behind).onClosed(CloseReason.SLOW_CONSUMER); // the reactor tells its session
        assertEquals(0, chat.membersBehind(), "gone: the room no longer waits for it");
        runTasks(loop);
        verify(speaker).resumeInput();
    }

    @Test
    void aMemberThatCaughtUpBeforeItsCheckIsLeftAlone() throws Exception {
        Loop loop = loop();
        Link behind = link(loop);
        Session s = speakerWith(loop, link(loop), behind, LIMIT);
        s.onData(bytes("[s] hi\n"));
        endOfWakeup(loop);
        memberOf(behind).onDrained();
        when(behind.stalledNanos()).thenReturn(Long.MAX_VALUE);
        runTimers(loop);
        verify(behind, never()).close(any(), any());
        assertEquals(0, timersWaiting(loop));
    }

    @Test
    void aClosingMemberIsHandedNothingAndGivesItsReferenceBack() throws Exception {
        Loop loop = loop();
        Link speaker = link(loop);
        Link closing = link(loop);
        Session s = chat.open(speaker);
        chat.open(closing);
        when(closing.acceptsOutput()).thenReturn(false);
        s.onData(bytes("[s] hi\n"));
        endOfWakeup(loop);
        verify(closing, never()).enqueue(any(ByteBuffer.class), any());
        Block block = blockQueuedTo(speaker);
        assertEquals("[s] hi\n", drain(speaker));
        assertEquals(1, block.references(), "only the log's");
    }

    private Session memberOf(Link link) throws Exception {
        LocalRoom room = chat.roomOn(link.loop());
        Field f = LocalRoom.class.getDeclaredField("members");
        f.setAccessible(true);
        for (Object m : (List<?>) f.get(room)) {
            if (((Member) m).link == link) {
                return (Member) m;
            }
        }
        throw new AssertionError("not a member");
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

    @Test
    void aLoopStopsReadingOnceItsLinesInFlightFillTheWindowAndResumesAsThePeerFansOut() throws Exception {
        ChatProtocol chat = new ChatProtocol(ChatConfig.defaults());
        Loop home = loop();
        Loop other = loop();
        List<Loop> all = List.of(home, other);
        doReturn(all).when(home).peers();
        doReturn(all).when(other).peers();
        Link speaker = link(home);
        Session s = chat.open(speaker);
        chat.open(link(other));
        String line = "x".repeat(1023) + "\n";
        long window = LocalRoom.WINDOW_PER_PEER;
        for (long said = 0; said < window; said += line.length()) {
            assertTrue(s.inputAllowance() > 0, "within the window after " + said);
            s.onData(bytes(line));
        }
        endOfWakeup(home);
        assertEquals(0, s.inputAllowance(), "a window's worth on its way, not yet fanned out");
        runTasks(other); // the other loop fans out: the credit comes back
        assertEquals(LocalRoom.PUBLISH_EARLY_BYTES, s.inputAllowance());
        runTasks(home);
        verify(speaker).resumeInput();
    }

    @Test
    void aDeliveryToALoopThatStoppedGivesItsReferencesAndCreditBack() throws Exception {
        ChatProtocol chat = new ChatProtocol(ChatConfig.defaults());
        Loop home = loop();
        Loop stopped = loop();
        List<Loop> all = List.of(home, stopped);
        doReturn(all).when(home).peers();
        doReturn(all).when(stopped).peers();
        Link speaker = link(home);
        Session s = chat.open(speaker);
        s.onData(bytes("x".repeat(LocalRoom.PUBLISH_EARLY_BYTES - 1) + "\n"));
        s.onData(bytes("y".repeat(LocalRoom.PUBLISH_EARLY_BYTES - 1) + "\n"));
        assertEquals(0, s.inputAllowance(), "two deliveries in flight fill the window");
        Block block = blockQueuedTo(speaker);
        discardTasks(stopped);
        drain(speaker);
        assertEquals(0, block.references(), "the first block is full, so the log let it go: nobody holds it");
        assertEquals(LocalRoom.PUBLISH_EARLY_BYTES, s.inputAllowance(), "the credit is back");
    }

    /** Credit coming back resumes the loop's members once, as it crosses half the window, not on every return. */
    @Test
    void creditResumesTheMembersOnceAsItCrossesHalfTheWindow() {
        Loop home = loop();
        Loop other = loop();
        doReturn(List.of(home, other)).when(home).peers();
        ChatProtocol chat = new ChatProtocol(ChatConfig.defaults());
        LocalRoom room = chat.roomOn(home);
        long half = LocalRoom.WINDOW_PER_PEER / 2;
        room.creditBack(-(half + 30_000)); // that much handed out (a negative credit), past half the window
        room.creditBack(20_000);            // still above half: nothing
        verify(home, never()).execute(any());
        room.creditBack(20_000);            // crosses below half: the members are resumed
        verify(home, times(1)).execute(any());
        room.creditBack(5_000);             // already below: not again
        verify(home, times(1)).execute(any());
    }

    /** A loop that stops gives back the block its room was appending to, and publishes what it had not. */
    @Test
    void aStoppedLoopsRoomPublishesWhatItHeardAndGivesItsBlockBack() throws Exception {
        ChatProtocol chat = new ChatProtocol(ChatConfig.defaults());
        Loop loop = loop();
        Link a = link(loop);
        Session s = chat.open(a);
        s.onData(bytes("[a] said just before the stop\n")); // no end of wakeup: not yet published
        BlockPool pool = chat.poolOf(loop);
        chat.loopStopped(loop);
        assertEquals("[a] said just before the stop\n", drain(a), "published at the stop, not lost");
        assertEquals(1, pool.idle(), "every reference given back: the block is in the pool");
    }
}
