package dev.tern.protocol;

import dev.tern.common.error.ErrorCode;
import dev.tern.common.message.StoredMessage;
import dev.tern.engine.GroupDescription;
import dev.tern.engine.Membership;
import dev.tern.engine.PendingTransaction;
import dev.tern.engine.SendResult;
import dev.tern.engine.TopicDescription;
import dev.tern.store.api.QueueRange;
import dev.tern.store.api.ReadResult;

import java.util.List;
import java.util.Optional;

/**
 * A response of the native protocol, decoded: one record per response frame type. Encoded and decoded by
 * {@link ResponseCodec}; a server encodes a PULL response straight from the engine's result instead
 * ({@link PullCodec#encodeResponse}), so that stored records are sent without copying.
 */
public sealed interface Response {

    /** The frame type this response travels in. */
    FrameType type();

    record Pong() implements Response {
        public FrameType type() {
            return FrameType.PING_RESPONSE;
        }
    }

    /** A request that succeeded with nothing to return (TOPIC_DELETE, GROUP_LEAVE, OFFSET_COMMIT, ACK, NACK). */
    record Ack(FrameType type) implements Response {
        public Ack {
            if (type != FrameType.TOPIC_DELETE_RESPONSE && type != FrameType.GROUP_LEAVE_RESPONSE
                    && type != FrameType.OFFSET_COMMIT_RESPONSE && type != FrameType.ACK_RESPONSE && type != FrameType.NACK_RESPONSE) {
                throw new IllegalArgumentException(type + " is not an acknowledgement");
            }
        }
    }

    record TopicCreated(TopicDescription topic) implements Response {
        public FrameType type() {
            return FrameType.TOPIC_CREATE_RESPONSE;
        }
    }

    record Topics(List<TopicDescription> topics) implements Response {
        public Topics {
            topics = List.copyOf(topics);
        }

        public FrameType type() {
            return FrameType.TOPIC_LIST_RESPONSE;
        }
    }

    record TopicDescribed(Optional<TopicDescription> topic) implements Response {
        public FrameType type() {
            return FrameType.TOPIC_DESCRIBE_RESPONSE;
        }
    }

    record Sent(List<SendResult> results) implements Response {
        public Sent {
            results = List.copyOf(results);
        }

        public FrameType type() {
            return FrameType.SEND_RESPONSE;
        }
    }

    /** A pull as the client decodes it: the stored records decoded into messages. */
    record Pulled(ReadResult.Status status, long nextOffset, QueueRange range, List<StoredMessage> messages)
            implements Response {
        public Pulled {
            messages = List.copyOf(messages);
        }

        public FrameType type() {
            return FrameType.PULL_RESPONSE;
        }
    }

    record Joined(Membership membership) implements Response {
        public FrameType type() {
            return FrameType.GROUP_JOIN_RESPONSE;
        }
    }

    record Heartbeated(Membership membership) implements Response {
        public FrameType type() {
            return FrameType.GROUP_HEARTBEAT_RESPONSE;
        }
    }

    record OffsetFetched(long offset) implements Response {
        public FrameType type() {
            return FrameType.OFFSET_FETCH_RESPONSE;
        }
    }

    record Groups(List<String> groups) implements Response {
        public Groups {
            groups = List.copyOf(groups);
        }

        public FrameType type() {
            return FrameType.GROUP_LIST_RESPONSE;
        }
    }

    record GroupDescribed(Optional<GroupDescription> group) implements Response {
        public FrameType type() {
            return FrameType.GROUP_DESCRIBE_RESPONSE;
        }
    }

    record OffsetForTimeFound(long offset) implements Response {
        public FrameType type() {
            return FrameType.OFFSET_FOR_TIME_RESPONSE;
        }
    }

    record FoundById(Optional<StoredMessage> message) implements Response {
        public FrameType type() {
            return FrameType.LOOKUP_BY_ID_RESPONSE;
        }
    }

    /** Oldest first; possibly fewer than asked when the messages would not fit in one response. */
    record FoundByKey(List<StoredMessage> messages) implements Response {
        public FoundByKey {
            messages = List.copyOf(messages);
        }

        public FrameType type() {
            return FrameType.LOOKUP_BY_KEY_RESPONSE;
        }
    }

    /**
     * A failed request. {@code code} is the raw wire code, kept even when this client does not know it;
     * {@link #errorCode()} maps it to the catalogue (unknown codes map to INTERNAL).
     */
    record Error(int code, String message) implements Response {
        public FrameType type() {
            return FrameType.ERROR;
        }

        public ErrorCode errorCode() {
            return ErrorCode.of(code);
        }

        public static Error of(ErrorCode code, String message) {
            return new Error(code.code(), message == null ? code.name() : message);
        }
    }

    /** POP_RESPONSE: the popped messages and, in the same order, their receipts. */
    record PoppedMessages(List<String> receipts, List<StoredMessage> messages) implements Response {
        public PoppedMessages {
            receipts = List.copyOf(receipts);
            messages = List.copyOf(messages);
            if (receipts.size() != messages.size()) throw new IllegalArgumentException("one receipt per message");
        }

        public FrameType type() {
            return FrameType.POP_RESPONSE;
        }
    }

    /** The receipt of a popped message whose invisibility was changed (the one it replaces is stale). */
    record InvisibleChanged(String receipt) implements Response {
        public FrameType type() {
            return FrameType.CHANGE_INVISIBLE_RESPONSE;
        }
    }

    record TxnPrepared(String transactionId) implements Response {
        public FrameType type() {
            return FrameType.TXN_PREPARE_RESPONSE;
        }
    }

    /** Where a commit stored each message; empty for a rollback. */
    record TxnEnded(List<SendResult> results) implements Response {
        public TxnEnded {
            results = List.copyOf(results);
        }

        public FrameType type() {
            return FrameType.TXN_END_RESPONSE;
        }
    }

    /** TXN_CHECK_POLL_RESPONSE and TXN_LIST_RESPONSE: pending transactions with their messages. */
    record PendingTransactions(FrameType type, List<PendingTransaction> transactions) implements Response {
        public PendingTransactions {
            if (type != FrameType.TXN_CHECK_POLL_RESPONSE && type != FrameType.TXN_LIST_RESPONSE) {
                throw new IllegalArgumentException(type + " does not list transactions");
            }
            transactions = List.copyOf(transactions);
        }
    }
}
