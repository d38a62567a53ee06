package dev.jepoll.bench;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.Version;
import java.net.InetSocketAddress;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * The benchmark's library peer: an echo server on Netty with one boss and one worker event
 * loop, so it has jepoll's single I/O thread.
 *
 * <pre>java -cp jepoll-bench.jar dev.jepoll.bench.NettyEchoServer --port N [--transport nio|epoll]</pre>
 *
 * Listens on 127.0.0.1 only; port 0 picks a free one. Prints
 * {@code netty echo server on 127.0.0.1:PORT (...)} when it accepts, serves until SIGTERM or
 * SIGINT, then prints a {@code summary:} line and exits 0.
 */
public final class NettyEchoServer {

    public static void main(String[] args) throws Exception {
        int port = -1;
        String transport = "nio";
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--port" -> port = Integer.parseInt(args[i + 1]);
                case "--transport" -> transport = args[i + 1];
                default -> usage("unknown option " + args[i]);
            }
        }
        if (port < 0 || port > 65535 || args.length % 2 != 0) {
            usage("need --port 0..65535");
        }

        IoHandlerFactory ioHandlers;
        Class<? extends ServerChannel> channelType;
        switch (transport) {
            case "nio" -> {
                ioHandlers = NioIoHandler.newFactory();
                channelType = NioServerSocketChannel.class;
            }
            case "epoll" -> {
                if (!Epoll.isAvailable()) {
                    System.err.println("netty: native epoll is not available: " + Epoll.unavailabilityCause());
                    System.exit(1);
                }
                ioHandlers = EpollIoHandler.newFactory();
                channelType = EpollServerSocketChannel.class;
            }
            default -> {
                usage("--transport must be nio or epoll");
                return;
            }
        }

        CountDownLatch stop = new CountDownLatch(1);
        for (String signal : new String[] {"TERM", "INT"}) {
            // Our own handler (not a shutdown hook) so a SIGTERM ends with status 0, like jepoll.
            sun.misc.Signal.handle(new sun.misc.Signal(signal), s -> stop.countDown());
        }

        EventLoopGroup boss = new MultiThreadIoEventLoopGroup(1, ioHandlers);
        EventLoopGroup worker = new MultiThreadIoEventLoopGroup(1, ioHandlers);
        EchoHandler echo = new EchoHandler();
        try {
            ServerBootstrap bootstrap = new ServerBootstrap()
                    .group(boss, worker)
                    .channel(channelType)
                    .option(ChannelOption.SO_BACKLOG, 1024)
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    // jepoll's defaults: stop reading a client at 64 KiB pending, resume at 16 KiB.
                    .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(16 * 1024, 64 * 1024))
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline().addLast(echo);
                        }
                    });
            Channel listener = bootstrap.bind("127.0.0.1", port).sync().channel();
            int bound = ((InetSocketAddress) listener.localAddress()).getPort();
            System.out.printf("netty echo server on 127.0.0.1:%d (transport %s, 1 boss + 1 worker thread, netty %s)%n",
                    bound, transport, nettyVersion());
            System.out.flush();
            stop.await();
            listener.close().sync();
        } finally {
            boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).sync();
            worker.shutdownGracefully(0, 2, TimeUnit.SECONDS).sync();
        }
        System.out.println("summary: accepted=" + echo.accepted.sum() + " bytes_echoed=" + echo.bytesEchoed.sum());
        System.exit(0);
    }

    private static String nettyVersion() {
        Version transport = Version.identify().get("netty-transport");
        return transport != null ? transport.artifactVersion() : "?";
    }

    private static void usage(String problem) {
        System.err.println("netty: " + problem);
        System.err.println("usage: NettyEchoServer --port N [--transport nio|epoll]");
        System.exit(2);
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
