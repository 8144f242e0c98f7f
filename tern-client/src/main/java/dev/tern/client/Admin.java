package dev.tern.client;

import dev.tern.common.error.TernException;
import dev.tern.common.message.MessageId;
import dev.tern.engine.GroupDescription;
import dev.tern.engine.TopicDescription;
import dev.tern.protocol.Request;
import dev.tern.protocol.Response;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Topic and group administration, and lookups of messages (by id, by key, by time), over the native
 * protocol. Every method blocks until the server answers and fails with a
 * {@link dev.tern.common.error.TernException} naming the problem (TOPIC_EXISTS, TOPIC_NOT_FOUND,
 * INVALID_ARGUMENT, TIMEOUT, CONNECTION...). Thread-safe; get one from {@link TernClient#admin()}.
 *
 * <pre>{@code
 * Admin admin = client.admin();
 * admin.createTopic("orders", 8);
 * for (TopicDescription t : admin.listTopics()) System.out.println(t.name() + " " + t.messages());
 * admin.describeGroup("billing").ifPresent(g -> System.out.println("lag " + g.totalLag()));
 * for (ReceivedMessage m : admin.lookupByKey("orders", "order-42", 10)) System.out.println(m.bodyAsString());
 * }</pre>
 */
public final class Admin {
    private final Connection connection;

    Admin(Connection connection) {
        this.connection = connection;
    }

    /** Creates a topic with {@code queues} queues (1 to 1024). */
    public TopicDescription createTopic(String name, int queues) {
        return createTopic(name, queues, Map.of());
    }

    /** Creates a topic with per-topic configuration (kept verbatim by the server). */
    public TopicDescription createTopic(String name, int queues, Map<String, String> config) {
        return Futures.get(connection.call(new Request.CreateTopic(name, queues, config), Response.TopicCreated.class))
                .topic();
    }

    public void deleteTopic(String name) {
        Futures.get(connection.call(new Request.DeleteTopic(name), Response.Ack.class));
    }

    /** All topics, sorted by name, with the range of each queue. */
    public List<TopicDescription> listTopics() {
        return Futures.get(connection.call(new Request.ListTopics(), Response.Topics.class)).topics();
    }

    /** The topic with the range of each queue, or empty when there is no such topic. */
    public Optional<TopicDescription> describeTopic(String name) {
        return Futures.get(connection.call(new Request.DescribeTopic(name), Response.TopicDescribed.class)).topic();
    }

    /** Live groups and groups with committed offsets, sorted. */
    public List<String> listGroups() {
        return Futures.get(connection.call(new Request.ListGroups(), Response.Groups.class)).groups();
    }

    /** Members, assignments, committed offsets and lag of a group, or empty when the group is unknown. */
    public Optional<GroupDescription> describeGroup(String group) {
        return Futures.get(connection.call(new Request.DescribeGroup(group), Response.GroupDescribed.class)).group();
    }

    /**
     * The first offset of a queue whose message was stored at or after {@code timestamp} (epoch ms), or the
     * queue's next offset when there is none. Fails with TOPIC_NOT_FOUND or QUEUE_NOT_FOUND.
     */
    public long offsetForTime(String topic, int queue, long timestamp) {
        return Futures.get(connection.call(new Request.OffsetForTime(topic, queue, timestamp), Response.OffsetForTimeFound.class))
                .offset();
    }

    /** The message with this id (as a send returned it), or empty when no kept message has it. */
    public Optional<ReceivedMessage> lookupById(MessageId id) {
        if (id == null) throw TernException.invalid("the message id to look up is missing");
        return Futures.get(connection.call(new Request.LookupById(id), Response.FoundById.class)).message()
                .map(ReceivedMessage::of);
    }

    /**
     * The most recent {@code limit} (1 to 10000) messages of a topic that carry {@code key} among their
     * keys, oldest first. Large messages may make the server answer with fewer: the most recent ones that
     * fit in one response. Fails with INVALID_ARGUMENT for an empty key or a limit out of range,
     * TOPIC_NOT_FOUND.
     */
    public List<ReceivedMessage> lookupByKey(String topic, String key, int limit) {
        if (key == null) throw TernException.invalid("the key to look up is empty");
        return Futures.get(connection.call(new Request.LookupByKey(topic, key, limit), Response.FoundByKey.class)).messages()
                .stream().map(ReceivedMessage::of).toList();
    }

    /** Pending transactions (prepared, not ended), oldest first, at most {@code limit} (1 to 1000); of one producer group unless it is null. */
    public List<CheckedTransaction> pendingTransactions(String producerGroup, int limit) {
        return Futures.get(connection.call(new Request.TxnList(producerGroup, limit), Response.PendingTransactions.class)).transactions()
                .stream().map(CheckedTransaction::of).toList();
    }

    /** Commits a pending transaction for its producer (an operator's decision); answers where its messages were stored. */
    public List<dev.tern.engine.SendResult> commitTransaction(String transactionId) {
        return endTransaction(transactionId, dev.tern.engine.Transactions.Outcome.COMMIT);
    }

    /** Rolls back a pending transaction for its producer (an operator's decision). */
    public void rollbackTransaction(String transactionId) {
        endTransaction(transactionId, dev.tern.engine.Transactions.Outcome.ROLLBACK);
    }

    private List<dev.tern.engine.SendResult> endTransaction(String id, dev.tern.engine.Transactions.Outcome outcome) {
        return Futures.get(connection.call(new Request.TxnEnd(id, outcome), Response.TxnEnded.class)).results();
    }
}
