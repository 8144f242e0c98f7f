package dev.tern.protocol;

/**
 * The type byte of a frame (see {@code docs/wire-protocol.md}). Requests have codes {@code 0x01..0x7F};
 * the response to a request has the request's code with the high bit set ({@code code | 0x80});
 * {@link #ERROR} ({@code 0xFF}) answers any request that failed.
 */
public enum FrameType {
    PING(0x01),
    TOPIC_CREATE(0x02),
    TOPIC_DELETE(0x03),
    TOPIC_LIST(0x04),
    TOPIC_DESCRIBE(0x05),
    SEND(0x06),
    PULL(0x07),
    GROUP_JOIN(0x08),
    GROUP_HEARTBEAT(0x09),
    GROUP_LEAVE(0x0A),
    OFFSET_COMMIT(0x0B),
    OFFSET_FETCH(0x0C),
    GROUP_LIST(0x0D),
    GROUP_DESCRIBE(0x0E),
    OFFSET_FOR_TIME(0x0F),
    LOOKUP_BY_ID(0x10),
    LOOKUP_BY_KEY(0x11),
    /** Per-message acknowledgement (issue 4): codes from 0x20 up. */
    POP(0x20),
    ACK(0x21),
    NACK(0x22),
    CHANGE_INVISIBLE(0x23),
    /** Transactional messages: codes from 0x30 up. */
    TXN_PREPARE(0x30),
    TXN_END(0x31),
    TXN_CHECK_POLL(0x32),
    TXN_LIST(0x33),

    PING_RESPONSE(0x81),
    TOPIC_CREATE_RESPONSE(0x82),
    TOPIC_DELETE_RESPONSE(0x83),
    TOPIC_LIST_RESPONSE(0x84),
    TOPIC_DESCRIBE_RESPONSE(0x85),
    SEND_RESPONSE(0x86),
    PULL_RESPONSE(0x87),
    GROUP_JOIN_RESPONSE(0x88),
    GROUP_HEARTBEAT_RESPONSE(0x89),
    GROUP_LEAVE_RESPONSE(0x8A),
    OFFSET_COMMIT_RESPONSE(0x8B),
    OFFSET_FETCH_RESPONSE(0x8C),
    GROUP_LIST_RESPONSE(0x8D),
    GROUP_DESCRIBE_RESPONSE(0x8E),
    OFFSET_FOR_TIME_RESPONSE(0x8F),
    LOOKUP_BY_ID_RESPONSE(0x90),
    LOOKUP_BY_KEY_RESPONSE(0x91),
    POP_RESPONSE(0xA0),
    ACK_RESPONSE(0xA1),
    NACK_RESPONSE(0xA2),
    CHANGE_INVISIBLE_RESPONSE(0xA3),
    TXN_PREPARE_RESPONSE(0xB0),
    TXN_END_RESPONSE(0xB1),
    TXN_CHECK_POLL_RESPONSE(0xB2),
    TXN_LIST_RESPONSE(0xB3),

    /** A request failed: int error code (from {@link dev.tern.common.error.ErrorCode}) and a message. */
    ERROR(0xFF);

    private static final FrameType[] BY_CODE = new FrameType[256];

    static {
        for (FrameType t : values()) BY_CODE[t.code] = t;
    }

    private final int code;

    FrameType(int code) {
        this.code = code;
    }

    /** The type byte, 0 to 255. */
    public int code() {
        return code;
    }

    /** True for frames a client sends. */
    public boolean isRequest() {
        return code < 0x80;
    }

    /** The type of the successful response to this request type. */
    public FrameType responseType() {
        if (!isRequest()) throw new IllegalStateException(this + " is not a request");
        return BY_CODE[code | 0x80];
    }

    /** The frame type of a type byte, or null when no type has that code. */
    public static FrameType of(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }
}
