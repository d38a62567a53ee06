package dev.jepoll.bench;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
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
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.Version;
import java.net.InetSocketAddress;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * What the Netty peers ({@link NettyEchoServer}, {@link NettyChatServer}) share, so that they
 * differ only in their handlers: the command line {@code --port N [--transport nio|epoll]},
 * one boss and one worker event loop (jepoll's single I/O thread), 127.0.0.1 only,
 * TCP_NODELAY, write watermarks 16/64 KiB (jepoll's defaults), a ready line naming
 * {@code 127.0.0.1:PORT}, and SIGTERM or SIGINT ending in a {@code summary:} line and status 0.
 */
final class NettyLauncher {
    private NettyLauncher() {}

    /**
     * Parses {@code args}, serves until SIGTERM/SIGINT, prints {@code summary: } plus what
     * {@code summary} returns, and exits the JVM. {@code program} names the class in the usage
     * message; {@code protocol} ("echo", "chat") goes into the ready line.
     */
    static void serve(String program, String protocol, String[] args, ChannelHandler childHandler,
                      Supplier<String> summary) throws InterruptedException {
        int port = -1;
        String transport = "nio";
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--port" -> port = parsePort(program, args[i + 1]);
                case "--transport" -> transport = args[i + 1];
                default -> usage(program, "unknown option " + args[i]);
            }
        }
        if (port < 0 || port > 65535 || args.length % 2 != 0) {
            usage(program, "need --port 0..65535");
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
                usage(program, "--transport must be nio or epoll");
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
        try {
            ServerBootstrap bootstrap = new ServerBootstrap()
                    .group(boss, worker)
                    .channel(channelType)
                    .option(ChannelOption.SO_BACKLOG, 1024)
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    // jepoll's defaults: stop reading a client at 64 KiB pending, resume at 16 KiB.
                    .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(16 * 1024, 64 * 1024))
                    .childHandler(childHandler);
            Channel listener = bootstrap.bind("127.0.0.1", port).sync().channel();
            int bound = ((InetSocketAddress) listener.localAddress()).getPort();
            System.out.printf("netty %s server on 127.0.0.1:%d (transport %s, 1 boss + 1 worker thread, netty %s)%n",
                    protocol, bound, transport, nettyVersion());
            System.out.flush();
            stop.await();
            listener.close().sync();
        } finally {
            boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).sync();
            // Waiting for the worker's termination also makes everything its thread wrote
            // (the handlers' counters) visible to this thread before summary.get().
            worker.shutdownGracefully(0, 2, TimeUnit.SECONDS).sync();
        }
        System.out.println("summary: " + summary.get());
        System.exit(0);
    }

    private static int parsePort(String program, String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            usage(program, "--port needs a number, not " + value);
            return -1;
        }
    }

    private static String nettyVersion() {
        Version transport = Version.identify().get("netty-transport");
        return transport != null ? transport.artifactVersion() : "?";
    }

    private static void usage(String program, String problem) {
        System.err.println("netty: " + problem);
        System.err.println("usage: " + program + " --port N [--transport nio|epoll]");
        System.exit(2);
    }
}
