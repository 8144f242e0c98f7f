package dev.tern.testsupport.contract;

import dev.tern.common.error.ErrorCode;
import dev.tern.common.message.MessageId;
import dev.tern.store.api.Durability;
import dev.tern.store.api.QueueRange;
import dev.tern.store.api.ReadRequest;
import dev.tern.store.api.ReadResult;
import dev.tern.store.api.TopicInfo;
import dev.tern.store.api.TopicSpec;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.tern.testsupport.Await.result;
import static dev.tern.testsupport.StoreAssertions.assertFails;
import static dev.tern.testsupport.TestMessages.keyed;
import static dev.tern.testsupport.TestMessages.text;
import static org.assertj.core.api.Assertions.assertThat;

/** {@link dev.tern.store.api.TopicCatalog}: create, describe, list, delete, and what they reject. */
public interface TopicCatalogContract extends StoreContract {

    @Test
    default void createdTopicIsDescribedWithItsQueuesAndConfig() {
        Map<String, String> config = Map.of("retention.ms", "3600000", "note", "ünïcødé");
        TopicInfo created = result(store().topics().create(new TopicSpec("orders", 8, config)));

        assertThat(created.name()).isEqualTo("orders");
        assertThat(created.queues()).isEqualTo(8);
        assertThat(created.config()).isEqualTo(config);
        assertThat(result(store().topics().describe("orders"))).contains(created);
    }

    @Test
    default void describeOfUnknownTopicIsEmpty() {
        assertThat(result(store().topics().describe("nope"))).isEmpty();
    }

    @Test
    default void listIsSortedByName() {
        assertThat(result(store().topics().list())).isEmpty();
        for (String name : List.of("b", "a", "c-1", "C", "a.b", "%RETRY%g")) fixture().create(name, 1);

        assertThat(result(store().topics().list())).extracting(TopicInfo::name)
                .containsExactly("%RETRY%g", "C", "a", "a.b", "b", "c-1");
    }

    @Test
    default void creatingAnExistingTopicFailsWithTopicExists() {
        fixture().create("dup", 2);

        assertFails(ErrorCode.TOPIC_EXISTS, () -> store().topics().create(new TopicSpec("dup", 2)));
        assertFails(ErrorCode.TOPIC_EXISTS, () -> store().topics().create(new TopicSpec("dup", 5)));
        assertThat(result(store().topics().describe("dup"))).get().extracting(TopicInfo::queues).isEqualTo(2);
    }

    @Test
    default void invalidTopicNamesAreRejected() {
        for (String bad : new String[] {"", ".", "..", "...", "....", "a/b", "a b", "tab\t", "x".repeat(128), "naïve", "a:b"}) {
            assertFails(ErrorCode.INVALID_ARGUMENT, () -> store().topics().create(new TopicSpec(bad, 1)));
        }
        assertFails(ErrorCode.INVALID_ARGUMENT, () -> store().topics().create(new TopicSpec(null, 1)));
        assertThat(result(store().topics().list())).isEmpty();

        for (String good : new String[] {"x".repeat(127), "a.b_c-d", "%DLQ%group", "..a", "a..", "0"}) {
            assertThat(fixture().create(good, 1).name()).isEqualTo(good);
        }
    }

    @Test
    default void queueCountMustBeOneTo1024() {
        for (int bad : new int[] {0, -1, TopicSpec.MAX_QUEUES + 1, Integer.MIN_VALUE}) {
            assertFails(ErrorCode.INVALID_ARGUMENT, () -> store().topics().create(new TopicSpec("q" + (bad & 0xffff), bad)));
        }
        assertThat(result(store().topics().list())).isEmpty();
        assertThat(fixture().create("one", 1).queues()).isEqualTo(1);
        assertThat(fixture().create("max", TopicSpec.MAX_QUEUES).queues()).isEqualTo(TopicSpec.MAX_QUEUES);
        fixture().append("max", TopicSpec.MAX_QUEUES - 1, text("last queue"));
    }

    @Test
    default void deletedTopicIsGoneEverywhere() {
        String topic = fixture().newTopic(2);
        String other = fixture().newTopic(1);
        fixture().append(topic, 0, text("m"));

        result(store().topics().delete(topic));

        assertThat(result(store().topics().describe(topic))).isEmpty();
        assertThat(result(store().topics().list())).extracting(TopicInfo::name).containsExactly(other);
        assertFails(ErrorCode.TOPIC_NOT_FOUND, () -> store().log().append(topic, 0, List.of(text("x")), Durability.ASYNC));
        assertFails(ErrorCode.TOPIC_NOT_FOUND, () -> store().log().read(new ReadRequest(topic, 0, 0, 10)));
        assertFails(ErrorCode.TOPIC_NOT_FOUND, () -> store().log().range(topic, 0));
        assertFails(ErrorCode.TOPIC_NOT_FOUND, () -> store().topics().delete(topic));
    }

    @Test
    default void deletingAnUnknownTopicFailsWithTopicNotFound() {
        assertFails(ErrorCode.TOPIC_NOT_FOUND, () -> store().topics().delete("never-created"));
    }

    @Test
    default void recreatedTopicHasANewIdAndNothingOfTheOldOne() {
        TopicInfo first = fixture().create("phoenix", 2);
        MessageId oldId = fixture().append("phoenix", 1, keyed("old", "k")).messageId();
        fixture().append("phoenix", 1, keyed("old too", "k"));

        result(store().topics().delete("phoenix"));
        TopicInfo second = fixture().create("phoenix", 2);

        assertThat(second.topicId()).isNotEqualTo(first.topicId());
        QueueRange range = result(store().log().range("phoenix", 1));
        assertThat(range.count()).isZero();
        try (ReadResult r = fixture().read(new ReadRequest("phoenix", 1, range.nextOffset(), 10))) {
            assertThat(r.status()).isEqualTo(ReadResult.Status.NO_MESSAGES);
            assertThat(r.records()).isEmpty();
        }
        assertThat(result(store().lookup().byId(oldId))).isEmpty();
        assertThat(result(store().lookup().byKey("phoenix", "k", 10))).isEmpty();

        fixture().append("phoenix", 1, keyed("new", "k"));
        assertThat(result(store().lookup().byKey("phoenix", "k", 10))).singleElement()
                .satisfies(m -> assertThat(m.bodyAsString()).isEqualTo("new"));
        assertThat(fixture().readAll("phoenix", 1, result(store().log().range("phoenix", 1)).minOffset(), 10, null))
                .singleElement().satisfies(r -> assertThat(r.message().bodyAsString()).isEqualTo("new"));
    }
}
