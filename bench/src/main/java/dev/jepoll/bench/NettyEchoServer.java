package dev.jepoll.bench;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import java.util.concurrent.atomic.LongAdder;

/**
 * The benchmark's library peer: an echo server on Netty with one boss and one worker event
 * loop, so it has jepoll's single I/O thread.
 *
 * <pre>java -cp jepoll-bench.jar dev.jepoll.bench.NettyEchoServer --port N [--transport nio|epoll]</pre>
 *
 * Listens on 127.0.0.1 only; port 0 picks a free one. Prints
 * {@code netty echo server on 127.0.0.1:PORT (...)} when it accepts, serves until SIGTERM or
 * SIGINT, then prints a {@code summary:} line and exits 0. The command line, bootstrap and
 * shutdown are {@link NettyLauncher}'s, shared with {@link NettyChatServer}.
 */
public final class NettyEchoServer {
    private NettyEchoServer() {}

    public static void main(String[] args) throws Exception {
        EchoHandler echo = new EchoHandler();
        NettyLauncher.serve("NettyEchoServer", "echo", args, new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
                ch.pipeline().addLast(echo);
            }
        }, () -> "accepted=" + echo.accepted.sum() + " bytes_echoed=" + echo.bytesEchoed.sum());
    }

    /** Writes back what it reads, flushing once per read batch, and stops reading while the peer is slow. */
    @ChannelHandler.Sharable
    static final class EchoHandler extends ChannelInboundHandlerAdapter {
        final LongAdder accepted = new LongAdder();
        final LongAdder bytesEchoed = new LongAdder();

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            accepted.increment();
            ctx.fireChannelActive();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            bytesEchoed.add(((ByteBuf) msg).readableBytes());
            ctx.write(msg, ctx.voidPromise());
            if (!ctx.channel().isWritable()) {
                // Past the high watermark: without this a client that does not read grows our heap.
                ctx.channel().config().setAutoRead(false);
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            ctx.channel().config().setAutoRead(ctx.channel().isWritable());
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close(); // resets from clients going away are normal in a benchmark
        }
    }
}
