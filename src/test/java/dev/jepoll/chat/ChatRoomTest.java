package dev.jepoll.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import dev.jepoll.reactor.CloseReason;
import dev.jepoll.reactor.Link;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;

/** The room's fan-out, against mocked links whose pending output the test sets. */
class ChatRoomTest {
    private final ChatRoom room = new ChatRoom(100);

    private static Link member(long pending) {
        Link link = mock(Link.class);
        when(link.pendingBytes()).thenReturn(pending);
        return link;
    }

    @Test
    void everyMemberGetsItsOwnViewOfTheSameBytes() {
        Link a = member(0);
        Link b = member(0);
        room.join(a);
        room.join(b);
        byte[] bytes = "[a] hi\n".getBytes(StandardCharsets.US_ASCII);
        room.broadcast(ByteBuffer.wrap(bytes));

        ArgumentCaptor<ByteBuffer> toA = ArgumentCaptor.forClass(ByteBuffer.class);
        ArgumentCaptor<ByteBuffer> toB = ArgumentCaptor.forClass(ByteBuffer.class);
        verify(a).enqueue(toA.capture());
        verify(b).enqueue(toB.capture());
        assertNotSame(toA.getValue(), toB.getValue(), "each has its own position");
        bytes[1] = 'z'; // one copy of the bytes: a change shows through every view
        assertEquals('z', toA.getValue().get(1));
        assertEquals('z', toB.getValue().get(1));
    }

    @Test
    void aMemberTheLineWouldTakePastTheLimitIsDisconnectedAndTheRestServed() {
        Link slow = member(95);
        Link fine = member(0);
        room.join(slow);
        room.join(fine);
        room.broadcast(ByteBuffer.wrap(new byte[10])); // 95 + 10 > 100

        verify(slow, never()).enqueue(any());
        verify(slow).close(eq(CloseReason.SLOW_CONSUMER), anyString());
        verify(fine).enqueue(any());
    }

    @Test
    void aMemberWhoLeftGetsNothing() {
        Link gone = member(0);
        room.join(gone);
        room.leave(gone);
        room.broadcast(ByteBuffer.wrap(new byte[3]));
        verify(gone, never()).enqueue(any());
        assertEquals(0, room.size());
    }
}
