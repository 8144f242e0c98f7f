package dev.tern.testsupport.contract;

import dev.tern.common.message.Message;
import dev.tern.common.message.MessageId;
import dev.tern.common.message.StoredMessage;
import dev.tern.store.api.AppendResult;
import dev.tern.store.api.Durability;
import dev.tern.store.api.GroupOffset;
import dev.tern.store.api.MetadataStore.Op;
import dev.tern.store.api.QueueRange;
import dev.tern.store.api.StoredRecord;
import dev.tern.store.api.TopicInfo;
import dev.tern.store.api.TopicSpec;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.tern.testsupport.Await.result;
import static dev.tern.testsupport.StoreAssertions.assertSameMessage;
import static dev.tern.testsupport.TestMessages.rich;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Persistence, for stores that keep their data: everything a completed future promised is still there
 * after the store is closed and opened again over the same directory. Skipped unless the fixture says
 * the store survives a reopen.
 */
public interface ReopenContract extends StoreContract {

    @Test
    default void topicsSurviveReopen() {
        assumeTrue(fixture().survivesReopen(), "the store keeps nothing across a reopen");
        TopicInfo kept = result(store().topics().create(new TopicSpec("kept", 3, Map.of("k", "v"))));
        fixture().create("deleted", 1);
        result(store().topics().delete("deleted"));

        fixture().reopen();

        assertThat(result(store().topics().list())).containsExactly(kept);
    }

    @Test
    default void messagesSurviveReopenWithTheirIdsKeysAndTimes() {
        assumeTrue(fixture().survivesReopen(), "the store keeps nothing across a reopen");
        String topic = fixture().newTopic(2);
        List<Message> sent = new ArrayList<>();
        List<AppendResult> appended = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            Message m = rich(i);
            sent.add(m);
            appended.addAll(result(store().log().append(topic, i % 2, List.of(m), i % 4 == 0 ? Durability.SYNC : Durability.ASYNC)));
        }
        QueueRange range0 = result(store().log().range(topic, 0));

        fixture().reopen();

        assertThat(result(store().log().range(topic, 0))).isEqualTo(range0);
        for (int q = 0; q < 2; q++) {
            List<StoredRecord> records = fixture().readAll(topic, q, 0, 5, null);
            assertThat(records).hasSize(10);
            for (int j = 0; j < 10; j++) {
                int i = j * 2 + q;
                StoredMessage m = records.get(j).message();
                assertSameMessage(m, sent.get(i));
                assertThat(m.messageId()).isEqualTo(appended.get(i).messageId());
                assertThat(m.storeTimestamp()).isEqualTo(appended.get(i).storeTimestamp());
            }
        }
        for (int i = 0; i < 20; i++) {
            assertThat(result(store().lookup().byId(appended.get(i).messageId()))).as("by id %d", i).isPresent();
        }
        assertThat(result(store().lookup().byKey(topic, "key-7", 10))).extracting(StoredMessage::messageId)
                .containsExactly(appended.get(7).messageId());
        assertThat(result(store().lookup().offsetForTime(topic, 1, appended.get(1).storeTimestamp()))).isZero();
    }

    @Test
    default void appendsAfterReopenContinueTheQueueWithNewIds() {
        assumeTrue(fixture().survivesReopen(), "the store keeps nothing across a reopen");
        String topic = fixture().newTopic(1);
        Set<MessageId> ids = new HashSet<>();
        for (int i = 0; i < 5; i++) ids.add(fixture().append(topic, 0, rich(i)).messageId());

        fixture().reopen();
        AppendResult next = fixture().append(topic, 0, rich(5));

        assertThat(next.queueOffset()).isEqualTo(5);
        assertThat(ids).doesNotContain(next.messageId());
        assertThat(fixture().readAll(topic, 0, 0, 100, null)).hasSize(6);
    }

    @Test
    default void offsetsAndMetadataSurviveReopen() {
        assumeTrue(fixture().survivesReopen(), "the store keeps nothing across a reopen");
        String topic = fixture().newTopic(2);
        result(store().offsets().commit("g", topic, 1, 17));
        result(store().offsets().commit("gone", topic, 0, 1));
        result(store().offsets().deleteGroup("gone"));
        result(store().metadata().put(new byte[] {1}, new byte[] {10}, Durability.SYNC));
        result(store().metadata().put(new byte[] {2}, new byte[] {20}, Durability.ASYNC));
        result(store().metadata().write(List.of(Op.put(new byte[] {3}, new byte[] {30}), Op.delete(new byte[] {2})), Durability.SYNC));

        fixture().reopen();

        assertThat(result(store().offsets().list("g"))).containsExactly(new GroupOffset("g", topic, 1, 17));
        assertThat(result(store().offsets().groups())).containsExactly("g");
        assertThat(result(store().metadata().scan(new byte[0], new byte[] {(byte) 0xFF}, 10)))
                .extracting(e -> e.key()[0] * 100 + e.value()[0]).containsExactly(110, 330);
    }

    @Test
    default void deletedTopicStaysDeletedWithItsMessagesAndOffsets() {
        assumeTrue(fixture().survivesReopen(), "the store keeps nothing across a reopen");
        TopicInfo first = fixture().create("phoenix", 1);
        MessageId oldId = fixture().append("phoenix", 0, rich(1)).messageId();
        result(store().offsets().commit("g", "phoenix", 0, 1));
        result(store().topics().delete("phoenix"));
        TopicInfo second = fixture().create("phoenix", 1);

        fixture().reopen();

        assertThat(result(store().topics().describe("phoenix"))).contains(second);
        assertThat(second.topicId()).isNotEqualTo(first.topicId());
        assertThat(result(store().log().range("phoenix", 0)).count()).isZero();
        assertThat(result(store().lookup().byId(oldId))).isEmpty();
        assertThat(result(store().lookup().byKey("phoenix", "key-1", 10))).isEmpty();
        assertThat(result(store().offsets().groups())).isEmpty();
    }
}
