package dev.tern.testsupport.contract;

import dev.tern.common.codec.RecordCodec;
import dev.tern.common.error.ErrorCode;
import dev.tern.common.message.Message;
import dev.tern.common.message.MessageId;
import dev.tern.common.message.StoredMessage;
import dev.tern.store.api.AppendResult;
import dev.tern.store.api.StoredRecord;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static dev.tern.testsupport.Await.result;
import static dev.tern.testsupport.StoreAssertions.assertFails;
import static dev.tern.testsupport.StoreAssertions.assertSameMessage;
import static dev.tern.testsupport.TestMessages.keyed;
import static dev.tern.testsupport.TestMessages.rich;
import static dev.tern.testsupport.TestMessages.text;
import static org.assertj.core.api.Assertions.assertThat;

/** {@link dev.tern.store.api.MessageLookup}: by id, by key, by time, and read-your-writes. */
public interface LookupContract extends StoreContract {

    @Test
    default void byIdFindsEachStoredMessage() {
        String topic = fixture().newTopic(3);
        for (int i = 0; i < 9; i++) {
            Message sent = rich(i);
            AppendResult r = fixture().append(topic, i % 3, sent);

            StoredMessage found = result(store().lookup().byId(r.messageId())).orElseThrow();
            assertSameMessage(found, sent);
            assertThat(found.topic()).isEqualTo(topic);
            assertThat(found.queue()).isEqualTo(i % 3);
            assertThat(found.queueOffset()).isEqualTo(r.queueOffset());
            assertThat(found.messageId()).isEqualTo(r.messageId());
            assertThat(found.storeTimestamp()).isEqualTo(r.storeTimestamp());
        }
    }

    @Test
    default void byIdOfUnknownIdIsEmpty() {
        String topic = fixture().newTopic(1);
        MessageId known = fixture().append(topic, 0, text("a")).messageId();

        assertThat(result(store().lookup().byId(new MessageId(0, 0)))).isEmpty();
        assertThat(result(store().lookup().byId(new MessageId(-1, -1)))).isEmpty();
        assertThat(result(store().lookup().byId(new MessageId(known.high() ^ 0x5A5A, known.low() + 12345)))).isEmpty();
    }

    @Test
    default void byIdOfAnIdThatIsNotAMessagesIsEmptyNeverAnError() {
        String topic = fixture().newTopic(2);
        Map<MessageId, String> stored = new HashMap<>();
        for (int i = 0; i < 6; i++) {
            AppendResult r = fixture().append(topic, i % 2, i % 2 == 0 ? rich(i) : keyed("m" + i, "k" + i));
            stored.put(r.messageId(), result(store().lookup().byId(r.messageId())).orElseThrow().bodyAsString());
        }
        long span = fixture().readAll(topic, 0, 0, 100, null).stream().mapToLong(StoredRecord::size).sum()
                + fixture().readAll(topic, 1, 0, 100, null).stream().mapToLong(StoredRecord::size).sum();

        // every neighbour of every real id (for a store whose ids locate records: every position in and
        // around them), and the extremes; an id that is some other message's is answered with that message
        Set<MessageId> probes = new LinkedHashSet<>();
        for (MessageId id : stored.keySet()) {
            for (long d = -64; d <= span + 64; d++) probes.add(new MessageId(id.high(), id.low() + d));
            for (long low : new long[] {0, -1, Long.MAX_VALUE, Long.MIN_VALUE, Long.MAX_VALUE - RecordCodec.HEADER_SIZE}) {
                probes.add(new MessageId(id.high(), low));
            }
            probes.add(new MessageId(id.high() + 1, id.low()));
            probes.add(new MessageId(~id.high(), id.low()));
        }
        for (MessageId probe : probes) {
            Optional<StoredMessage> found = result(store().lookup().byId(probe));
            if (stored.containsKey(probe)) {
                assertThat(found).as("id %s", probe).get().extracting(StoredMessage::bodyAsString).isEqualTo(stored.get(probe));
            } else {
                assertThat(found).as("id %s", probe).isEmpty();
            }
        }
    }

    @Test
    default void byKeyFindsAMessageByEachOfItsKeys() {
        String topic = fixture().newTopic(2);
        fixture().append(topic, 0, keyed("multi", "order-1", "customer-7", "región"));
        fixture().append(topic, 1, keyed("other", "order-2"));

        for (String key : List.of("order-1", "customer-7", "región")) {
            assertThat(result(store().lookup().byKey(topic, key, 10))).extracting(StoredMessage::bodyAsString)
                    .containsExactly("multi");
        }
        assertThat(result(store().lookup().byKey(topic, "order-3", 10))).isEmpty();
        assertThat(result(store().lookup().byKey(topic, "order", 10))).as("no prefix match").isEmpty();
    }

