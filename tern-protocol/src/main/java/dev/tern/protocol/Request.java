package dev.tern.protocol;

import dev.tern.common.message.Message;
import dev.tern.common.message.MessageId;
import dev.tern.engine.ConsumeMode;
import dev.tern.engine.QueueTarget;
import dev.tern.engine.StartPosition;
import dev.tern.engine.Transactions;
import dev.tern.store.api.Durability;

import java.util.List;
import java.util.Map;

/**
 * A request of the native protocol, decoded: one record per request frame type, each mirroring one
 * engine call. Encoded and decoded by {@link RequestCodec}; the byte layouts are in
 * {@code docs/wire-protocol.md}.
 */
public sealed interface Request {

    /** The frame type this request travels in. */
    FrameType type();

    /** Keeps an idle connection open and checks that the peer answers. */
    record Ping() implements Request {
        public FrameType type() {
            return FrameType.PING;
        }
    }

    record CreateTopic(String name, int queues, Map<String, String> config) implements Request {
        public CreateTopic {
            config = config == null ? Map.of() : Map.copyOf(config);
        }

        public FrameType type() {
            return FrameType.TOPIC_CREATE;
        }
    }

    record DeleteTopic(String name) implements Request {
        public FrameType type() {
            return FrameType.TOPIC_DELETE;
        }
    }

    record ListTopics() implements Request {
        public FrameType type() {
            return FrameType.TOPIC_LIST;
        }
    }

    record DescribeTopic(String name) implements Request {
        public FrameType type() {
            return FrameType.TOPIC_DESCRIBE;
        }
    }

    /** A batch for one queue; {@code durability} null means the server's default. */
    record Send(String topic, QueueTarget target, Durability durability, List<Message> messages) implements Request {
        public Send {
            messages = List.copyOf(messages);
        }

        public FrameType type() {
            return FrameType.SEND;
        }
    }

    /** {@code tagFilter} null means every message. */
    record Pull(String topic, int queue, long offset, int maxMessages, int maxBytes, int maxWaitMs, String tagFilter)
            implements Request {
        public FrameType type() {
            return FrameType.PULL;
        }
    }

    /** {@code memberId} null to have one assigned. */
    record JoinGroup(String group, String memberId, String clientId, List<String> topics, ConsumeMode mode,
                     StartPosition start) implements Request {
        public JoinGroup {
            topics = List.copyOf(topics);
        }

        public FrameType type() {
            return FrameType.GROUP_JOIN;
        }
    }

    record Heartbeat(String group, String memberId) implements Request {
        public FrameType type() {
            return FrameType.GROUP_HEARTBEAT;
        }
    }

    record LeaveGroup(String group, String memberId) implements Request {
        public FrameType type() {
            return FrameType.GROUP_LEAVE;
        }
    }

    /** One committed position: the next offset the group consumes in a queue. */
    record QueueOffset(String topic, int queue, long offset) {
    }

    /** Commits several queues at once; {@code memberId} is needed in BROADCAST mode only (null otherwise). */
    record CommitOffsets(String group, String memberId, List<QueueOffset> offsets) implements Request {
        public CommitOffsets {
            offsets = List.copyOf(offsets);
        }

        public FrameType type() {
            return FrameType.OFFSET_COMMIT;
        }
    }

    /** Where the group (or, in BROADCAST mode, the member) consumes a queue from. */
    record FetchOffset(String group, String memberId, String topic, int queue) implements Request {
        public FrameType type() {
            return FrameType.OFFSET_FETCH;
        }
    }

    record ListGroups() implements Request {
        public FrameType type() {
            return FrameType.GROUP_LIST;
        }
    }

    record DescribeGroup(String group) implements Request {
        public FrameType type() {
            return FrameType.GROUP_DESCRIBE;
        }
    }

    /** The first offset of a queue stored at or after {@code timestamp} (epoch ms). */
    record OffsetForTime(String topic, int queue, long timestamp) implements Request {
        public FrameType type() {
            return FrameType.OFFSET_FOR_TIME;
        }
    }

    record LookupById(MessageId id) implements Request {
        public FrameType type() {
            return FrameType.LOOKUP_BY_ID;
        }
    }

    /** The most recent {@code limit} messages of a topic that carry {@code key}. */
    record LookupByKey(String topic, String key, int limit) implements Request {
        public FrameType type() {
            return FrameType.LOOKUP_BY_KEY;
        }
    }

    /**
     * Up to {@code max} messages of a queue ({@code -1}: of every queue of the topic) for {@code group},
     * hidden for {@code invisibleMs} until acked; with {@code fifo}, one message of each FIFO group (property
     * {@code tern.fifo.group}) in flight at a time; waiting up to {@code maxWaitMs} (0: not at all) when
     * there is nothing yet.
     */
    record Pop(String group, String topic, int queue, int max, int invisibleMs, boolean fifo, int maxWaitMs) implements Request {
        public Pop(String group, String topic, int queue, int max, int invisibleMs) {
            this(group, topic, queue, max, invisibleMs, false);
        }

        public Pop(String group, String topic, int queue, int max, int invisibleMs, boolean fifo) {
            this(group, topic, queue, max, invisibleMs, fifo, 0);
        }

        public FrameType type() {
            return FrameType.POP;
        }
    }

    /** Done with a popped message; {@code receipt} as POP_RESPONSE gave it. */
    record AckMessage(String receipt) implements Request {
        public FrameType type() {
            return FrameType.ACK;
        }
    }

    /** Not done with a popped message: deliver it again after its back-off. */
    record NackMessage(String receipt) implements Request {
        public FrameType type() {
            return FrameType.NACK;
        }
    }

    /** Still working on a popped message: hide it for {@code invisibleMs} from now instead (a new receipt answers). */
    record ChangeInvisible(String receipt, int invisibleMs) implements Request {
        public FrameType type() {
            return FrameType.CHANGE_INVISIBLE;
        }
    }

    /** Keeps a batch for one queue aside as a pending transaction of {@code producerGroup} (a half message). */
    record TxnPrepare(String producerGroup, String topic, QueueTarget target, Durability durability, List<Message> messages) implements Request {
        public TxnPrepare {
            messages = List.copyOf(messages);
        }

        public FrameType type() {
            return FrameType.TXN_PREPARE;
        }
    }

    /** Commits or rolls back a pending transaction. */
    record TxnEnd(String transactionId, Transactions.Outcome outcome) implements Request {
        public FrameType type() {
            return FrameType.TXN_END;
        }
    }

    /** Check-back, long-polled: pending transactions of the group due for a check, waiting up to {@code maxWaitMs}. */
    record TxnCheckPoll(String producerGroup, int max, int maxWaitMs) implements Request {
        public FrameType type() {
            return FrameType.TXN_CHECK_POLL;
        }
    }

    /** Pending transactions, oldest first; of one producer group unless it is null. */
    record TxnList(String producerGroup, int limit) implements Request {
        public FrameType type() {
            return FrameType.TXN_LIST;
        }
    }
}
