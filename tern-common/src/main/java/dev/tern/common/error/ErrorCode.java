package dev.tern.common.error;

/**
 * The catalogue of every error Tern reports, on the wire and in the Java API. Codes are stable: a client
 * written against one version understands them in the next. {@code retriable} tells a client whether the
 * same request may succeed if sent again unchanged.
 */
public enum ErrorCode {
    INVALID_ARGUMENT(1, false),
    TOPIC_NOT_FOUND(2, false),
    TOPIC_EXISTS(3, false),
    QUEUE_NOT_FOUND(4, false),
    MESSAGE_TOO_LARGE(5, false),
    OFFSET_OUT_OF_RANGE(6, false),
    /** A group member that expired or never joined: join again. */
    UNKNOWN_MEMBER(7, false),
    /** The peer speaks a protocol version this node does not. */
    UNSUPPORTED_VERSION(8, false),
    /** A frame or request that cannot be decoded or is not allowed in this state. */
    MALFORMED_REQUEST(9, false),
    /**
     * No pending transaction has this id: it never existed, or it was ended (committed, rolled back by its
     * producer or by the engine after its check-backs ran out or it grew too old) and its outcome is no
     * longer kept. The message says which when the engine still knows.
     */
    TRANSACTION_NOT_FOUND(30, false),
    /**
     * A popped message's receipt no longer names a hand-out in flight: the message was acked or nacked, its
     * invisibility ran out (it is, or will be, handed out again), or a newer receipt replaced this one.
     */
    RECEIPT_EXPIRED(31, false),
    /**
     * A configured limit of the node was reached (connections, topics, queues of a topic, waiting long polls...);
     * the message names the limit and its configuration key. Not retriable as such: the same request succeeds
     * only once something else frees room (a connection closes, a topic is deleted, a long poll ends).
     */
    LIMIT_EXCEEDED(32, false),
    /** The request did not complete in time (the outcome may be unknown). */
    TIMEOUT(24, true),
    /** The connection to the node failed or closed. */
    CONNECTION(25, true),
    STORAGE_FULL(20, true),
    STORAGE_IO(21, true),
    CORRUPT_RECORD(22, false),
    STORE_CLOSED(23, true),
    INTERNAL(99, false);

    private final int code;
    private final boolean retriable;

    ErrorCode(int code, boolean retriable) {
        this.code = code;
        this.retriable = retriable;
    }

    public int code() {
        return code;
    }

    public boolean retriable() {
        return retriable;
    }

    public static ErrorCode of(int code) {
        for (ErrorCode c : values()) {
            if (c.code == code) return c;
        }
        return INTERNAL;
    }
}
