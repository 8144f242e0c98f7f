package dev.tern.protocol.server;

import dev.tern.common.error.ErrorCode;
import dev.tern.common.error.TernException;
import dev.tern.engine.Engine;
import dev.tern.protocol.ResponseCodec;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * The native protocol server: length-prefixed binary frames over TCP (see {@code docs/wire-protocol.md}),
 * each request mapped to one call of the {@link Engine}. One acceptor thread, {@code workerThreads} I/O
 * threads; engine futures complete elsewhere and their responses are written from there.
 * <p>
 * A bad client only ever hurts its own connection: a frame that cannot be decoded gets an ERROR frame and
 * that connection is closed. Resources are bounded before any work is done for a client: connections past
 * {@code native.max.connections} are answered with an ERROR LIMIT_EXCEEDED and closed before anything is
 * read, and the request bytes held for each connection and for all of them are bounded ({@link FrameReader},
 * {@link InflightBytes}): past them the server stops reading (back-pressure, not an error). Members that
 * joined a group over a connection leave the group when it closes. The server does not own the engine:
 * {@link #close()} stops accepting, closes every connection and the I/O threads, and leaves the engine open.
 *
 * <pre>{@code
 * try (NativeServer server = new NativeServer(engine, NativeServerConfig.ephemeral()).start()) {
 *     int port = server.port();
 *     ...
 * }
 * }</pre>
 */
public final class NativeServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(NativeServer.class);

    private final NativeServerConfig config;
    private final RequestDispatcher dispatcher;
    private final ChannelGroup connections = new DefaultChannelGroup("tern-native", GlobalEventExecutor.INSTANCE);
    private final AtomicInteger open = new AtomicInteger();
    private final LongAdder refused = new LongAdder();
    private final InflightBytes inflight;
    private EventLoopGroup acceptor;
    private EventLoopGroup workers;
    private Channel listener;
    private boolean closed;

    public NativeServer(Engine engine, NativeServerConfig config) {
        this.config = config.validate();
        this.dispatcher = new RequestDispatcher(engine, new MemberRegistry(), config.maxFrameBytes() / 2);
        this.inflight = new InflightBytes(config.maxInflightBytesTotal());
    }

    /**
     * Binds and starts serving; logs one line with the bound address.
     *
     * @throws TernException CONNECTION when the address cannot be bound
     */
    public synchronized NativeServer start() {
        if (listener != null || closed) throw new IllegalStateException("start once, before close");
        acceptor = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("tern-native-acceptor"), NioIoHandler.newFactory());
        workers = new MultiThreadIoEventLoopGroup(config.workerThreads(), new DefaultThreadFactory("tern-native-io"),
                NioIoHandler.newFactory());
        ServerBootstrap bootstrap = new ServerBootstrap().group(acceptor, workers)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.SO_KEEPALIVE, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(1 << 20, 4 << 20))
                .childHandler(new Initializer());
        try {
            listener = bootstrap.bind(config.host(), config.port()).syncUninterruptibly().channel();
        } catch (RuntimeException e) {
            shutdownThreads();
            throw new TernException(ErrorCode.CONNECTION, "cannot listen on " + config.host() + ":" + config.port() + ": " + e, e);
        }
        log.info("native protocol listening on {}:{}", config.host(), port());
        return this;
    }

    /** The bound port (the chosen one when configured with 0). */
    public int port() {
        return address().getPort();
    }

    /** The bound address. */
    public InetSocketAddress address() {
        if (listener == null) throw new IllegalStateException("not started");
        return (InetSocketAddress) listener.localAddress();
    }

    /** Connections open now. */
    public int connections() {
        return open.get();
    }

    /** Connections refused since the start because {@code native.max.connections} were open. */
    public long refusedConnections() {
        return refused.sum();
    }

    /** Request bytes held now over all connections (frames being read and requests not answered yet, with their overhead). */
    public long inflightBytes() {
        return inflight.used();
    }

    /** Times since the start that a connection stopped being read because its or the node's in-flight budget was spent. */
    public long readPauses() {
        return inflight.pauses();
    }

    /** Stops accepting, closes every connection, stops the I/O threads. Idempotent; the engine stays open. */
    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        if (listener != null) listener.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        connections.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        shutdownThreads();
        log.info("native protocol stopped");
    }

    private void shutdownThreads() {
        if (acceptor != null) acceptor.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        if (workers != null) workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }

    /**
     * The pipeline of one connection: idle timer, frame splitter with its byte budget, request handler; or,
     * past {@code native.max.connections}, only the refusal (counted before anything is allocated for it).
     */
    private final class Initializer extends ChannelInitializer<SocketChannel> {
        @Override
        protected void initChannel(SocketChannel ch) {
            connections.add(ch);
            if (open.incrementAndGet() > config.maxConnections()) {
                open.decrementAndGet();
                refused.increment();
                ch.config().setAutoRead(false);
                ch.pipeline().addLast("refuse", new Refusal(config.maxConnections()));
                return;
            }
            ch.closeFuture().addListener(f -> open.decrementAndGet());
            FrameReader reader = new FrameReader(config.maxFrameBytes(), config.maxInflightBytes(), inflight);
            ch.pipeline()
                    .addLast("idle", new IdleStateHandler(config.idleTimeoutMs(), 0, 0, TimeUnit.MILLISECONDS))
                    .addLast("frames", reader)
                    .addLast("requests", new ServerHandler(dispatcher, reader));
        }
    }

    /**
     * Tells a connection over the limit why, then closes it. What the client sent meanwhile is read and dropped,
     * never decoded: closing a socket with unread bytes would reset it, and the reset can overtake the ERROR
     * frame. The output is shut down after the frame (the client sees it, then the end of the stream) and the
     * socket is closed when the client closes its side, or after a second.
     */
    private static final class Refusal extends ChannelInboundHandlerAdapter {
        private final int max;

        Refusal(int max) {
            this.max = max;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            log.debug("refusing connection {}: {} connections open", ctx.channel().remoteAddress(), max);
            SocketChannel ch = (SocketChannel) ctx.channel();
            ctx.writeAndFlush(ResponseCodec.error(ctx.alloc(), 0, ErrorCode.LIMIT_EXCEEDED,
                    "too many connections: the node accepts " + max + " native connections at once (native.max.connections)"))
                    .addListener(f -> {
                        ch.shutdownOutput();
                        ch.config().setAutoRead(true);
                        ch.eventLoop().schedule(() -> ch.close(), 1, TimeUnit.SECONDS);
                    });
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            io.netty.util.ReferenceCountUtil.release(msg);
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof io.netty.channel.socket.ChannelInputShutdownEvent) ctx.close();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
