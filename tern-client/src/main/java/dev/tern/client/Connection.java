package dev.tern.client;

import dev.tern.common.error.ErrorCode;
import dev.tern.common.error.TernException;
import dev.tern.protocol.Frame;
import dev.tern.protocol.FrameCodec;
import dev.tern.protocol.FrameType;
import dev.tern.protocol.Request;
import dev.tern.protocol.RequestCodec;
import dev.tern.protocol.Response;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The client's one TCP connection to a server: sends requests with ids of its own, correlates responses
 * (any order), times requests out and reconnects on the next request after the connection dropped. Never
 * blocks: connecting and writing are asynchronous, so it may be called from the I/O thread itself.
 * Responses complete on the I/O thread.
 */
final class Connection implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Connection.class);

    private final ClientConfig config;
    private final EventLoopGroup io;
    private final Bootstrap bootstrap;
    private final ByteBufAllocator alloc = PooledByteBufAllocator.DEFAULT;
    private final AtomicInteger ids = new AtomicInteger();
    private CompletableFuture<Channel> current; // guarded by this
    private boolean closed; // guarded by this

    Connection(ClientConfig config) {
        this.config = config;
        this.io = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("tern-client-io", true), NioIoHandler.newFactory());
        this.bootstrap = new Bootstrap().group(io).channel(NioSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, config.connectTimeoutMs()))
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.SO_KEEPALIVE, true)
                .handler(new Initializer());
    }

    ClientConfig config() {
        return config;
    }

    /** Sends a request and expects a response of the given type, within the request timeout plus {@code extraMs}. */
    <R extends Response> CompletableFuture<R> call(Request request, Class<R> type, long extraMs) {
        return send(request, config.requestTimeoutMs() + Math.max(0, extraMs)).thenApply(type::cast);
    }

    <R extends Response> CompletableFuture<R> call(Request request, Class<R> type) {
        return call(request, type, 0);
    }

    /** Sends a request; the future fails with TIMEOUT, CONNECTION or the server's error. */
    CompletableFuture<Response> send(Request request, long timeoutMs) {
        int id = nextId();
        ByteBuf frame;
        try {
            frame = RequestCodec.encode(alloc, id, request);
            checkSize(frame, request);
        } catch (TernException e) {
            return CompletableFuture.failedFuture(e);
        }
        CompletableFuture<Response> result = new CompletableFuture<>();
        ScheduledFuture<?> timer = io.schedule(() -> result.completeExceptionally(new TernException(ErrorCode.TIMEOUT,
                request.type() + " to " + config.server() + " got no response within " + timeoutMs
                        + " ms (its outcome is unknown)")), timeoutMs, TimeUnit.MILLISECONDS);
        result.whenComplete((r, e) -> timer.cancel(false));
        channel().whenComplete((ch, failure) -> write(ch, failure, id, request, frame, result));
        return result;
    }

    private void write(Channel ch, Throwable failure, int id, Request request, ByteBuf frame,
                       CompletableFuture<Response> result) {
        if (failure != null || result.isDone()) {
            frame.release();
            if (failure != null) result.completeExceptionally(failure);
            return;
        }
        ClientHandler handler = ch.pipeline().get(ClientHandler.class);
        if (handler == null) {
            frame.release();
            result.completeExceptionally(new TernException(ErrorCode.CONNECTION, "connection to " + config.server() + " closed"));
            return;
        }
        if (!handler.register(id, request.type().responseType(), result)) {
            frame.release();
            result.completeExceptionally(handler.closeReason());
            return;
        }
        ch.writeAndFlush(frame).addListener(f -> {
            if (!f.isSuccess()) {
                result.completeExceptionally(new TernException(ErrorCode.CONNECTION,
                        "cannot send " + request.type() + " to " + config.server() + ": " + f.cause()));
            }
        });
    }

    private void checkSize(ByteBuf frame, Request request) {
        try {
            ErrorCode code = request.type() == FrameType.SEND ? ErrorCode.MESSAGE_TOO_LARGE : ErrorCode.INVALID_ARGUMENT;
            FrameCodec.checkSize(frame, config.maxFrameBytes(), code, request.type().toString());
        } catch (TernException e) {
            frame.release();
            throw e;
        }
    }

    private int nextId() {
        int id = ids.incrementAndGet();
        while (id == 0) id = ids.incrementAndGet(); // 0 is for errors not tied to a request
        return id;
    }

    /** The open channel, or a connection attempt: a dropped connection is replaced on the next request. */
    synchronized CompletableFuture<Channel> channel() {
        if (closed) return Futures.failed(ErrorCode.CONNECTION, "the client is closed");
        CompletableFuture<Channel> c = current;
        if (c != null && (!c.isDone() || (!c.isCompletedExceptionally() && c.join().isActive()))) return c;
        if (c != null && !c.isCompletedExceptionally()) log.info("reconnecting to {}", config.server());
        current = connect();
        return current;
    }

    private CompletableFuture<Channel> connect() {
        CompletableFuture<Channel> f = new CompletableFuture<>();
        bootstrap.connect(config.host(), config.port()).addListener((ChannelFuture cf) -> {
            if (cf.isSuccess()) {
                f.complete(cf.channel());
            } else {
                Throwable cause = cf.cause();
                f.completeExceptionally(new TernException(ErrorCode.CONNECTION,
                        "cannot connect to " + config.server() + ": " + (cause == null ? "cancelled" : cause.getMessage()), cause));
            }
        });
        return f;
    }

    /** True when a connection is open now. */
    synchronized boolean isConnected() {
        CompletableFuture<Channel> c = current;
        return c != null && c.isDone() && !c.isCompletedExceptionally() && c.join().isActive();
    }

    /** Sends a PING over an idle channel; a PING without an answer closes the channel (it is dead). */
    private void ping(Channel ch) {
        send(new Request.Ping(), config.requestTimeoutMs()).whenComplete((r, e) -> {
            if (e != null && Futures.unwrap(e).code() == ErrorCode.TIMEOUT) {
                log.warn("server {} did not answer a PING: closing the connection", config.server());
                ch.close();
            }
        });
    }

    /** Closes the connection (waiting requests fail with CONNECTION) and the I/O thread. Idempotent. */
    @Override
    public void close() {
        CompletableFuture<Channel> c;
        synchronized (this) {
            if (closed) return;
            closed = true;
            c = current;
        }
        if (c != null && c.isDone() && !c.isCompletedExceptionally()) c.join().close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        io.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }

    /** The pipeline of the connection: ping timer, frame splitter, response correlation. */
    private final class Initializer extends ChannelInitializer<SocketChannel> {
        @Override
        protected void initChannel(SocketChannel ch) {
            ch.pipeline()
                    .addLast("idle", new IdleStateHandler(0, config.pingIntervalMs(), 0, TimeUnit.MILLISECONDS))
                    .addLast("frames", new LengthFieldBasedFrameDecoder(config.maxFrameBytes(), 0,
                            Frame.LENGTH_FIELD_SIZE, 0, Frame.LENGTH_FIELD_SIZE, true))
                    .addLast("responses", new ClientHandler(config.server(), () -> ping(ch)));
        }
    }
}
