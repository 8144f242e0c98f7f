package dev.tern.testsupport.contract;

import dev.tern.common.codec.RecordCodec;
import dev.tern.common.error.ErrorCode;
import dev.tern.common.message.Message;
import dev.tern.common.message.MessageId;
import dev.tern.common.message.StoredMessage;
import dev.tern.store.api.AppendResult;
import dev.tern.store.api.Durability;
import dev.tern.store.api.StoredRecord;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.IntStream;

import static dev.tern.testsupport.Await.result;
import static dev.tern.testsupport.StoreAssertions.assertFails;
import static dev.tern.testsupport.StoreAssertions.assertSameMessage;
import static dev.tern.testsupport.TestMessages.rich;
import static dev.tern.testsupport.TestMessages.sized;
import static dev.tern.testsupport.TestMessages.text;
import static org.assertj.core.api.Assertions.assertThat;

/** {@link dev.tern.store.api.MessageLog#append}: offsets, ids, timestamps, fidelity and what it rejects. */
public interface AppendContract extends StoreContract {

    @Test
    default void singleAppendsGetConsecutiveOffsetsFromZero() {
        String topic = fixture().newTopic(2);

        assertThat(fixture().append(topic, 0, text("a")).queueOffset()).isZero();
        assertThat(fixture().append(topic, 0, text("b")).queueOffset()).isEqualTo(1);
        assertThat(fixture().append(topic, 1, text("c")).queueOffset()).as("queues count separately").isZero();
        assertThat(result(store().log().range(topic, 0)).nextOffset()).isEqualTo(2);
    }

    @Test
    default void batchGetsConsecutiveOffsetsUniqueIdsAndOrderedTimestamps() {
        String topic = fixture().newTopic(1);
        fixture().append(topic, 0, text("first"));

        List<Message> batch = IntStream.range(0, 50).mapToObj(i -> text("m" + i)).toList();
        List<AppendResult> results = fixture().appendBatch(topic, 0, batch);

        assertThat(results).hasSize(50);
        assertThat(results).extracting(AppendResult::queueOffset)
                .containsExactlyElementsOf(IntStream.rangeClosed(1, 50).mapToObj(i -> (long) i).toList());
        assertThat(results).extracting(AppendResult::messageId).doesNotHaveDuplicates().doesNotContainNull();
        assertThat(results).extracting(AppendResult::storeTimestamp).isSorted();
        List<StoredRecord> records = fixture().readAll(topic, 0, 1, 7, null);
        for (int i = 0; i < 50; i++) {
            assertThat(records.get(i).message().bodyAsString()).isEqualTo("m" + i);
        }
    }

    @Test
    default void storeTimestampsNeverDecreaseWithinAQueue() {
        String topic = fixture().newTopic(1);
        long previous = Long.MIN_VALUE;
        for (int i = 0; i < 30; i++) {
            if (i % 10 == 0) fixture().advanceClock();
            long ts = fixture().append(topic, 0, text("m" + i)).storeTimestamp();
            assertThat(ts).isGreaterThanOrEqualTo(previous);
            previous = ts;
        }
        assertThat(fixture().readAll(topic, 0, 0, 100, null)).extracting(StoredRecord::storeTimestamp).isSorted();
    }

    @Test
    default void messageIdsAreUniqueAcrossTopicsAndQueues() {
        Set<MessageId> ids = new HashSet<>();
        for (int t = 0; t < 3; t++) {
            String topic = fixture().newTopic(3);
            for (int q = 0; q < 3; q++) {
                fixture().appendBatch(topic, q, List.of(text("a"), text("b"))).forEach(r -> ids.add(r.messageId()));
                ids.add(fixture().append(topic, q, text("c")).messageId());
            }
        }
        assertThat(ids).hasSize(3 * 3 * 3);
    }

