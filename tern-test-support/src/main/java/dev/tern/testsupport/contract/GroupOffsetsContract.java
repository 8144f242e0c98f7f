package dev.tern.testsupport.contract;

import dev.tern.common.error.ErrorCode;
import dev.tern.store.api.GroupOffset;
import org.junit.jupiter.api.Test;

import java.util.OptionalLong;

import static dev.tern.testsupport.Await.result;
import static dev.tern.testsupport.StoreAssertions.assertFails;
import static dev.tern.testsupport.TestMessages.text;
import static org.assertj.core.api.Assertions.assertThat;

/** {@link dev.tern.store.api.GroupOffsets}: commit, fetch, list, groups, delete, and topics going away. */
public interface GroupOffsetsContract extends StoreContract {

    @Test
    default void committedOffsetIsFetchedAndOverwritten() {
        String topic = fixture().newTopic(2);

        assertThat(result(store().offsets().fetch("g", topic, 0))).isEmpty();
        result(store().offsets().commit("g", topic, 0, 42));
        assertThat(result(store().offsets().fetch("g", topic, 0))).isEqualTo(OptionalLong.of(42));
        assertThat(result(store().offsets().fetch("g", topic, 1))).as("other queue").isEmpty();
        assertThat(result(store().offsets().fetch("h", topic, 0))).as("other group").isEmpty();

        result(store().offsets().commit("g", topic, 0, 7));
        assertThat(result(store().offsets().fetch("g", topic, 0))).as("a commit may move back").isEqualTo(OptionalLong.of(7));
        result(store().offsets().commit("g", topic, 0, 0));
        assertThat(result(store().offsets().fetch("g", topic, 0))).isEqualTo(OptionalLong.of(0));
    }

    @Test
    default void listIsSortedByTopicAndQueue() {
        String b = "b-topic", a = "a-topic";
        fixture().create(b, 12);
        fixture().create(a, 3);
        result(store().offsets().commit("g", b, 10, 5));
        result(store().offsets().commit("g", b, 2, 6));
        result(store().offsets().commit("g", a, 1, 7));
        result(store().offsets().commit("g", b, 9, 8));
        result(store().offsets().commit("other", a, 0, 9));

        assertThat(result(store().offsets().list("g"))).containsExactly(
                new GroupOffset("g", a, 1, 7), new GroupOffset("g", b, 2, 6),
                new GroupOffset("g", b, 9, 8), new GroupOffset("g", b, 10, 5));
        assertThat(result(store().offsets().list("nobody"))).isEmpty();
    }

    @Test
    default void groupsAreSortedAndDeleteGroupForgetsOne() {
        String topic = fixture().newTopic(2);
        assertThat(result(store().offsets().groups())).isEmpty();
        for (String g : new String[] {"zeta", "alpha", "Mid", "alpha"}) result(store().offsets().commit(g, topic, 1, 1));
        result(store().offsets().commit("alpha", topic, 0, 3));

        assertThat(result(store().offsets().groups())).containsExactly("Mid", "alpha", "zeta");

        result(store().offsets().deleteGroup("alpha"));
        assertThat(result(store().offsets().groups())).containsExactly("Mid", "zeta");
        assertThat(result(store().offsets().list("alpha"))).isEmpty();
        assertThat(result(store().offsets().fetch("alpha", topic, 0))).isEmpty();
        assertThat(result(store().offsets().fetch("zeta", topic, 1))).isEqualTo(OptionalLong.of(1));
        result(store().offsets().deleteGroup("never-was"));
    }

    @Test
    default void commitRejectsMissingTopicQueueAndBadArguments() {
        String topic = fixture().newTopic(2);

        assertFails(ErrorCode.TOPIC_NOT_FOUND, () -> store().offsets().commit("g", "ghost", 0, 1));
        assertFails(ErrorCode.QUEUE_NOT_FOUND, () -> store().offsets().commit("g", topic, 2, 1));
        assertFails(ErrorCode.QUEUE_NOT_FOUND, () -> store().offsets().commit("g", topic, -1, 1));
        assertFails(ErrorCode.INVALID_ARGUMENT, () -> store().offsets().commit("bad group", topic, 0, 1));
        assertFails(ErrorCode.INVALID_ARGUMENT, () -> store().offsets().commit("", topic, 0, 1));
        assertFails(ErrorCode.INVALID_ARGUMENT, () -> store().offsets().commit(null, topic, 0, 1));
        assertFails(ErrorCode.INVALID_ARGUMENT, () -> store().offsets().commit("..", topic, 0, 1));
        assertFails(ErrorCode.INVALID_ARGUMENT, () -> store().offsets().commit("x".repeat(128), topic, 0, 1));
        assertFails(ErrorCode.INVALID_ARGUMENT, () -> store().offsets().commit("g", topic, 0, -1));
        assertFails(ErrorCode.INVALID_ARGUMENT, () -> store().offsets().commit("g", topic, 0, Long.MIN_VALUE));
        assertThat(result(store().offsets().groups())).isEmpty();
    }

    @Test
    default void fetchOfAnUnknownGroupTopicOrQueueIsEmpty() {
        String topic = fixture().newTopic(2);
        result(store().offsets().commit("g", topic, 0, 4));

        assertThat(result(store().offsets().fetch("nobody", topic, 0))).as("unknown group").isEmpty();
        assertThat(result(store().offsets().fetch("g", "ghost", 0))).as("unknown topic").isEmpty();
        assertThat(result(store().offsets().fetch("g", topic, 2))).as("queue the topic does not have").isEmpty();
        assertThat(result(store().offsets().fetch("g", topic, -1))).as("negative queue").isEmpty();
        assertThat(result(store().offsets().fetch("g", topic, 0))).isEqualTo(OptionalLong.of(4));
    }

    @Test
    default void aCommitPastTheQueuesEndIsAccepted() {
        String topic = fixture().newTopic(1);
        fixture().append(topic, 0, text("a"));

        result(store().offsets().commit("g", topic, 0, 1_000_000));
        assertThat(result(store().offsets().fetch("g", topic, 0))).isEqualTo(OptionalLong.of(1_000_000));
        result(store().offsets().commit("g", topic, 0, Long.MAX_VALUE));
        assertThat(result(store().offsets().fetch("g", topic, 0))).isEqualTo(OptionalLong.of(Long.MAX_VALUE));
    }

    @Test
    default void deletingATopicDeletesItsOffsets() {
        String doomed = fixture().newTopic(2);
        String kept = fixture().newTopic(2);
        result(store().offsets().commit("both", doomed, 0, 3));
        result(store().offsets().commit("both", kept, 1, 4));
        result(store().offsets().commit("only-doomed", doomed, 1, 5));

        result(store().topics().delete(doomed));

        assertThat(result(store().offsets().list("both"))).containsExactly(new GroupOffset("both", kept, 1, 4));
        assertThat(result(store().offsets().list("only-doomed"))).isEmpty();
        assertThat(result(store().offsets().groups())).containsExactly("both");
        fixture().create(doomed, 2);
        assertThat(result(store().offsets().fetch("both", doomed, 0))).as("re-created topic starts clean").isEmpty();
        assertThat(result(store().offsets().fetch("only-doomed", doomed, 1))).isEmpty();
    }
}
