package dev.tern.gateway.mqtt;

import dev.tern.common.error.ErrorCode;
import dev.tern.common.error.TernException;

import java.util.concurrent.CompletionException;

/** The MQTT 5.0 reason codes the gateway sends (spec section 2.4). */
final class ReasonCodes {
    static final byte SUCCESS = 0x00;
    static final byte NO_MATCHING_SUBSCRIBERS = 0x10;
    static final byte NO_SUBSCRIPTION_EXISTED = 0x11;
    static final byte DISCONNECT_WITH_WILL = 0x04;
    static final byte UNSPECIFIED = (byte) 0x80;
    static final byte MALFORMED_PACKET = (byte) 0x81;
    static final byte PROTOCOL_ERROR = (byte) 0x82;
    static final byte IMPLEMENTATION_SPECIFIC = (byte) 0x83;
    static final byte UNSUPPORTED_PROTOCOL_VERSION = (byte) 0x84;
    static final byte CLIENT_ID_NOT_VALID = (byte) 0x85;
    static final byte BAD_USERNAME_OR_PASSWORD = (byte) 0x86;
    static final byte NOT_AUTHORIZED = (byte) 0x87;
    static final byte SERVER_BUSY = (byte) 0x89;
    static final byte SERVER_SHUTTING_DOWN = (byte) 0x8B;
    static final byte KEEP_ALIVE_TIMEOUT = (byte) 0x8D;
    static final byte SESSION_TAKEN_OVER = (byte) 0x8E;
    static final byte TOPIC_FILTER_INVALID = (byte) 0x8F;
    static final byte TOPIC_NAME_INVALID = (byte) 0x90;
    static final byte PACKET_ID_NOT_FOUND = (byte) 0x92;
    static final byte RECEIVE_MAXIMUM_EXCEEDED = (byte) 0x93;
    static final byte TOPIC_ALIAS_INVALID = (byte) 0x94;
    static final byte PACKET_TOO_LARGE = (byte) 0x95;
    static final byte QUOTA_EXCEEDED = (byte) 0x97;
    static final byte PAYLOAD_FORMAT_INVALID = (byte) 0x99;
    static final byte QOS_NOT_SUPPORTED = (byte) 0x9B;
    static final byte SHARED_SUBSCRIPTIONS_NOT_SUPPORTED = (byte) 0x9E;
    static final byte SUBSCRIPTION_IDS_NOT_SUPPORTED = (byte) 0xA1;

    private ReasonCodes() {
    }

    /** The TernException behind a failed future's exception (INTERNAL for anything else). */
    static TernException failure(Throwable e) {
        while (e instanceof CompletionException && e.getCause() != null) e = e.getCause();
        return e instanceof TernException te ? te : new TernException(ErrorCode.INTERNAL, e.toString(), e);
    }

    /**
     * The PUBACK/PUBREC reason of a publish the engine or the gateway refused: 0x90 for a topic that is not accepted
     * (an invalid Tern name, or no topic while {@code mqtt.topic.auto.create} is off), 0x95 too large, 0x97 for a
     * full disk, a limit reached or a full write queue (OVERLOADED), 0x80 otherwise.
     */
    static byte forFailure(ErrorCode code) {
        return switch (code) {
            case INVALID_ARGUMENT, TOPIC_NOT_FOUND -> TOPIC_NAME_INVALID;
            case MESSAGE_TOO_LARGE -> PACKET_TOO_LARGE;
            case STORAGE_FULL, LIMIT_EXCEEDED, OVERLOADED -> QUOTA_EXCEEDED;
            default -> UNSPECIFIED;
        };
    }
}
