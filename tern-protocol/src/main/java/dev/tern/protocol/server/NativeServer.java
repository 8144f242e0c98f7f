package dev.tern.protocol.server;

import dev.tern.common.error.ErrorCode;
import dev.tern.common.error.TernException;
import dev.tern.engine.Engine;
import dev.tern.protocol.Frame;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * The native protocol server: length-prefixed binary frames over TCP (see {@code docs/wire-protocol.md}),
 * each request mapped to one call of the {@link Engine}. One acceptor thread, {@code workerThreads} I/O
 * threads; engine futures complete elsewhere and their responses are written from there.
 * <p>
 * A bad client only ever hurts its own connection: a frame that cannot be decoded gets an ERROR frame and
 * that connection is closed, and each connection has its own bound on requests in flight. Members that
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
    private EventLoopGroup acceptor;
    private EventLoopGroup workers;
    private Channel listener;
    private boolean closed;

    public NativeServer(Engine engine, NativeServerConfig config) {
        this.config = config.validate();
        this.dispatcher = new RequestDispatcher(engine, new MemberRegistry(), config.maxFrameBytes() / 2);
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
        return connections.size();
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

    /** The pipeline of one connection: idle timer, frame splitter, request handler. */
    private final class Initializer extends ChannelInitializer<SocketChannel> {
        @Override
        protected void initChannel(SocketChannel ch) {
            connections.add(ch);
            ch.pipeline()
                    .addLast("idle", new IdleStateHandler(config.idleTimeoutMs(), 0, 0, TimeUnit.MILLISECONDS))
                    .addLast("frames", new LengthFieldBasedFrameDecoder(config.maxFrameBytes(), 0,
                            Frame.LENGTH_FIELD_SIZE, 0, Frame.LENGTH_FIELD_SIZE, true))
                    .addLast("requests", new ServerHandler(dispatcher, config.maxInFlight()));
        }
    }
}
