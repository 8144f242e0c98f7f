package dev.tern.protocol.server;

import dev.tern.protocol.Frame;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.TooLongFrameException;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Splits one connection's bytes into frames (the length prefix stripped), and bounds the bytes the
 * connection holds in the server: each frame is charged, from the moment its length prefix is read until
 * its reply goes out ({@link #release}), against the connection's budget ({@code native.max.inflight.bytes})
 * and the node's ({@link InflightBytes}). A frame that does not fit is not read: the connection stops reading
 * (Netty's autoRead off, so TCP pushes back on the client) and reads on once replies give bytes back. A
 * pipelining client is slowed down, never refused. A frame always fits when the connection holds nothing,
 * so every frame up to {@code native.max.frame.bytes} gets through.
 * <p>
 * Decoding runs on the connection's event loop; {@link #release} may be called from any thread.
 */
final class FrameReader extends ByteToMessageDecoder {
    /** What one request costs the server beyond its frame (decoded objects, futures): charged with it, so many tiny requests count too. */
    static final int REQUEST_OVERHEAD_BYTES = 1024;

    private final int maxFrameBytes;
    private final long connectionLimit;
    private final InflightBytes node;
    private final AtomicLong used = new AtomicLong();
    /** Set before each admission check, so that a release racing with the check wakes the connection. */
    private volatile boolean paused;
    /** The charge already reserved for the frame being read; -1 before its length prefix (event loop only). */
    private long granted = -1;
    private boolean failed;
    private ChannelHandlerContext ctx;

    FrameReader(int maxFrameBytes, long connectionLimit, InflightBytes node) {
        this.maxFrameBytes = maxFrameBytes;
        this.connectionLimit = connectionLimit;
        this.node = node;
    }

    /** The charge of a request whose frame, without the length prefix, has {@code frameBodyBytes}. */
    static long charge(long frameBodyBytes) {
        return frameBodyBytes + Frame.LENGTH_FIELD_SIZE + REQUEST_OVERHEAD_BYTES;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (failed) {
            in.skipBytes(in.readableBytes());
            return;
        }
        if (in.readableBytes() < Frame.LENGTH_FIELD_SIZE) return;
        long length = in.getUnsignedInt(in.readerIndex());
        if (length + Frame.LENGTH_FIELD_SIZE > maxFrameBytes) {
            failed = true;
            in.skipBytes(in.readableBytes());
            throw new TooLongFrameException("frame length " + (length + Frame.LENGTH_FIELD_SIZE) + " exceeds " + maxFrameBytes);
        }
        if (granted < 0) {
            long charge = charge(length);
            if (!admit(charge)) return;
            granted = charge;
        }
        if (in.readableBytes() < length + Frame.LENGTH_FIELD_SIZE) return;
        in.skipBytes(Frame.LENGTH_FIELD_SIZE);
        out.add(in.readRetainedSlice((int) length));
        granted = -1; // the frame's charge now belongs to its request, released with the reply
    }

    /** Reserves {@code charge} for the next frame, or stops reading and waits for replies to give bytes back. */
    private boolean admit(long charge) {
        paused = true;
        long held = used.get();
        if (held > 0 && held + charge > connectionLimit) {
            node.countConnectionPause();
            ctx.channel().config().setAutoRead(false);
            return false;
        }
        if (!node.reserveOrWait(charge, this, held == 0)) {
            ctx.channel().config().setAutoRead(false);
            return false;
        }
        used.addAndGet(charge);
        paused = false;
        return true;
    }

    /** Gives back the charge of a request whose reply went out (or that never started). Any thread. */
    void release(long charge) {
        used.addAndGet(-charge);
        node.release(charge);
        if (paused) wake();
    }

    /** Something was released: try the waiting frame again, on the event loop. Any thread. */
    void wake() {
        try {
            ctx.executor().execute(this::retry);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            node.forget(this); // the server is closing: nothing left to read
        }
    }

    private void retry() {
        if (!paused) return; // woken for nothing
        if (!ctx.channel().isActive()) {
            node.forget(this);
            node.wakeNext(); // pass the turn on
            return;
        }
        paused = false;
        channelRead(ctx, Unpooled.EMPTY_BUFFER); // decodes what is buffered: the waiting frame asks again
        channelReadComplete(ctx);
        if (!paused) {
            if (ctx.channel().isWritable()) ctx.channel().config().setAutoRead(true);
            node.wakeNext();
        }
    }

    /**
     * A client that does not read its replies makes the outbound buffer grow: stop reading its requests
     * while the buffer is over its high-water mark, read on when it drains.
     */
    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (!failed) ctx.channel().config().setAutoRead(!paused && ctx.channel().isWritable());
        ctx.fireChannelWritabilityChanged();
    }

    /** True while the connection is not read because its frames do not fit: it is not idle, the server is. */
    boolean paused() {
        return paused;
    }

    /** Bytes this connection holds now: unanswered requests and the frame being read. */
    long held() {
        return used.get();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            super.channelRead(ctx, msg);
        } catch (Exception e) {
            ctx.fireExceptionCaught(e);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (paused) {
            // not super's: with autoRead off it would ask for another read, which is what pausing prevents
            discardSomeReadBytes();
            ctx.fireChannelReadComplete();
            return;
        }
        try {
            super.channelReadComplete(ctx);
        } catch (Exception e) {
            ctx.fireExceptionCaught(e);
        }
    }

    @Override
    protected void decodeLast(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        in.skipBytes(in.readableBytes()); // a partial frame of a closed connection is never answered
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        super.channelInactive(ctx);
        node.forget(this);
        if (granted > 0) {
            long charge = granted;
            granted = -1;
            release(charge);
        }
    }
}
