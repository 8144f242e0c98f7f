package dev.tern.server.bench;

import dev.tern.common.error.ErrorCode;
import dev.tern.protocol.Frame;
import dev.tern.protocol.FrameCodec;
import dev.tern.protocol.Response;
import dev.tern.protocol.ResponseCodec;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.util.concurrent.DefaultThreadFactory;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiFunction;

/**
 * Load for {@code tern bench exhaust}: many native connections over a few I/O threads, each keeping a window
 * of requests in flight (pipelining) until a deadline or a total count of requests is reached. Requests are
 * frames made by the caller; replies are only counted: successes, errors by code, refusals (an ERROR with
 * request id 0, after which the server closes the connection), connections that could not be opened.
 */
final class NativeLoad implements AutoCloseable {
    /** What one run counted. */
    static final class Counts {
        final LongAdder ok = new LongAdder();
        final Map<ErrorCode, LongAdder> errors = new ConcurrentHashMap<>();
        final LongAdder refused = new LongAdder();
        final LongAdder connectFailed = new LongAdder();
        final LongAdder lost = new LongAdder();
        volatile String refusal = "";
        volatile String sampleError = "";

        void error(ErrorCode code, String message) {
            errors.computeIfAbsent(code, c -> new LongAdder()).increment();
            if (sampleError.isEmpty()) sampleError = code + ": " + message;
        }

        Map<ErrorCode, Long> errorCounts() {
            Map<ErrorCode, Long> out = new EnumMap<>(ErrorCode.class);
            errors.forEach((c, n) -> out.put(c, n.sum()));
            return out;
        }
    }

    private final EventLoopGroup group;
    private final String host;
    private final int port;

    NativeLoad(String host, int port, int ioThreads) {
        this.host = host;
        this.port = port;
        this.group = new MultiThreadIoEventLoopGroup(ioThreads, new DefaultThreadFactory("exhaust-io"), NioIoHandler.newFactory());
    }

    /**
     * Opens {@code connections} connections, each with {@code window} requests in flight, until {@code deadlineNanos}
     * or until {@code total} requests were sent over all of them; {@code frame} makes request number n (its
     * request id is n's low bits, never 0). Completes when every connection has its replies or is closed, or
     * {@code graceMs} after the deadline (replies still missing then are counted as lost). {@code allConnected}
     * runs once every connection attempt has an outcome.
     */
    Counts run(int connections, int window, long deadlineNanos, long total, long graceMs,
               BiFunction<ByteBufAllocator, Long, ByteBuf> frame, Runnable allConnected) throws InterruptedException {
        Counts counts = new Counts();
        AtomicLong issued = new AtomicLong();
        CompletableFuture<?>[] done = new CompletableFuture<?>[connections];
        java.util.Queue<io.netty.channel.Channel> open = new java.util.concurrent.ConcurrentLinkedQueue<>();
        java.util.concurrent.atomic.AtomicInteger attempts = new java.util.concurrent.atomic.AtomicInteger(connections);
        Bootstrap b = new Bootstrap().group(group).channel(NioSocketChannel.class).option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 30_000);
        for (int i = 0; i < connections; i++) {
            Pipeliner p = new Pipeliner(window, deadlineNanos, total, issued, counts, frame);
            done[i] = p.done;
            b.clone().handler(new ChannelInitializer<SocketChannel>() {
                @Override
                protected void initChannel(SocketChannel ch) {
                    ch.pipeline().addLast(new LengthFieldBasedFrameDecoder(64 << 20, 0, Frame.LENGTH_FIELD_SIZE, 0, Frame.LENGTH_FIELD_SIZE), p);
                }
            }).connect(host, port).addListener((io.netty.channel.ChannelFuture f) -> {
                if (f.isSuccess()) {
                    open.add(f.channel());
                } else {
                    counts.connectFailed.increment();
                    p.done.complete(null);
                }
                if (attempts.decrementAndGet() == 0) allConnected.run();
            });
        }
        long waitMs = Math.max(0, (deadlineNanos - System.nanoTime()) / 1_000_000) + graceMs;
        try {
            CompletableFuture.allOf(done).get(waitMs, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            // connections still waiting for replies: counted as lost below
        }
        for (io.netty.channel.Channel ch : open) ch.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        for (CompletableFuture<?> d : done) d.complete(null);
        return counts;
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
    }

    /** One connection: keeps {@code window} requests in flight; all on its event loop. */
    private static final class Pipeliner extends ChannelInboundHandlerAdapter {
        final CompletableFuture<Void> done = new CompletableFuture<>();
        private final int window;
        private final long deadlineNanos, total;
        private final AtomicLong issued;
        private final Counts counts;
        private final BiFunction<ByteBufAllocator, Long, ByteBuf> frame;
        private int inFlight;
        private boolean refused;

        Pipeliner(int window, long deadlineNanos, long total, AtomicLong issued, Counts counts,
                  BiFunction<ByteBufAllocator, Long, ByteBuf> frame) {
            this.window = window;
            this.deadlineNanos = deadlineNanos;
            this.total = total;
            this.issued = issued;
            this.counts = counts;
            this.frame = frame;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            if (refused) return;
            for (int i = 0; i < window; i++) sendNext(ctx);
            ctx.flush();
            finishIfIdle(ctx);
        }

        private void sendNext(ChannelHandlerContext ctx) {
            if (System.nanoTime() >= deadlineNanos) return;
            long n = issued.getAndIncrement();
            if (n >= total) return;
            ByteBuf f = frame.apply(ctx.alloc(), n);
            inFlight++;
            ctx.write(f);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf buf = (ByteBuf) msg;
            try {
                Frame f = FrameCodec.decode(buf);
                Response r = ResponseCodec.decode(f);
                if (r instanceof Response.Error e) {
                    if (f.requestId() == 0) {
                        counts.refused.increment();
                        counts.refusal = e.errorCode() + ": " + e.message();
                        refused = true;
                        inFlight = 0; // the requests sent before the refusal arrived are never read
                        return; // the server closes the connection
                    }
                    counts.error(e.errorCode(), e.message());
                } else {
                    counts.ok.increment();
                }
            } finally {
                buf.release();
            }
            inFlight--;
            sendNext(ctx);
            ctx.flush();
            finishIfIdle(ctx);
        }

        private void finishIfIdle(ChannelHandlerContext ctx) {
            if (inFlight == 0) {
                done.complete(null);
                ctx.close();
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (inFlight > 0 && !refused) counts.lost.add(inFlight);
            inFlight = 0;
            done.complete(null);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
