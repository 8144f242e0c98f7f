package dev.tern.testsupport.contract;

import dev.tern.common.codec.RecordCodec;
import dev.tern.common.error.ErrorCode;
import dev.tern.common.message.Message;
import dev.tern.store.api.AppendResult;
import dev.tern.store.api.QueueRange;
import dev.tern.store.api.ReadRequest;
import dev.tern.store.api.ReadResult;
import dev.tern.store.api.StoredRecord;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ReadOnlyBufferException;
import java.util.List;
import java.util.function.IntPredicate;
import java.util.stream.IntStream;
import java.util.zip.CRC32C;

import static dev.tern.testsupport.Await.result;
import static dev.tern.testsupport.StoreAssertions.assertFails;
import static dev.tern.testsupport.TestMessages.sized;
import static dev.tern.testsupport.TestMessages.tagged;
import static dev.tern.testsupport.TestMessages.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link dev.tern.store.api.MessageLog#read} and {@code range}: statuses, bounds, tag filters, record fields. */
public interface ReadContract extends StoreContract {

    @Test
    default void storedBytesSumTheRecordsOfEveryQueue() {
        String topic = fixture().newTopic(3);
        assertThat(result(store().log().storedBytes(topic))).isZero();
        for (int i = 0; i < 30; i++) fixture().append(topic, i % 3, sized(100 + i * 7));
        long expected = 0;
        for (int q = 0; q < 3; q++) {
            for (StoredRecord r : fixture().readAll(topic, q, 0, 7, null)) expected += r.size();
        }
        assertThat(expected).isGreaterThan(30 * 100);
        assertThat(result(store().log().storedBytes(topic))).isEqualTo(expected);
        assertFails(ErrorCode.TOPIC_NOT_FOUND, () -> store().log().storedBytes("no-such-topic"));
        if (fixture().survivesReopen()) {
            fixture().reopen();
            assertThat(result(store().log().storedBytes(topic))).as("after a reopen").isEqualTo(expected);
            fixture().append(topic, 1, sized(50));
            assertThat(result(store().log().storedBytes(topic))).isGreaterThan(expected + 50);
        }
    }

    @Test
    default void readStatusesFollowTheQueueRange() {
        String topic = fixture().newTopic(1);
        try (ReadResult empty = fixture().read(new ReadRequest(topic, 0, 0, 10))) {
            assertThat(empty.status()).isEqualTo(ReadResult.Status.NO_MESSAGES);
            assertThat(empty.records()).isEmpty();
            assertThat(empty.nextOffset()).isZero();
            assertThat(empty.range()).isEqualTo(new QueueRange(0, 0));
        }
        fixture().appendBatch(topic, 0, List.of(text("a"), text("b"), text("c")));

        assertThat(result(store().log().range(topic, 0))).isEqualTo(new QueueRange(0, 3));
        try (ReadResult found = fixture().read(new ReadRequest(topic, 0, 1, 10))) {
            assertThat(found.status()).isEqualTo(ReadResult.Status.FOUND);
            assertThat(found.records()).extracting(StoredRecord::queueOffset).containsExactly(1L, 2L);
            assertThat(found.records()).extracting(r -> r.message().bodyAsString()).containsExactly("b", "c");
            assertThat(found.nextOffset()).isEqualTo(3);
            assertThat(found.range()).isEqualTo(new QueueRange(0, 3));
        }
        try (ReadResult atEnd = fixture().read(new ReadRequest(topic, 0, 3, 10))) {
            assertThat(atEnd.status()).isEqualTo(ReadResult.Status.NO_MESSAGES);
            assertThat(atEnd.records()).isEmpty();
            assertThat(atEnd.nextOffset()).isEqualTo(3);
        }
        try (ReadResult past = fixture().read(new ReadRequest(topic, 0, 4, 10))) {
            assertThat(past.status()).isEqualTo(ReadResult.Status.OFFSET_TOO_BIG);
            assertThat(past.records()).isEmpty();
            assertThat(past.nextOffset()).as("the queue's next offset").isEqualTo(3);
            assertThat(past.range()).isEqualTo(new QueueRange(0, 3));
        }
        try (ReadResult farPast = fixture().read(new ReadRequest(topic, 0, Long.MAX_VALUE, 10))) {
            assertThat(farPast.status()).isEqualTo(ReadResult.Status.OFFSET_TOO_BIG);
            assertThat(farPast.nextOffset()).isEqualTo(3);
        }
    }