    @Test
    default void messagesRoundTripByteForByteAcrossTopicsAndQueues() {
        record Sent(String topic, int queue, Message message, AppendResult result) {
        }
        List<String> topics = IntStream.range(0, 4).mapToObj(i -> fixture().newTopic(1 + i * 2)).toList();
        Random random = new Random(42);
        List<Sent> sent = new ArrayList<>();
        for (int n = 0; n < 120; ) {
            String topic = topics.get(random.nextInt(topics.size()));
            int queue = random.nextInt(result(store().topics().describe(topic)).orElseThrow().queues());
            List<Message> batch = new ArrayList<>();
            for (int b = 1 + random.nextInt(4); b > 0; b--) batch.add(rich(n++));
            List<AppendResult> results = fixture().appendBatch(topic, queue, batch);
            for (int i = 0; i < batch.size(); i++) sent.add(new Sent(topic, queue, batch.get(i), results.get(i)));
        }

        Map<String, List<StoredRecord>> stored = new LinkedHashMap<>();
        for (Sent s : sent) {
            List<StoredRecord> queue = stored.computeIfAbsent(s.topic + "/" + s.queue,
                    k -> fixture().readAll(s.topic, s.queue, 0, 16, null));
            StoredRecord record = queue.stream().filter(r -> r.queueOffset() == s.result.queueOffset()).findFirst().orElseThrow();
            StoredMessage m = record.message();
            assertSameMessage(m, s.message);
            assertThat(m.topic()).isEqualTo(s.topic);
            assertThat(m.queue()).isEqualTo(s.queue);
            assertThat(m.queueOffset()).isEqualTo(s.result.queueOffset());
            assertThat(m.messageId()).isEqualTo(s.result.messageId());
            assertThat(m.storeTimestamp()).isEqualTo(s.result.storeTimestamp()).isEqualTo(record.storeTimestamp());
            assertThat(record.tagHash()).isEqualTo(RecordCodec.tagHash(s.message.tag()));
        }
        assertThat(stored.values().stream().mapToInt(List::size).sum()).isEqualTo(sent.size());
    }

    @Test
    default void syncAndAsyncAppendsBothSucceed() {
        String topic = fixture().newTopic(1);

        AppendResult sync = result(store().log().append(topic, 0, List.of(text("sync")), Durability.SYNC)).getFirst();
        AppendResult async = result(store().log().append(topic, 0, List.of(text("async")), Durability.ASYNC)).getFirst();

        assertThat(sync.queueOffset()).isZero();
        assertThat(async.queueOffset()).isEqualTo(1);
        assertThat(fixture().readAll(topic, 0, 0, 10, null)).extracting(r -> r.message().bodyAsString())
                .containsExactly("sync", "async");
    }

    @Test
    default void appendToUnknownTopicFailsWithTopicNotFound() {
        assertFails(ErrorCode.TOPIC_NOT_FOUND, () -> store().log().append("ghost", 0, List.of(text("x")), Durability.ASYNC));
    }

    @Test
    default void appendToMissingQueueFailsWithQueueNotFound() {
        String topic = fixture().newTopic(2);

        assertFails(ErrorCode.QUEUE_NOT_FOUND, () -> store().log().append(topic, 2, List.of(text("x")), Durability.ASYNC));
        assertFails(ErrorCode.QUEUE_NOT_FOUND, () -> store().log().append(topic, -1, List.of(text("x")), Durability.SYNC));
    }

    @Test
    default void emptyBatchFailsWithInvalidArgument() {
        String topic = fixture().newTopic(1);

        assertFails(ErrorCode.INVALID_ARGUMENT, () -> store().log().append(topic, 0, List.of(), Durability.ASYNC));
        assertThat(result(store().log().range(topic, 0)).count()).isZero();
    }

    @Test
    default void messageOverTheLimitFailsWithMessageTooLargeAndOneAtTheLimitIsStored() {
        String topic = fixture().newTopic(1);
        int max = store().log().maxMessageBytes();
        int overhead = RecordCodec.prepare(sized(0), topic, 0, 0).length;
        assertThat(max).isGreaterThan(overhead);

        assertFails(ErrorCode.MESSAGE_TOO_LARGE, () -> store().log().append(topic, 0, List.of(sized(max)), Durability.ASYNC));
        assertFails(ErrorCode.MESSAGE_TOO_LARGE,
                () -> store().log().append(topic, 0, List.of(text("fits"), sized(max - overhead + 1)), Durability.ASYNC));

        long next = result(store().log().range(topic, 0)).nextOffset();
        AppendResult atLimit = fixture().append(topic, 0, sized(max - overhead));
        assertThat(atLimit.queueOffset()).isEqualTo(next);
        assertThat(fixture().readAll(topic, 0, next, 1, null)).singleElement()
                .satisfies(r -> assertThat(r.size()).isEqualTo(max));
    }
}
