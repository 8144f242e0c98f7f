package dev.tern.protocol.server;

import dev.tern.common.error.ErrorCode;
import dev.tern.common.error.TernException;
import dev.tern.engine.PullResult;
import dev.tern.protocol.Frame;
import dev.tern.protocol.FrameCodec;
import dev.tern.protocol.FrameException;
import dev.tern.protocol.PullCodec;
import dev.tern.protocol.Request;
import dev.tern.protocol.RequestCodec;
import dev.tern.protocol.Response;
import dev.tern.protocol.ResponseCodec;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.timeout.IdleStateEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * One connection of the native protocol: decodes each frame into a request, hands it to the dispatcher
 * and writes the responses in whatever order they complete. A frame that cannot be trusted (malformed,
 * too long, unknown type or version) gets an ERROR frame and the connection is closed; an engine error gets
 * an ERROR frame and the connection stays open. Each request's charge is given back to the {@link FrameReader}
 * (which stops reading while the connection or the node holds too many bytes) once its reply is written.
 */
final class ServerHandler extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(ServerHandler.class);

    private final RequestDispatcher dispatcher;
    private final FrameReader reader;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Set<CompletableFuture<?>> waiting = ConcurrentHashMap.newKeySet();
    private volatile boolean closing;

    ServerHandler(RequestDispatcher dispatcher, FrameReader reader) {
        this.dispatcher = dispatcher;
        this.reader = reader;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf buf = (ByteBuf) msg;
        long charge = FrameReader.charge(buf.readableBytes());
        try {
            if (closing) {
                reader.release(charge);
                return;
            }
            Frame frame = FrameCodec.decode(buf);
            Request request = RequestCodec.decode(frame);
            inFlight.incrementAndGet();
            dispatcher.dispatch(request, ctx.channel(), new Reply(ctx.channel(), frame.requestId(), charge));
        } catch (FrameException e) {
            reader.release(charge);
            fail(ctx.channel(), e.requestId(), e.code(), e.getMessage());
        } finally {
            buf.release();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof TooLongFrameException || cause instanceof CorruptedFrameException) {
            fail(ctx.channel(), 0, ErrorCode.MALFORMED_REQUEST, "bad frame length: " + cause.getMessage()
                    + " (the limit, native.max.frame.bytes, counts the 4-byte length prefix)");
        } else if (cause instanceof IOException) {
            log.debug("connection {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
            ctx.close();
        } else {
            log.warn("connection {} failed", ctx.channel().remoteAddress(), cause);
            fail(ctx.channel(), 0, ErrorCode.INTERNAL, String.valueOf(cause));
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent) {
            // silent because the server holds replies or stopped reading: not idle
            if (inFlight.get() > 0 || reader.paused()) return;
            log.debug("closing idle connection {}", ctx.channel().remoteAddress());
            closing = true;
            ctx.close();
        } else {
            ctx.fireUserEventTriggered(evt);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        closing = true;
        for (CompletableFuture<?> call : waiting) call.cancel(false); // nobody is left to answer
        dispatcher.connectionClosed(ctx.channel());
        ctx.fireChannelInactive();
    }

    /** Answers with an ERROR frame, then closes: the byte stream can no longer be trusted. */
    private void fail(Channel channel, int requestId, ErrorCode code, String message) {
        if (closing) return;
        closing = true;
        channel.config().setAutoRead(false);
        log.debug("closing connection {} after a bad frame: {} {}", channel.remoteAddress(), code, message);
        channel.writeAndFlush(ResponseCodec.error(channel.alloc(), requestId, code, message))
                .addListener(ChannelFutureListener.CLOSE);
    }

    private void completed(long charge) {
        inFlight.decrementAndGet();
        reader.release(charge);
    }

    /** The answer to one request. */
    private final class Reply implements ResponseSink {
        private final Channel channel;
        private final int requestId;
        private final long charge;

        Reply(Channel channel, int requestId, long charge) {
            this.channel = channel;
            this.requestId = requestId;
            this.charge = charge;
        }

        @Override
        public void reply(Response response) {
            write(() -> ResponseCodec.encode(channel.alloc(), requestId, response));
        }

        @Override
        public void records(PullResult result) {
            ByteBuf frame;
            try {
                frame = PullCodec.encodeResponse(channel.alloc(), requestId, result);
            } catch (RuntimeException e) {
                result.close();
                error(e); // counts the request as completed
                return;
            }
            completed(charge);
            // the frame wraps the store's memory: release the read only once the bytes are on the socket
            channel.writeAndFlush(frame).addListener(f -> result.close());
        }

        @Override
        public void cancelOnClose(CompletableFuture<?> call) {
            waiting.add(call);
            call.whenComplete((v, e) -> waiting.remove(call));
            if (closing && !channel.isActive()) call.cancel(false);
        }

        @Override
        public void error(Throwable failure) {
            if (failure instanceof CancellationException || failure.getCause() instanceof CancellationException) {
                completed(charge);
                return; // the connection closed: there is no one to tell
            }
            TernException e = toTern(failure);
            write(() -> ResponseCodec.error(channel.alloc(), requestId, e.code(), e.getMessage()));
        }

        private void write(Supplier<ByteBuf> encoder) {
            completed(charge);
            ByteBuf frame;
            try {
                frame = encoder.get();
            } catch (RuntimeException e) {
                log.warn("cannot encode the response to request {}", requestId, e);
                frame = ResponseCodec.error(channel.alloc(), requestId, ErrorCode.INTERNAL, "cannot encode response: " + e);
            }
            channel.writeAndFlush(frame, channel.voidPromise());
        }
    }

    static TernException toTern(Throwable failure) {
        Throwable t = failure;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        if (t instanceof TernException te) return te;
        log.warn("engine call failed with an unexpected exception", t);
        return new TernException(ErrorCode.INTERNAL, "internal error: " + t);
    }
}
