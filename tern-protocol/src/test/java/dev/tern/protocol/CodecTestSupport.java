package dev.tern.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;

/** Encoding to plain byte arrays and decoding from them, as a frame decoder would hand frames over. */
final class CodecTestSupport {
    static final UnpooledByteBufAllocator ALLOC = UnpooledByteBufAllocator.DEFAULT;

    private CodecTestSupport() {
    }

    static byte[] bytes(ByteBuf frame) {
        try {
            byte[] b = new byte[frame.readableBytes()];
            frame.readBytes(b);
            return b;
        } finally {
            frame.release();
        }
    }

    /** A whole encoded frame without its 4-byte length prefix (checking the prefix on the way). */
    static byte[] withoutPrefix(byte[] frame) {
        int length = Unpooled.wrappedBuffer(frame).readInt();
        if (length != frame.length - 4) throw new AssertionError("length prefix " + length + " for " + frame.length + " bytes");
        byte[] rest = new byte[frame.length - 4];
        System.arraycopy(frame, 4, rest, 0, rest.length);
        return rest;
    }

    static Request decodeRequest(byte[] rest) {
        return RequestCodec.decode(FrameCodec.decode(Unpooled.wrappedBuffer(rest)));
    }

    static Response decodeResponse(byte[] rest) {
        return ResponseCodec.decode(FrameCodec.decode(Unpooled.wrappedBuffer(rest)));
    }

    static byte[] encode(int id, Request r) {
        return withoutPrefix(bytes(RequestCodec.encode(ALLOC, id, r)));
    }

    static byte[] encode(int id, Response r) {
        return withoutPrefix(bytes(ResponseCodec.encode(ALLOC, id, r)));
    }
}
