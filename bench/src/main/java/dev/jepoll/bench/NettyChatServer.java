package dev.jepoll.bench;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.LineBasedFrameDecoder;
import io.netty.handler.codec.TooLongFrameException;
import java.util.ArrayList;
import java.util.List;

/**
 * The chat benchmark's library peer: jepoll's chat protocol on Netty, written the way a Netty
 * user who cares about speed would write it, with one boss and one worker event loop (jepoll's
 * single I/O thread).
 *
 * <pre>java -cp jepoll-bench.jar dev.jepoll.bench.NettyChatServer --port N [--transport nio|epoll]</pre>
 *
 * Listens on 127.0.0.1 only; port 0 picks a free one. Prints
 * {@code netty chat server on 127.0.0.1:PORT (...)} when it accepts, serves until SIGTERM or
 * SIGINT, then prints {@code summary: accepted=.. lines=.. deliveries=.. slow_closed=..
 * too_long=..} and exits 0 (see {@link NettyLauncher}).
 *
 * <p>The protocol: each client's bytes are cut into lines ending in {@code '\n'}
 * ({@link LineBasedFrameDecoder}, at most 65536 bytes before the {@code '\n'}, fail-fast: a longer
 * line closes its sender), and every line, {@code '\n'} included, goes to every connected client,
 * its sender too.
 *
 * <p>Why it is written this way:
 * <ul>
 * <li>All channels live on the single worker loop, so the room is a plain {@link ArrayList}
 *     touched only by that thread: no locks, and every line is queued to everyone before the
 *     next line is looked at, so all clients see the lines in one order. (Netty's
 *     {@code DefaultChannelGroup} would also work, but its {@code write} builds a future per
 *     channel per line and iterates a concurrent map: needless work on one thread.)</li>
 * <li>A line is not copied per recipient: each gets a {@link ByteBuf#retainedDuplicate()} of
 *     the decoder's pooled direct slice, written with the void promise (no future per write).</li>
 * <li>Lines are written without flushing; after a read completes, one flush-all task is put on
 *     the event loop if none is pending yet. The loop runs its tasks after the I/O of the
 *     current wakeup, so every line that wakeup read leaves in one {@code writev} per client,
 *     instead of one system call per line per client.</li>
 * <li>Backpressure as in {@link NettyEchoServer}: a client whose pending output passes the high
 *     watermark (64 KiB) is not read from until it drains to 16 KiB. Others' lines are still
 *     queued to it; past {@link ChatRoom#SLOW_CONSUMER_LIMIT} (64 MiB) it is closed. That bound is
 *     a safety net, not something the benchmark is expected to reach.</li>
 * </ul>
 */
public final class NettyChatServer {
    static final int MAX_LINE = 65536;

    private NettyChatServer() {}

    public static void main(String[] args) throws Exception {
        ChatRoom room = new ChatRoom();
        NettyLauncher.serve("NettyChatServer", "chat", args, new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
                // One decoder per channel (it holds that channel's unfinished line); the room is shared.
                ch.pipeline().addLast(new LineBasedFrameDecoder(MAX_LINE, false, true), room);
            }
        }, room::summary);
    }

    /** Everyone connected, on the worker loop only; relays each line to all and flushes once per wakeup. */
    @ChannelHandler.Sharable
    static final class ChatRoom extends ChannelInboundHandlerAdapter {
        static final long SLOW_CONSUMER_LIMIT = 64L << 20;

        // Confined to the single worker thread; NettyLauncher reads the counters only after that
        // thread has terminated.
        private final List<Channel> members = new ArrayList<>();
        private final Runnable flushAll = this::flushAll;
        private boolean flushScheduled;
        private long accepted;
        private long lines;
        private long deliveries;
        private long slowClosed;
        private long tooLong;

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            accepted++;
            members.add(ctx.channel());
            ctx.fireChannelActive();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            members.remove(ctx.channel()); // a no-op for the slow consumers broadcast() removed
            ctx.fireChannelInactive();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf line = (ByteBuf) msg;
            try {
                broadcast(line);
            } finally {
                line.release(); // each recipient holds its own reference
            }
        }

        private void broadcast(ByteBuf line) {
            lines++;
            deliveries += members.size();
            List<Channel> tooSlow = null;
            for (int i = 0, n = members.size(); i < n; i++) {
                Channel member = members.get(i);
                member.write(line.retainedDuplicate(), member.voidPromise());
                // Only an unwritable channel (past 64 KiB) can be past the bound: one volatile read
                // per delivery in the common case. A closed one is not writable either, hence isActive.
                if (!member.isWritable() && member.isActive()
                        && member.bytesBeforeWritable() > SLOW_CONSUMER_LIMIT) {
                    if (tooSlow == null) {
                        tooSlow = new ArrayList<>();
                    }
                    tooSlow.add(member);
                }
            }
            if (tooSlow != null) { // not while iterating the room
                for (Channel member : tooSlow) {
                    slowClosed++;
                    members.remove(member);
                    member.close();
                }
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            if (!flushScheduled) {
                flushScheduled = true;
                ctx.channel().eventLoop().execute(flushAll);
            }
            ctx.fireChannelReadComplete();
        }

        private void flushAll() {
            flushScheduled = false;
            for (int i = 0, n = members.size(); i < n; i++) {
                members.get(i).flush();
            }
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            ctx.channel().config().setAutoRead(ctx.channel().isWritable());
            ctx.fireChannelWritabilityChanged();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (cause instanceof TooLongFrameException) {
                tooLong++;
            }
            ctx.close(); // resets from clients going away, writes to a just-closed peer: both normal here
        }

        String summary() {
            return "accepted=" + accepted + " lines=" + lines + " deliveries=" + deliveries
                    + " slow_closed=" + slowClosed + " too_long=" + tooLong;
        }
    }
}