    @Test
    default void negativeOffsetIsTooSmallAndPointsAtTheMinOffset() {
        String topic = fixture().newTopic(2);
        fixture().appendBatch(topic, 0, List.of(text("a"), text("b")));

        for (int queue = 0; queue < 2; queue++) {
            QueueRange range = result(store().log().range(topic, queue));
            for (long offset : new long[] {-1, -2, Long.MIN_VALUE}) {
                try (ReadResult r = fixture().read(new ReadRequest(topic, queue, offset, 10))) {
                    assertThat(r.status()).as("read at %d", offset).isEqualTo(ReadResult.Status.OFFSET_TOO_SMALL);
                    assertThat(r.records()).isEmpty();
                    assertThat(r.nextOffset()).as("the queue's min offset").isEqualTo(range.minOffset());
                    assertThat(r.range()).isEqualTo(range);
                }
            }
        }
    }

    @Test
    default void readBoundsBelowOneAreInvalid() {
        String topic = fixture().newTopic(1);
        fixture().append(topic, 0, text("a"));

        for (int bad : new int[] {0, -1, Integer.MIN_VALUE}) {
            assertFails(ErrorCode.INVALID_ARGUMENT, () -> store().log().read(new ReadRequest(topic, 0, 0, bad)));
            assertFails(ErrorCode.INVALID_ARGUMENT, () -> store().log().read(new ReadRequest(topic, 0, 0, 10).withMaxBytes(bad)));
            assertFails(ErrorCode.INVALID_ARGUMENT,
                    () -> store().log().read(new ReadRequest(topic, 0, 0, 10).withMaxBytes(bad).withTagFilter(h -> true)));
        }
        try (ReadResult r = fixture().read(new ReadRequest(topic, 0, 0, 1).withMaxBytes(1))) {
            assertThat(r.status()).as("1 and 1 are the smallest valid bounds").isEqualTo(ReadResult.Status.FOUND);
        }
    }

    @Test
    default void maxMessagesBoundsARead() {
        String topic = fixture().newTopic(1);
        fixture().appendBatch(topic, 0, IntStream.range(0, 10).mapToObj(i -> text("m" + i)).toList());

        try (ReadResult r = fixture().read(new ReadRequest(topic, 0, 2, 3))) {
            assertThat(r.records()).extracting(StoredRecord::queueOffset).containsExactly(2L, 3L, 4L);
            assertThat(r.nextOffset()).isEqualTo(5);
        }
        try (ReadResult r = fixture().read(new ReadRequest(topic, 0, 0, 1))) {
            assertThat(r.records()).extracting(StoredRecord::queueOffset).containsExactly(0L);
            assertThat(r.nextOffset()).isEqualTo(1);
        }
    }

    @Test
    default void maxBytesBoundsAReadButTheFirstRecordIsAlwaysReturned() {
        String topic = fixture().newTopic(1);
        fixture().appendBatch(topic, 0, IntStream.range(0, 10).mapToObj(i -> sized(1000)).toList());
        int size = fixture().readAll(topic, 0, 0, 1, null).getFirst().size();

        try (ReadResult r = fixture().read(new ReadRequest(topic, 0, 0, 100).withMaxBytes(size * 2 + size / 2))) {
            assertThat(r.status()).isEqualTo(ReadResult.Status.FOUND);
            assertThat(r.records()).hasSizeBetween(1, 2);
            assertThat(r.records().stream().mapToInt(StoredRecord::size).sum()).isLessThanOrEqualTo(size * 2 + size / 2);
            assertThat(r.nextOffset()).isEqualTo(r.records().size());
        }
        try (ReadResult r = fixture().read(new ReadRequest(topic, 0, 5, 100).withMaxBytes(1))) {
            assertThat(r.status()).isEqualTo(ReadResult.Status.FOUND);
            assertThat(r.records()).extracting(StoredRecord::queueOffset).containsExactly(5L);
            assertThat(r.nextOffset()).isEqualTo(6);
        }
    }

    @Test
    default void tagFilterReturnsOnlyMatchingRecordsAndSkipsTheRest() {
        String topic = fixture().newTopic(1);
        List<Message> batch = IntStream.range(0, 30)
                .mapToObj(i -> i % 3 == 0 ? tagged("a" + i, "A") : i % 3 == 1 ? tagged("b" + i, "B") : text("none" + i)).toList();
        fixture().appendBatch(topic, 0, batch);
        int hashA = RecordCodec.tagHash("A");
        IntPredicate onlyA = h -> h == hashA;

        List<StoredRecord> matched = fixture().readAll(topic, 0, 0, 100, onlyA);
        assertThat(matched).extracting(StoredRecord::queueOffset)
                .containsExactlyElementsOf(IntStream.range(0, 10).mapToObj(i -> 3L * i).toList());
        assertThat(matched).allSatisfy(r -> {
            assertThat(r.tagHash()).isEqualTo(hashA);
            assertThat(r.message().tag()).isEqualTo("A");
        });
        assertThat(fixture().readAll(topic, 0, 0, 100, h -> h == 0)).extracting(r -> r.message().bodyAsString())
                .allMatch(body -> body.startsWith("none")).hasSize(10);

        try (ReadResult r = firstFound(topic, 1, 2, onlyA)) {
            assertThat(r.records()).extracting(StoredRecord::queueOffset).containsExactly(3L, 6L);
            assertThat(r.nextOffset()).isBetween(7L, 9L);
        }
    }

