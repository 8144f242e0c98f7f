package dev.tern.protocol;

import dev.tern.common.error.ErrorCode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/** Encodes responses into whole frames and decodes response frames, dispatching to one codec per concern. */
public final class ResponseCodec {

    private ResponseCodec() {
    }

    /** The whole frame of a response, length prefix included. */
    public static ByteBuf encode(ByteBufAllocator alloc, int requestId, Response response) {
        if (response instanceof Response.Pulled p) return PullCodec.encodeResponse(alloc, requestId, p);
        ByteBuf buf = FrameCodec.begin(alloc, response.type(), requestId, 64);
        try {
            writeBody(buf, response);
            return FrameCodec.finish(buf);
        } catch (RuntimeException e) {
            buf.release();
            throw e;
        }
    }

    /** An ERROR frame. */
    public static ByteBuf error(ByteBufAllocator alloc, int requestId, ErrorCode code, String message) {
        return encode(alloc, requestId, Response.Error.of(code, message));
    }

    private static void writeBody(ByteBuf buf, Response response) {
        switch (response) {
            case Response.Pong r -> { }
            case Response.Ack r -> { }
            case Response.TopicCreated r -> TopicCodec.writeDescription(buf, r.topic());
            case Response.Topics r -> TopicCodec.writeList(buf, r.topics());
            case Response.TopicDescribed r -> TopicCodec.writeOptional(buf, r.topic());
            case Response.Sent r -> SendCodec.writeResponse(buf, r.results());
            case Response.Pulled r -> throw new IllegalStateException("encoded by PullCodec");
            case Response.Joined r -> GroupCodec.writeMembership(buf, r.membership());
            case Response.Heartbeated r -> GroupCodec.writeMembership(buf, r.membership());
            case Response.OffsetFetched r -> buf.writeLong(r.offset());
            case Response.Groups r -> GroupCodec.writeNames(buf, r.groups());
            case Response.GroupDescribed r -> GroupCodec.writeDescription(buf, r.group());
            case Response.OffsetForTimeFound r -> buf.writeLong(r.offset());
            case Response.FoundById r -> LookupCodec.writeFoundById(buf, r.message());
            case Response.FoundByKey r -> LookupCodec.writeFoundByKey(buf, r.messages());
            case Response.PoppedMessages r -> PopCodec.writePopped(buf, r);
            case Response.InvisibleChanged r -> Wire.writeString(buf, r.receipt());
            case Response.TxnPrepared r -> Wire.writeString(buf, r.transactionId());
            case Response.TxnEnded r -> SendCodec.writeResponse(buf, r.results());
            case Response.PendingTransactions r -> TxnCodec.writeTransactions(buf, r.transactions());
            case Response.Error r -> {
                buf.writeInt(r.code());
                Wire.writeTruncatedString(buf, r.message());
            }
        }
    }

    /**
     * Decodes the body of a response frame; the whole body must be consumed.
     *
     * @throws FrameException MALFORMED_REQUEST when the frame is not a response or its body is truncated,
     *                        too long or garbage; CORRUPT_RECORD for a pulled or looked-up record that fails
     *                        its checksum
     */
    public static Response decode(Frame frame) {
        try {
            ByteBuf body = frame.body();
            Response response = readBody(frame.type(), body);
            Wire.end(body, frame.type());
            return response;
        } catch (FrameException e) {
            throw e.withRequestId(frame.requestId());
        }
    }

    private static Response readBody(FrameType type, ByteBuf body) {
        return switch (type) {
            case PING_RESPONSE -> new Response.Pong();
            case TOPIC_DELETE_RESPONSE, GROUP_LEAVE_RESPONSE, OFFSET_COMMIT_RESPONSE, ACK_RESPONSE, NACK_RESPONSE -> new Response.Ack(type);
            case TOPIC_CREATE_RESPONSE -> new Response.TopicCreated(TopicCodec.readDescription(body));
            case TOPIC_LIST_RESPONSE -> new Response.Topics(TopicCodec.readList(body));
            case TOPIC_DESCRIBE_RESPONSE -> new Response.TopicDescribed(TopicCodec.readOptional(body));
            case SEND_RESPONSE -> new Response.Sent(SendCodec.readResponse(body));
            case PULL_RESPONSE -> PullCodec.readResponse(body);
            case GROUP_JOIN_RESPONSE -> new Response.Joined(GroupCodec.readMembership(body));
            case GROUP_HEARTBEAT_RESPONSE -> new Response.Heartbeated(GroupCodec.readMembership(body));
            case OFFSET_FETCH_RESPONSE -> new Response.OffsetFetched(Wire.readLong(body, "offset"));
            case GROUP_LIST_RESPONSE -> new Response.Groups(GroupCodec.readNames(body));
            case GROUP_DESCRIBE_RESPONSE -> new Response.GroupDescribed(GroupCodec.readDescription(body));
            case OFFSET_FOR_TIME_RESPONSE -> new Response.OffsetForTimeFound(Wire.readLong(body, "offset"));
            case LOOKUP_BY_ID_RESPONSE -> new Response.FoundById(LookupCodec.readFoundById(body));
            case LOOKUP_BY_KEY_RESPONSE -> new Response.FoundByKey(LookupCodec.readFoundByKey(body));
            case POP_RESPONSE -> PopCodec.readPopped(body);
            case CHANGE_INVISIBLE_RESPONSE -> new Response.InvisibleChanged(Wire.readString(body, "receipt"));
            case TXN_PREPARE_RESPONSE -> new Response.TxnPrepared(Wire.readString(body, "transactionId"));
            case TXN_END_RESPONSE -> new Response.TxnEnded(SendCodec.readResponse(body));
            case TXN_CHECK_POLL_RESPONSE, TXN_LIST_RESPONSE -> new Response.PendingTransactions(type, TxnCodec.readTransactions(body));
            case ERROR -> new Response.Error(Wire.readInt(body, "error code"), Wire.readString(body, "error message"));
            default -> throw FrameException.malformed("frame type " + type + " is not a response");
        };
    }
}
