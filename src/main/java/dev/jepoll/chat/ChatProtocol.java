package dev.jepoll.chat;

import dev.jepoll.reactor.Link;
import dev.jepoll.reactor.Loop;
import dev.jepoll.reactor.Protocol;
import dev.jepoll.reactor.Session;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The chapter's exercise 7: a chat server that relays every line any client sends to every
 * connected client, the sender included. One room per server, kept as one {@link LocalRoom}
 * per event loop: a loop's lines reach its own members directly and the other loops' members
 * through one hand-off per loop and wakeup. Every member hears each sender's lines in the
 * order they were said, each line whole and once. Use one instance per server.
 */
public final class ChatProtocol implements Protocol {
    /** Lines are appended to blocks of this size; a wakeup's lines usually fit one. */
    static final int BLOCK_SIZE = 64 * 1024;
    /** Idle blocks each loop keeps for reuse (1 MiB of direct memory). */
    static final int MAX_IDLE_BLOCKS = 16;

    private final ChatConfig config;
    private final int blockSize;
    private final int maxIdleBlocks;
    private final Map<Loop, LocalRoom> rooms = new ConcurrentHashMap<>();
    private final Map<Loop, BlockPool> pools = new ConcurrentHashMap<>();

    /** @param config the room's policies: max line, slow-consumer limit */
    public ChatProtocol(ChatConfig config) {
        this(config, BLOCK_SIZE, MAX_IDLE_BLOCKS);
    }

    /** For tests: small blocks make lines span blocks and blocks come back often. */
    ChatProtocol(ChatConfig config, int blockSize, int maxIdleBlocks) {
        this.config = config;
        this.blockSize = blockSize;
        this.maxIdleBlocks = maxIdleBlocks;
    }

    @Override
    public Session open(Link link) {
        LocalRoom room = roomOn(link.loop());
        Member member = new Member(link, room, config.maxLineBytes());
        room.join(member);
        return member;
    }

    /** The room's part on {@code loop}, made on first use; call it on that loop's thread. */
    LocalRoom roomOn(Loop loop) {
        return rooms.computeIfAbsent(loop, l -> new LocalRoom(l, this, config.slowConsumerLimit(), poolOf(l)));
    }

    BlockPool poolOf(Loop loop) {
        return pools.computeIfAbsent(loop, l -> new BlockPool(blockSize, maxIdleBlocks, l::account));
    }

    /** {@return members in the room, on every loop}; readable from any thread (each loop's count is current for it) */
    public int members() {
        int n = 0;
        for (LocalRoom room : rooms.values()) {
            n += room.size();
        }
        return n;
    }
}