    @Test
    default void byKeyReturnsTheMostRecentUpToLimitOldestFirst() {
        String topic = fixture().newTopic(3);
        for (int i = 0; i < 7; i++) fixture().append(topic, i % 3, keyed("v" + i, "same", "k" + i));

        assertThat(result(store().lookup().byKey(topic, "same", 3))).extracting(StoredMessage::bodyAsString)
                .containsExactly("v4", "v5", "v6");
        assertThat(result(store().lookup().byKey(topic, "same", 100))).extracting(StoredMessage::bodyAsString)
                .containsExactly("v0", "v1", "v2", "v3", "v4", "v5", "v6");
        assertThat(result(store().lookup().byKey(topic, "same", 1))).extracting(StoredMessage::bodyAsString)
                .containsExactly("v6");
    }

    @Test
    default void byKeyMatchesOnlyTheGivenTopic() {
        String a = fixture().newTopic(1);
        String b = fixture().newTopic(1);
        fixture().append(a, 0, keyed("in a", "k"));
        fixture().append(b, 0, keyed("in b", "k"));

        assertThat(result(store().lookup().byKey(a, "k", 10))).extracting(StoredMessage::bodyAsString).containsExactly("in a");
        assertThat(result(store().lookup().byKey(b, "k", 10))).extracting(StoredMessage::bodyAsString).containsExactly("in b");
    }

    @Test
    default void byKeyOfUnknownTopicFailsWithTopicNotFound() {
        assertFails(ErrorCode.TOPIC_NOT_FOUND, () -> store().lookup().byKey("ghost", "k", 10));
    }

    @Test
    default void offsetForTimeFindsTheFirstMessageStoredAtOrAfter() {
        String topic = fixture().newTopic(2);
        long t0 = fixture().append(topic, 0, text("a")).storeTimestamp();
        fixture().advanceClock();
        long t1 = fixture().append(topic, 0, text("b")).storeTimestamp();
        long t2 = fixture().append(topic, 0, text("c")).storeTimestamp();
        fixture().advanceClock();
        long t3 = fixture().append(topic, 0, text("d")).storeTimestamp();
        assertThat(t1).as("store clock advanced").isGreaterThan(t0);
        assertThat(t3).as("store clock advanced").isGreaterThan(t2);

        assertThat(offsetForTime(topic, 0, 0)).as("long before the first").isZero();
        assertThat(offsetForTime(topic, 0, t0 - 1)).as("just before the first").isZero();
        assertThat(offsetForTime(topic, 0, t0)).isZero();
        assertThat(offsetForTime(topic, 0, t0 + 1)).as("between").isEqualTo(1);
        assertThat(offsetForTime(topic, 0, t1)).isEqualTo(1);
        assertThat(offsetForTime(topic, 0, t3)).isEqualTo(3);
        assertThat(offsetForTime(topic, 0, t3 + 1)).as("after the last: next offset").isEqualTo(4);
        assertThat(offsetForTime(topic, 0, Long.MAX_VALUE)).isEqualTo(4);
        assertThat(offsetForTime(topic, 1, t0)).as("empty queue").isZero();
    }

    @Test
    default void offsetForTimeOfMissingTopicOrQueueFails() {
        String topic = fixture().newTopic(2);

        assertFails(ErrorCode.TOPIC_NOT_FOUND, () -> store().lookup().offsetForTime("ghost", 0, 0));
        assertFails(ErrorCode.QUEUE_NOT_FOUND, () -> store().lookup().offsetForTime(topic, 2, 0));
    }

    @Test
    default void lookupsSeeAnAppendAsSoonAsItCompletes() {
        String topic = fixture().newTopic(4);
        for (int i = 0; i < 40; i++) {
            int queue = i % 4;
            AppendResult r = fixture().append(topic, queue, keyed("m" + i, "key-" + i));

            assertThat(result(store().lookup().byId(r.messageId()))).as("by id, message %d", i).isPresent();
            assertThat(result(store().lookup().byKey(topic, "key-" + i, 1))).as("by key, message %d", i)
                    .extracting(StoredMessage::messageId).containsExactly(r.messageId());
            assertThat(offsetForTime(topic, queue, r.storeTimestamp())).as("by time, message %d", i)
                    .isLessThanOrEqualTo(r.queueOffset());
            assertThat(offsetForTime(topic, queue, r.storeTimestamp() + 1)).isEqualTo(r.queueOffset() + 1);
        }
    }

    private long offsetForTime(String topic, int queue, long timestamp) {
        return result(store().lookup().offsetForTime(topic, queue, timestamp));
    }
}
