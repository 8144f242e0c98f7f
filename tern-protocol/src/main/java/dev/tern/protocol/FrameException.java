package dev.tern.protocol;

import dev.tern.common.error.ErrorCode;
import dev.tern.common.error.TernException;

/**
 * The one error a frame decoder throws: the bytes are not a valid frame of this protocol version. Its
 * code is {@link ErrorCode#MALFORMED_REQUEST} (truncated, oversized or garbage input, unknown frame type)
 * or {@link ErrorCode#UNSUPPORTED_VERSION}. A server answers it with an ERROR frame carrying that code and
 * closes the connection, because the byte stream can no longer be trusted.
 */
public final class FrameException extends TernException {
    private final int requestId;

    public FrameException(ErrorCode code, int requestId, String message) {
        super(code, message);
        this.requestId = requestId;
    }

    /** The request id of the offending frame, or 0 when it could not be read. */
    public int requestId() {
        return requestId;
    }

    public static FrameException malformed(String message) {
        return new FrameException(ErrorCode.MALFORMED_REQUEST, 0, message);
    }

    /** The same error, tagged with the request id of the frame it was found in. */
    public FrameException withRequestId(int id) {
        return new FrameException(code(), id, getMessage());
    }
}
