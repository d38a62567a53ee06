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
 * order they were said, each line whole and once. A member that cannot keep up makes the whole
 * room wait (its senders stop being read, on every loop) rather than lose its place; one that
 * stops reading is closed after the stall timeout. Use one instance per server.
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
    private final RoomFlow flow = new RoomFlow(rooms.values());
    private final Backplane backplane;

    /** @param config the room's policies: max line, slow-consumer limit */
    public ChatProtocol(ChatConfig config) {
        this(config, Backplane.NONE);
    }

    /**
     * A room shared with other nodes through {@code backplane}: what members here say is
     * published to it, and what it receives is told to every member here. The backplane is
     * started here; closing it is the caller's, after the server has stopped.
     *
     * @param config    the room's policies: max line, slow-consumer limit
     * @param backplane the other nodes, or {@link Backplane#NONE}
     */
    public ChatProtocol(ChatConfig config, Backplane backplane) {
        this(config, BLOCK_SIZE, MAX_IDLE_BLOCKS, backplane);
    }

    /** For tests: small blocks make lines span blocks and blocks come back often. */
    ChatProtocol(ChatConfig config, int blockSize, int maxIdleBlocks) {
        this(config, blockSize, maxIdleBlocks, Backplane.NONE);
    }

    private ChatProtocol(ChatConfig config, int blockSize, int maxIdleBlocks, Backplane backplane) {
        this.config = config;
        this.blockSize = blockSize;
        this.maxIdleBlocks = maxIdleBlocks;
        this.backplane = backplane;
        if (backplane != Backplane.NONE) {
            // remote lines' blocks count against the server's budget like any loop's (the budget is the server's)
            BlockPool remotePool = new BlockPool(blockSize, maxIdleBlocks, delta -> anyRoom().loop().account(delta));
            backplane.start(new RemoteInbox(rooms.values(), flow, remotePool));
        }
    }

    /** A loop's part of the room; only asked once a room exists (the inbox delivers nothing before). */
    private LocalRoom anyRoom() {
        return rooms.values().iterator().next();
    }

    Backplane backplane() {
        return backplane;
    }

    /** {@return the backplane's counters ({@link BackplaneStats#NONE} without one); any thread} */
    public BackplaneStats backplaneStats() {
        return backplane.stats();
    }

    @Override
    public Session open(Link link) {
        LocalRoom room = roomOn(link.loop());
        Member member = new Member(link, room, config.maxLineBytes());
        room.join(member);
        return member;
    }

    /** The loop stopped: its part of the room gives back the block it was appending to. */
    @Override
    public void loopStopped(Loop loop) {
        LocalRoom room = rooms.get(loop);
        if (room != null) {
            room.stopped();
        }
    }

    /** The room's part on {@code loop}, made on first use; call it on that loop's thread. */
    LocalRoom roomOn(Loop loop) {
        return rooms.computeIfAbsent(loop, l -> new LocalRoom(l, this, flow, config, poolOf(l)));
    }

    BlockPool poolOf(Loop loop) {
        return pools.computeIfAbsent(loop, l -> new BlockPool(blockSize, maxIdleBlocks, l::account));
    }

    /** {@return members the room is waiting for now (behind, on any loop); any thread} */
    public int membersBehind() {
        return flow.behind();
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
