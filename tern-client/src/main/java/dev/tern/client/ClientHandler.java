package dev.tern.client;

import dev.tern.common.error.ErrorCode;
import dev.tern.common.error.TernException;
import dev.tern.protocol.Frame;
import dev.tern.protocol.FrameCodec;
import dev.tern.protocol.FrameException;
import dev.tern.protocol.FrameType;
import dev.tern.protocol.Response;
import dev.tern.protocol.ResponseCodec;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleStateEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One connection's requests awaiting their responses, by request id. Responses may arrive in any order;
 * each completes its own future. When the connection closes every waiting request fails with CONNECTION.
 */
final class ClientHandler extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(ClientHandler.class);

    /** A request on its way: the response type it expects and the future to complete. */
    private record Pending(FrameType expected, CompletableFuture<Response> future) {
    }

    private final String server;
    private final Runnable onIdle;
    private final Map<Integer, Pending> pending = new ConcurrentHashMap<>();
    private volatile boolean inactive;
    /** What the server said before closing the connection (an ERROR with request id 0), if it said anything. */
    private volatile TernException closedBy;

    ClientHandler(String server, Runnable onIdle) {
        this.server = server;
        this.onIdle = onIdle;
    }

    /** Registers a request about to be written; false when the connection already closed. */
    boolean register(int requestId, FrameType expected, CompletableFuture<Response> future) {
        pending.put(requestId, new Pending(expected, future));
        future.whenComplete((r, e) -> pending.remove(requestId));
        if (inactive || closedBy != null) {
            pending.remove(requestId);
            return false;
        }
        return true;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf buf = (ByteBuf) msg;
        try {
            Frame frame = FrameCodec.decode(buf);
            Pending p = pending.remove(frame.requestId());
            if (p == null) {
                if (frame.requestId() == 0 && frame.type() == FrameType.ERROR) connectionError(ctx, frame);
                return; // a request that timed out meanwhile
            }
            complete(p, frame);
        } catch (FrameException e) {
            failAll(new TernException(e.code(), "bad frame from " + server + ": " + e.getMessage()));
            ctx.close();
        } finally {
            buf.release();
        }
    }

    private void complete(Pending p, Frame frame) {
        Response response;
        try {
            response = ResponseCodec.decode(frame);
        } catch (FrameException e) {
            p.future().completeExceptionally(e);
            return;
        }
        if (response instanceof Response.Error err) {
            p.future().completeExceptionally(new TernException(err.errorCode(), err.message()));
        } else if (response.type() != p.expected()) {
            p.future().completeExceptionally(new TernException(ErrorCode.MALFORMED_REQUEST,
                    "expected a " + p.expected() + " frame from " + server + ", got " + response.type()));
        } else {
            p.future().complete(response);
        }
    }

    /** An ERROR frame not tied to a request: the server is about to close the connection. */
    private void connectionError(ChannelHandlerContext ctx, Frame frame) {
        Response r = ResponseCodec.decode(frame);
        if (r instanceof Response.Error err) {
            log.warn("server {} reported {}: {}", server, err.errorCode(), err.message());
            closedBy = new TernException(err.errorCode(), err.message());
            failAll(closedBy);
        }
        ctx.close();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent) onIdle.run();
        else ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        inactive = true;
        if (!pending.isEmpty()) log.info("connection to {} closed with {} requests in flight", server, pending.size());
        failAll(closeReason());
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof IOException) {
            log.debug("connection to {} failed: {}", server, cause.toString());
            failAll(new TernException(ErrorCode.CONNECTION, "connection to " + server + " failed: " + cause.getMessage()));
        } else {
            log.warn("connection to {} failed", server, cause);
            failAll(new TernException(ErrorCode.MALFORMED_REQUEST, "connection to " + server + " failed: " + cause));
        }
        ctx.close();
    }

    /** Why requests on this connection fail now: what the server said before closing it, else CONNECTION. */
    TernException closeReason() {
        TernException said = closedBy;
        return said != null ? new TernException(said.code(), said.getMessage()) : new TernException(ErrorCode.CONNECTION, "connection to " + server + " closed");
    }

    private void failAll(TernException e) {
        for (Integer id : pending.keySet()) {
            Pending p = pending.remove(id);
            if (p != null) p.future().completeExceptionally(e);
        }
    }
}
