package dev.tern.store.memory;

import dev.tern.common.error.ErrorCode;
import dev.tern.common.error.TernException;
import dev.tern.common.message.MessageId;
import dev.tern.store.api.AppendResult;
import dev.tern.store.api.Durability;
import dev.tern.store.api.MetadataStore;
import dev.tern.store.api.MetadataStore.Op;
import dev.tern.store.api.QueueRange;
import dev.tern.store.api.ReadRequest;
import dev.tern.store.api.ReadResult;
import dev.tern.store.api.TopicSpec;
import dev.tern.testsupport.ManualClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import static dev.tern.testsupport.Await.result;
import static dev.tern.testsupport.StoreAssertions.assertFails;
import static dev.tern.testsupport.TestMessages.keyed;
import static dev.tern.testsupport.TestMessages.sized;
import static dev.tern.testsupport.TestMessages.tagged;
import static dev.tern.testsupport.TestMessages.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What the memory store decides where the SPI leaves room, and its own configuration. */
@Timeout(60)
class MemoryStoreBehaviourTest {
    private final ManualClock clock = new ManualClock(1_000_000L);
    private MemoryStore store = new MemoryStore(clock);

    @AfterEach
    void close() {
        store.close();
    }

    private String topic(String name, int queues) {
        result(store.topics().create(new TopicSpec(name, queues)));
        return name;
    }

    private AppendResult append(String topic, String body) {
        return result(store.log().append(topic, 0, List.of(text(body)), Durability.ASYNC)).getFirst();
    }

    @Test
    void timestampsComeFromTheClockAndNeverStepBack() {
        String t = topic("t", 1);
        assertThat(append(t, "a").storeTimestamp()).isEqualTo(1_000_000L);
        clock.advance(5);
        assertThat(append(t, "b").storeTimestamp()).isEqualTo(1_000_005L);
        clock.set(999_000L);
        assertThat(append(t, "c").storeTimestamp()).as("a clock stepping back does not reorder the queue").isEqualTo(1_000_005L);
        assertThat(result(store.topics().describe(t)).orElseThrow().createdAt()).isEqualTo(1_000_000L);
    }

    @Test
    void messageIdsCarryTheStoreTimestampAndAStoreWideSequence() {
        String a = topic("a", 1), b = topic("b", 1);
        MessageId first = append(a, "1").messageId();
        MessageId second = append(b, "2").messageId();

        assertThat(first.high()).isEqualTo(1_000_000L);
        assertThat(second.low()).isEqualTo(first.low() + 1);
    }

    @Test
    void maxMessageBytesIsConfigurable() {
        store = new MemoryStore(clock, 200);
        String t = topic("t", 1);

        assertThat(store.log().maxMessageBytes()).isEqualTo(200);
        TernException e = assertFails(ErrorCode.MESSAGE_TOO_LARGE,
                () -> store.log().append(t, 0, List.of(sized(150)), Durability.ASYNC));
        assertThat(e.getMessage()).contains("200");
        append(t, "small");
        assertThat(new MemoryStore().log().maxMessageBytes()).isEqualTo(MemoryStore.DEFAULT_MAX_MESSAGE_BYTES);
    }

    @Test
    void aBatchWithOneMessageTooLargeStoresNothing() {
        store = new MemoryStore(clock, 200);
        String t = topic("t", 1);

        assertFails(ErrorCode.MESSAGE_TOO_LARGE, () -> store.log().append(t, 0, List.of(text("ok"), sized(500)), Durability.SYNC));
        assertThat(result(store.log().range(t, 0))).isEqualTo(new QueueRange(0, 0));
    }

    @Test
    void negativeOffsetIsTooSmall() {
        String t = topic("t", 1);
        append(t, "a");

        try (ReadResult r = result(store.log().read(new ReadRequest(t, 0, -1, 10)))) {
            assertThat(r.status()).isEqualTo(ReadResult.Status.OFFSET_TOO_SMALL);
            assertThat(r.nextOffset()).isZero();
        }
    }

    @Test
    void readRejectsNonPositiveBounds() {
        String t = topic("t", 1);

        assertFails(ErrorCode.INVALID_ARGUMENT, () -> store.log().read(new ReadRequest(t, 0, 0, 0)));
        assertFails(ErrorCode.INVALID_ARGUMENT, () -> store.log().read(new ReadRequest(t, 0, 0, 10).withMaxBytes(0)));
        assertFails(ErrorCode.INVALID_ARGUMENT, () -> store.log().read(null));
    }

