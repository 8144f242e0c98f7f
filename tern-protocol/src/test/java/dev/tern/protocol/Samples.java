package dev.tern.protocol;

import dev.tern.common.message.Message;
import dev.tern.common.message.MessageId;
import dev.tern.common.message.StoredMessage;
import dev.tern.engine.ConsumeMode;
import dev.tern.engine.GroupDescription;
import dev.tern.engine.Membership;
import dev.tern.engine.QueueTarget;
import dev.tern.engine.SendResult;
import dev.tern.engine.StartPosition;
import dev.tern.engine.TopicDescription;
import dev.tern.engine.TopicQueue;
import dev.tern.store.api.Durability;
import dev.tern.store.api.QueueRange;
import dev.tern.store.api.ReadResult;
import dev.tern.store.api.TopicInfo;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** At least one instance of every request and response, with values chosen to stress the encodings. */
final class Samples {

    private Samples() {
    }

    static Message richMessage() {
        return Message.builder("héllo wörld ✓".getBytes(StandardCharsets.UTF_8))
                .keys("k1", "ключ").tag("TagA").properties(Map.of("a", "1")).bornTimestamp(Long.MIN_VALUE)
                .producer(Long.MAX_VALUE, 8).build();
    }

    static List<Request> requests() {
        return List.of(
                new Request.Ping(),
                new Request.CreateTopic("orders", 8, Map.of("retention.ms", "1000")),
                new Request.CreateTopic("t", 0, Map.of()),
                new Request.DeleteTopic("orders"),
                new Request.ListTopics(),
                new Request.DescribeTopic("orders"),
                new Request.Send("orders", QueueTarget.queue(3), Durability.SYNC, List.of(richMessage(), Message.of(""))),
                new Request.Send("orders", QueueTarget.key("kéy"), null, List.of(Message.of("x"))),
                new Request.Send("orders", QueueTarget.roundRobin(), Durability.ASYNC, List.of()),
                new Request.Pull("orders", 2, 42, 100, 1 << 20, 5000, "TagA || TagB"),
                new Request.Pull("orders", 0, -1, 1, 1, 0, null),
                new Request.JoinGroup("g", null, "client-1", List.of("a", "b"), ConsumeMode.CLUSTERING, StartPosition.earliest()),
                new Request.JoinGroup("g", "m-1", null, List.of("a"), ConsumeMode.BROADCAST, StartPosition.at(1234)),
                new Request.JoinGroup("g", "m-1", "c", List.of(), ConsumeMode.CLUSTERING, StartPosition.latest()),
                new Request.Heartbeat("g", "m-1"),
                new Request.LeaveGroup("g", "m-1"),
                new Request.CommitOffsets("g", null, List.of(new Request.QueueOffset("a", 0, 5),
                        new Request.QueueOffset("b", 3, Long.MAX_VALUE))),
                new Request.CommitOffsets("g", "m-1", List.of()),
                new Request.FetchOffset("g", null, "a", 1),
                new Request.FetchOffset("g", "m", "a", 0),
                new Request.ListGroups(),
                new Request.DescribeGroup("g"),
                new Request.OffsetForTime("orders", 3, 1_700_000_000_000L),
                new Request.OffsetForTime("orders", 0, Long.MIN_VALUE),
                new Request.LookupById(new MessageId(-1, Long.MIN_VALUE)),
                new Request.LookupByKey("orders", "ключ", 10_000),
                new Request.LookupByKey("orders", "", 0),
                new Request.Pop("workers", "jobs", 3, 32, 30_000),
                new Request.AckMessage("workers jobs 3 7 1800000000000 1"),
                new Request.NackMessage("workers jobs 3 7 1800000000000 2"),
                new Request.ChangeInvisible("workers jobs 3 7 1800000000000 2", 60_000),
                new Request.TxnPrepare("shop", "orders", QueueTarget.key("kéy"), Durability.SYNC, List.of(richMessage(), Message.of(""))),
                new Request.TxnPrepare("shop", "orders", QueueTarget.roundRobin(), null, List.of()),
                new Request.TxnEnd("000001a3185c500058e59ca400000000", dev.tern.engine.Transactions.Outcome.COMMIT),
                new Request.TxnEnd("", dev.tern.engine.Transactions.Outcome.ROLLBACK),
                new Request.TxnCheckPoll("shop", 32, 30_000),
                new Request.TxnList("shop", 1000),
                new Request.TxnList(null, 1));
    }

    static TopicDescription topic(String name) {
        return new TopicDescription(new TopicInfo(name, 7, 2, Map.of("k", "v"), 1_700_000_000_000L),
                List.of(new QueueRange(0, 10), new QueueRange(5, 5)));
    }

