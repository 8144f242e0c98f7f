package dev.tern.protocol;

import dev.tern.common.error.ErrorCode;
import dev.tern.common.error.TernException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * The frame envelope: {@code int length | byte version | byte type | int requestId | body}, where length
 * counts every byte after itself. The first ten bytes have this layout in every protocol version, so that
 * a peer can always answer a frame of a version it does not speak with an error that names the request.
 */
public final class FrameCodec {

    private FrameCodec() {
    }

    /**
     * Starts an outgoing frame: writes the header with a placeholder length. Write the body, then
     * {@link #finish}.
     */
    public static ByteBuf begin(ByteBufAllocator alloc, FrameType type, int requestId, int bodySizeHint) {
        ByteBuf buf = alloc.buffer(Frame.LENGTH_FIELD_SIZE + Frame.HEADER_SIZE + Math.max(0, bodySizeHint));
        writeHeader(buf, type, requestId, 0);
        return buf;
    }

    /** Writes a complete header for a body of {@code bodyLength} bytes. */
    public static void writeHeader(ByteBuf buf, FrameType type, int requestId, int bodyLength) {
        buf.writeInt(Frame.HEADER_SIZE + bodyLength);
        buf.writeByte(Frame.VERSION);
        buf.writeByte(type.code());
        buf.writeInt(requestId);
    }

    /** Sets the length prefix of a frame started with {@link #begin} at the buffer's reader index. */
    public static ByteBuf finish(ByteBuf frame) {
        frame.setInt(frame.readerIndex(), frame.readableBytes() - Frame.LENGTH_FIELD_SIZE);
        return frame;
    }

    /**
     * Reads the header of a frame whose length prefix was already removed (as a length-field frame decoder
     * hands it over). The returned body is a slice of {@code buf}.
     *
     * @throws FrameException MALFORMED_REQUEST for a frame shorter than a header or of an unknown type,
     *                        UNSUPPORTED_VERSION for a version other than {@link Frame#VERSION}
     */
    public static Frame decode(ByteBuf buf) {
        if (buf.readableBytes() < Frame.HEADER_SIZE) {
            throw FrameException.malformed("frame of " + buf.readableBytes() + " bytes is shorter than the "
                    + Frame.HEADER_SIZE + "-byte header");
        }
        int version = buf.readUnsignedByte();
        int typeCode = buf.readUnsignedByte();
        int requestId = buf.readInt();
        if (version != Frame.VERSION) {
            throw new FrameException(ErrorCode.UNSUPPORTED_VERSION, requestId,
                    "protocol version " + version + " is not supported; this node speaks version " + Frame.VERSION);
        }
        FrameType type = FrameType.of(typeCode);
        if (type == null) {
            throw new FrameException(ErrorCode.MALFORMED_REQUEST, requestId,
                    String.format("unknown frame type 0x%02x", typeCode));
        }
        return new Frame(type, requestId, buf.slice());
    }

    /** Checks an encoded frame against a limit; the limit counts the length prefix. */
    public static void checkSize(ByteBuf frame, int maxFrameBytes, ErrorCode code, String what) {
        if (frame.readableBytes() > maxFrameBytes) {
            throw new TernException(code, what + " needs a frame of " + frame.readableBytes()
                    + " bytes, more than the limit of " + maxFrameBytes + " bytes");
        }
    }
}
