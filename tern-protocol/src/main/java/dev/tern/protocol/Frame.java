package dev.tern.protocol;

import io.netty.buffer.ByteBuf;

/**
 * One decoded frame header and its body. The body is a slice of the received bytes: it is valid while
 * the buffer it came from is, and decoders read it to the end.
 *
 * @param type      the frame type
 * @param requestId the id the client chose for the request; a response carries the id of its request
 * @param body      the bytes after the header
 */
public record Frame(FrameType type, int requestId, ByteBuf body) {
    /** The protocol version this implementation speaks. */
    public static final int VERSION = 1;
    /** Bytes of the length prefix. */
    public static final int LENGTH_FIELD_SIZE = 4;
    /** Bytes after the length prefix that every frame has: version, type, request id. */
    public static final int HEADER_SIZE = 6;
    /** The default largest frame, length prefix included: 16 MiB. */
    public static final int DEFAULT_MAX_FRAME_BYTES = 16 * 1024 * 1024;
    /** The smallest limit a peer may configure: room for any request but a large SEND. */
    public static final int MIN_MAX_FRAME_BYTES = 64 * 1024;
}