    static StoredMessage stored(long offset, String body) {
        Message m = offset % 2 == 0 ? richMessage() : Message.of(body);
        return new StoredMessage("orders", 1, offset, new MessageId(offset, ~offset), m.bornTimestamp(), 1_700_000_000_123L + offset,
                m.producerId(), m.sequence(), m.keys(), m.tag(), m.properties(), m.body());
    }

    static List<Response> responses() {
        Membership membership = new Membership("g", "m-1", 3, List.of(new TopicQueue("a", 0), new TopicQueue("b", 2)));
        GroupDescription group = new GroupDescription("g", ConsumeMode.CLUSTERING, 4,
                List.of(new GroupDescription.Member("m-1", "client-1", List.of(new TopicQueue("a", 0)), 123),
                        new GroupDescription.Member("m-2", null, List.of(), 0)),
                List.of(new GroupDescription.QueueLag("a", 0, "m-1", 5, 10, 5),
                        new GroupDescription.QueueLag("a", 1, null, -1, 3, 3)));
        return List.of(
                new Response.Pong(),
                new Response.Ack(FrameType.TOPIC_DELETE_RESPONSE),
                new Response.Ack(FrameType.GROUP_LEAVE_RESPONSE),
                new Response.Ack(FrameType.OFFSET_COMMIT_RESPONSE),

                new Response.TopicCreated(topic("orders")),
                new Response.Topics(List.of(topic("a"), topic("b"))),
                new Response.Topics(List.of()),
                new Response.TopicDescribed(Optional.of(topic("orders"))),
                new Response.TopicDescribed(Optional.empty()),
                new Response.Sent(List.of(new SendResult("orders", 1, 10, new MessageId(1, 2), 99),
                        new SendResult("orders", 1, 11, new MessageId(-1, Long.MIN_VALUE), 100))),
                new Response.Sent(List.of()),
                new Response.Pulled(ReadResult.Status.FOUND, 13, new QueueRange(0, 20), List.of(stored(11, "x"), stored(12, ""))),
                new Response.Pulled(ReadResult.Status.NO_MESSAGES, 20, new QueueRange(0, 20), List.of()),
                new Response.Pulled(ReadResult.Status.OFFSET_TOO_SMALL, 5, new QueueRange(5, 20), List.of()),
                new Response.Pulled(ReadResult.Status.OFFSET_TOO_BIG, 20, new QueueRange(5, 20), List.of()),
                new Response.Joined(membership),
                new Response.Heartbeated(new Membership("g", "m-2", 0, List.of())),
                new Response.OffsetFetched(42),
                new Response.Groups(List.of("a", "b")),
                new Response.GroupDescribed(Optional.of(group)),
                new Response.GroupDescribed(Optional.empty()),
                new Response.Error(2, "topic 'x' does not exist"),
                new Response.Error(12345, "a code this client does not know"),
                new Response.OffsetForTimeFound(Long.MAX_VALUE),
                new Response.FoundById(Optional.of(stored(12, ""))),
                new Response.FoundById(Optional.empty()),
                new Response.FoundByKey(List.of(stored(3, "a"), stored(8, "b"))),
                new Response.FoundByKey(List.of()),
                new Response.Ack(FrameType.ACK_RESPONSE),
                new Response.Ack(FrameType.NACK_RESPONSE),
                new Response.PoppedMessages(List.of("g t 0 3 99 1", "g t 0 8 99 2"), List.of(stored(3, "a"), stored(8, "b"))),
                new Response.PoppedMessages(List.of(), List.of()),
                new Response.InvisibleChanged("workers jobs 3 7 1800000060000 2"),
                new Response.TxnPrepared("000001a3185c500058e59ca400000000"),
                new Response.TxnEnded(List.of(new SendResult("orders", 2, 7, new MessageId(3, -4), 99))),
                new Response.TxnEnded(List.of()),
                new Response.PendingTransactions(FrameType.TXN_CHECK_POLL_RESPONSE, List.of(
                        new dev.tern.engine.PendingTransaction("000001a3185c500058e59ca400000000", "shop", "orders", 3, 1_800_000_000_000L, 2, false,
                                List.of(richMessage(), Message.of("x"))),
                        new dev.tern.engine.PendingTransaction("000001a3185c500058e59ca400000001", "shop", "orders", 0, 0, 0, true, List.of()))),
                new Response.PendingTransactions(FrameType.TXN_LIST_RESPONSE, List.of()));
    }
}
