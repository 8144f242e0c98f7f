package dev.tern.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/** Encodes requests into whole frames and decodes request frames, dispatching to one codec per concern. */
public final class RequestCodec {

    private RequestCodec() {
    }

    /**
     * The whole frame of a request, length prefix included.
     *
     * @throws dev.tern.common.error.TernException INVALID_ARGUMENT when a field does not fit its wire type
     */
    public static ByteBuf encode(ByteBufAllocator alloc, int requestId, Request request) {
        ByteBuf buf = FrameCodec.begin(alloc, request.type(), requestId, 64);
        try {
            writeBody(buf, request);
            return FrameCodec.finish(buf);
        } catch (RuntimeException e) {
            buf.release();
            throw e;
        }
    }

    private static void writeBody(ByteBuf buf, Request request) {
        switch (request) {
            case Request.Ping p -> { }
            case Request.CreateTopic r -> TopicCodec.writeCreate(buf, r);
            case Request.DeleteTopic r -> Wire.writeString(buf, r.name());
            case Request.ListTopics r -> { }
            case Request.DescribeTopic r -> Wire.writeString(buf, r.name());
            case Request.Send r -> SendCodec.writeRequest(buf, r);
            case Request.Pull r -> PullCodec.writeRequest(buf, r);
            case Request.JoinGroup r -> GroupCodec.writeJoin(buf, r);
            case Request.Heartbeat r -> GroupCodec.writeMember(buf, r.group(), r.memberId());
            case Request.LeaveGroup r -> GroupCodec.writeMember(buf, r.group(), r.memberId());
            case Request.CommitOffsets r -> OffsetCodec.writeCommit(buf, r);
            case Request.FetchOffset r -> OffsetCodec.writeFetch(buf, r);
            case Request.ListGroups r -> { }
            case Request.DescribeGroup r -> Wire.writeString(buf, r.group());
            case Request.OffsetForTime r -> LookupCodec.writeOffsetForTime(buf, r);
            case Request.LookupById r -> LookupCodec.writeById(buf, r);
            case Request.LookupByKey r -> LookupCodec.writeByKey(buf, r);
            case Request.Pop r -> PopCodec.writePop(buf, r);
            case Request.AckMessage r -> Wire.writeString(buf, r.receipt());
            case Request.NackMessage r -> Wire.writeString(buf, r.receipt());
            case Request.ChangeInvisible r -> {
                Wire.writeString(buf, r.receipt());
                buf.writeInt(r.invisibleMs());
            }
            case Request.TxnPrepare r -> TxnCodec.writePrepare(buf, r);
            case Request.TxnEnd r -> TxnCodec.writeEnd(buf, r);
            case Request.TxnCheckPoll r -> TxnCodec.writeCheckPoll(buf, r);
            case Request.TxnList r -> TxnCodec.writeList(buf, r);
        }
    }

    /**
     * Decodes the body of a request frame; the whole body must be consumed.
     *
     * @throws FrameException MALFORMED_REQUEST (tagged with the frame's request id) when the frame is not a
     *                        request or its body is truncated, too long or garbage
     */
    public static Request decode(Frame frame) {
        try {
            ByteBuf body = frame.body();
            Request request = readBody(frame.type(), body);
            Wire.end(body, frame.type());
            return request;
        } catch (FrameException e) {
            throw e.withRequestId(frame.requestId());
        }
    }

    private static Request readBody(FrameType type, ByteBuf body) {
        return switch (type) {
            case PING -> new Request.Ping();
            case TOPIC_CREATE -> TopicCodec.readCreate(body);
            case TOPIC_DELETE -> new Request.DeleteTopic(Wire.readString(body, "topic"));
            case TOPIC_LIST -> new Request.ListTopics();
            case TOPIC_DESCRIBE -> new Request.DescribeTopic(Wire.readString(body, "topic"));
            case SEND -> SendCodec.readRequest(body);
            case PULL -> PullCodec.readRequest(body);
            case GROUP_JOIN -> GroupCodec.readJoin(body);
            case GROUP_HEARTBEAT -> GroupCodec.readHeartbeat(body);
            case GROUP_LEAVE -> GroupCodec.readLeave(body);
            case OFFSET_COMMIT -> OffsetCodec.readCommit(body);
            case OFFSET_FETCH -> OffsetCodec.readFetch(body);
            case GROUP_LIST -> new Request.ListGroups();
            case GROUP_DESCRIBE -> new Request.DescribeGroup(Wire.readString(body, "group"));
            case OFFSET_FOR_TIME -> LookupCodec.readOffsetForTime(body);
            case LOOKUP_BY_ID -> LookupCodec.readById(body);
            case LOOKUP_BY_KEY -> LookupCodec.readByKey(body);
            case POP -> PopCodec.readPop(body);
            case ACK -> new Request.AckMessage(Wire.readString(body, "receipt"));
            case NACK -> new Request.NackMessage(Wire.readString(body, "receipt"));
            case CHANGE_INVISIBLE -> new Request.ChangeInvisible(Wire.readString(body, "receipt"), Wire.readInt(body, "invisibleMs"));
            case TXN_PREPARE -> TxnCodec.readPrepare(body);
            case TXN_END -> TxnCodec.readEnd(body);
            case TXN_CHECK_POLL -> TxnCodec.readCheckPoll(body);
            case TXN_LIST -> TxnCodec.readList(body);
            default -> throw FrameException.malformed("frame type " + type + " is not a request");
        };
    }
}