    @Test
    default void tagFilterThatSkipsEverythingAdvancesTheOffset() {
        String topic = fixture().newTopic(1);
        fixture().appendBatch(topic, 0, IntStream.range(0, 20).mapToObj(i -> tagged("b" + i, "B")).toList());

        try (ReadResult r = fixture().read(new ReadRequest(topic, 0, 0, 10).withTagFilter(h -> false))) {
            assertThat(r.status()).isEqualTo(ReadResult.Status.NO_MESSAGES);
            assertThat(r.records()).isEmpty();
            assertThat(r.nextOffset()).isGreaterThan(0).isLessThanOrEqualTo(20);
        }
        assertThat(fixture().readAll(topic, 0, 0, 10, h -> false)).isEmpty();
    }

    @Test
    default void storedRecordsCarryTheirIndexFieldsAndValidReadOnlyBytes() {
        String topic = fixture().newTopic(1);
        List<AppendResult> appended = fixture().appendBatch(topic, 0, List.of(tagged("x", "red"), text("y")));

        try (ReadResult r = fixture().read(new ReadRequest(topic, 0, 0, 10))) {
            assertThat(r.records()).hasSize(2);
            for (int i = 0; i < 2; i++) {
                StoredRecord rec = r.records().get(i);
                ByteBuffer buf = rec.buffer();
                assertThat(rec.queueOffset()).isEqualTo(appended.get(i).queueOffset());
                assertThat(rec.storeTimestamp()).isEqualTo(appended.get(i).storeTimestamp());
                assertThat(buf.isReadOnly()).as("buffer is read-only").isTrue();
                assertThat(buf.position()).isZero();
                assertThat(rec.size()).isEqualTo(RecordCodec.size(buf, 0)).isEqualTo(buf.limit());
                assertThat(RecordCodec.check(buf, 0, buf.limit(), new CRC32C())).isEqualTo(RecordCodec.Check.VALID);
                assertThat(RecordCodec.queueOffset(buf, 0)).isEqualTo(rec.queueOffset());
                assertThat(RecordCodec.messageId(buf, 0)).isEqualTo(appended.get(i).messageId());
                assertThatThrownBy(() -> buf.put(0, (byte) 1)).isInstanceOf(ReadOnlyBufferException.class);
                ByteBuffer view = buf.duplicate();
                view.position(view.limit());
                assertThat(rec.size()).as("reading through a duplicate moves nothing").isEqualTo(buf.limit());
                assertThat(buf.position()).isZero();
                assertThat(rec.message().messageId()).isEqualTo(appended.get(i).messageId());
            }
            assertThat(r.records().get(0).tagHash()).isEqualTo(RecordCodec.tagHash("red"));
            assertThat(r.records().get(1).tagHash()).isZero();
        }
        assertThat(fixture().readAll(topic, 0, 0, 10, null).getFirst().message().bodyAsString())
                .as("a write attempt changed nothing").isEqualTo("x");
    }

    @Test
    default void readAndRangeOfMissingTopicOrQueueFail() {
        String topic = fixture().newTopic(2);

        assertFails(ErrorCode.TOPIC_NOT_FOUND, () -> store().log().read(new ReadRequest("ghost", 0, 0, 1)));
        assertFails(ErrorCode.TOPIC_NOT_FOUND, () -> store().log().range("ghost", 0));
        assertFails(ErrorCode.QUEUE_NOT_FOUND, () -> store().log().read(new ReadRequest(topic, 2, 0, 1)));
        assertFails(ErrorCode.QUEUE_NOT_FOUND, () -> store().log().read(new ReadRequest(topic, -1, 0, 1)));
        assertFails(ErrorCode.QUEUE_NOT_FOUND, () -> store().log().range(topic, 2));
    }

    @Test
    default void closingAReadResultTwiceIsHarmless() {
        String topic = fixture().newTopic(1);
        fixture().append(topic, 0, text("a"));

        ReadResult r = fixture().read(new ReadRequest(topic, 0, 0, 1));
        r.close();
        r.close();
    }

    /** Reads with a filter from {@code offset} until a read finds something (a store may skip in steps). */
    private ReadResult firstFound(String topic, long offset, int max, IntPredicate filter) {
        for (long next = offset; ; ) {
            ReadResult r = fixture().read(new ReadRequest(topic, 0, next, max).withTagFilter(filter));
            if (r.status() == ReadResult.Status.FOUND) return r;
            assertThat(r.status()).isEqualTo(ReadResult.Status.NO_MESSAGES);
            assertThat(r.nextOffset()).isGreaterThan(next);
            next = r.nextOffset();
            r.close();
        }
    }
}
