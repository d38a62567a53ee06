package dev.jepoll.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import dev.jepoll.reactor.CloseReason;
import dev.jepoll.reactor.Link;
import dev.jepoll.reactor.Loop;
import dev.jepoll.reactor.Session;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;

/** One member: a line too long, closing, and what an unfinished line costs. */
class MemberTest {
    private final Loop loop = mock(Loop.class);
    private final ChatProtocol chat = new ChatProtocol(new ChatConfig(10, 1000));

    MemberTest() {
        when(loop.peers()).thenAnswer(inv -> List.of(loop));
    }

    private Link link(boolean open) {
        Link link = mock(Link.class);
        when(link.loop()).thenReturn(loop);
        when(link.isOpen()).thenReturn(open);
        return link;
    }

    private static ByteBuffer bytes(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    @Test
    void aLineTooLongGetsAnErrorLineAndACloseAfterItAndLeavesTheRoom() throws Exception {
        Link link = link(true);
        Session member = chat.open(link);
        chat.open(link(true));
        member.onData(bytes("x".repeat(11) + "\n"));
        ArgumentCaptor<ByteBuffer> error = ArgumentCaptor.forClass(ByteBuffer.class);
        verify(link).enqueue(error.capture());
        assertEquals("error: line too long (max 10 bytes); closing\n",
                StandardCharsets.UTF_8.decode(error.getValue()).toString());
        verify(link).closeAfterFlush(CloseReason.LINE_TOO_LONG, "sent a line longer than 10 bytes");
        assertEquals(1, chat.members());
    }

    @Test
    void aLineTooLongOnALinkAlreadyClosingIsNotAnsweredAgain() throws Exception {
        Link link = link(false);
        Session member = chat.open(link);
        member.onData(bytes("x".repeat(11) + "\n"));
        verify(link, never()).enqueue(any(ByteBuffer.class));
        verify(link, never()).closeAfterFlush(any(), any());
    }

    @Test
    void aClosedMemberLeavesTheRoom() {
        Session member = chat.open(link(true));
        chat.open(link(true));
        member.onClosed(CloseReason.PEER_RESET);
        assertEquals(1, chat.members());
    }

    @Test
    void anUnfinishedLineCountsAgainstTheBudget() throws Exception {
        Session member = chat.open(link(true));
        assertEquals(0, member.heldBytes());
        member.onData(bytes("abc"));
        assertEquals(6, member.heldBytes());
        member.onData(bytes("\n"));
        assertEquals(0, member.heldBytes());
    }
}