    @Test
    void aFilteredReadScansABoundedNumberOfEntries() {
        String t = topic("t", 1);
        int n = MemoryQueue.MAX_SCAN + 10;
        for (int i = 0; i < n; i += 1000) {
            int size = Math.min(1000, n - i);
            result(store.log().append(t, 0, IntStream.range(0, size).mapToObj(j -> tagged("b", "B")).toList(), Durability.ASYNC));
        }

        try (ReadResult r = result(store.log().read(new ReadRequest(t, 0, 0, 10).withTagFilter(h -> false)))) {
            assertThat(r.status()).isEqualTo(ReadResult.Status.NO_MESSAGES);
            assertThat(r.nextOffset()).isEqualTo(MemoryQueue.MAX_SCAN);
        }
    }

    @Test
    void aListenerThatThrowsDoesNotFailTheAppendOrStopOtherListeners() {
        String t = topic("t", 1);
        List<Long> told = new ArrayList<>();
        store.log().addAppendListener((topic, queue, next) -> {
            throw new IllegalStateException("boom");
        });
        store.log().addAppendListener((topic, queue, next) -> told.add(next));

        assertThat(append(t, "a").queueOffset()).isZero();
        assertThat(told).containsExactly(1L);
    }

    @Test
    void listenersAreToldSynchronouslyBeforeTheAppendCompletes() {
        String t = topic("t", 1);
        List<Long> told = new ArrayList<>();
        store.log().addAppendListener((topic, queue, next) -> told.add(next));

        result(store.log().append(t, 0, List.of(text("a"), text("b")), Durability.ASYNC));
        assertThat(told).as("once per batch, with the next offset").containsExactly(2L);
    }

    @Test
    void addingAListenerToAClosedStoreFails() {
        store.close();

        assertThatThrownBy(() -> store.log().addAppendListener((topic, queue, next) -> { }))
                .isInstanceOfSatisfying(TernException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.STORE_CLOSED));
    }

    @Test
    void metadataKeysAndValuesAreCopied() {
        MetadataStore md = store.metadata();
        byte[] key = {1}, value = {2};
        result(md.put(key, value, Durability.ASYNC));
        key[0] = 9;
        value[0] = 9;

        byte[] got = result(md.get(new byte[] {1})).orElseThrow();
        assertThat(got).containsExactly(2);
        got[0] = 7;
        assertThat(result(md.get(new byte[] {1})).orElseThrow()).containsExactly(2);
    }

    @Test
    void metadataRejectsNullDurabilityAndAWriteWithoutOps() {
        MetadataStore md = store.metadata();

        assertFails(ErrorCode.INVALID_ARGUMENT, () -> md.put(new byte[] {1}, new byte[0], null));
        assertFails(ErrorCode.INVALID_ARGUMENT, () -> md.delete(new byte[] {1}, null));
        assertFails(ErrorCode.INVALID_ARGUMENT, () -> md.write(List.of(Op.put(new byte[] {1}, new byte[0])), null));
        assertFails(ErrorCode.INVALID_ARGUMENT, () -> md.write(null, Durability.ASYNC));
        assertThat(result(md.scan(null, null, 10))).isEmpty();
    }

    @Test
    void aBatchsOpsAreCopiedBeforeTheWriteReturns() {
        MetadataStore md = store.metadata();
        byte[] key = {5}, value = {2};
        List<Op> ops = new ArrayList<>(List.of(Op.delete(key), Op.put(key, value)));

        result(md.write(ops, Durability.SYNC));
        key[0] = 6;
        value[0] = 9;
        ops.clear();

        assertThat(result(md.get(new byte[] {5})).orElseThrow()).containsExactly(2);
        assertThat(result(md.get(new byte[] {6}))).isEmpty();
    }

    @Test
    void fetchFromAMissingTopicFindsNothing() {
        assertThat(result(store.offsets().fetch("g", "ghost", 0))).isEmpty();
    }

    @Test
    void byKeyWithLimitZeroIsEmptyAndNegativeIsRejected() {
        String t = topic("t", 1);
        result(store.log().append(t, 0, List.of(keyed("a", "k")), Durability.ASYNC));

        assertThat(result(store.lookup().byKey(t, "k", 0))).isEmpty();
        assertFails(ErrorCode.INVALID_ARGUMENT, () -> store.lookup().byKey(t, "k", -1));
    }

    @Test
    void nullArgumentsAreInvalidNotInternalErrors() {
        assertFails(ErrorCode.INVALID_ARGUMENT, () -> store.topics().create(null));
        assertFails(ErrorCode.INVALID_ARGUMENT, () -> store.topics().describe(null));
        String t = topic("t", 1);
        assertFails(ErrorCode.INVALID_ARGUMENT, () -> store.log().append(t, 0, null, Durability.ASYNC));
        assertFails(ErrorCode.INVALID_ARGUMENT, () -> store.log().append(t, 0, List.of(text("a")), null));
        assertFails(ErrorCode.INVALID_ARGUMENT, () -> store.lookup().byId(null));
        assertFails(ErrorCode.INVALID_ARGUMENT, () -> store.offsets().fetch(null, t, 0));
    }
}
