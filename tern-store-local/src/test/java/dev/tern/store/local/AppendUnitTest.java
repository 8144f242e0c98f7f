package dev.tern.store.local;

import dev.tern.common.message.Message;
import dev.tern.store.api.AppendResult;
import dev.tern.store.api.Durability;
import dev.tern.store.api.StoredRecord;
import dev.tern.store.api.TopicSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.LongStream;

import static dev.tern.testsupport.Await.await;
import static dev.tern.testsupport.Await.result;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * How the appender cuts its work into units: a batch that fits a segment is never split between two
 * segments (it moves whole to the next one), so its messages become readable, and listeners are told,
 * together; a batch larger than a segment is still stored, in parts.
 */
@Timeout(60)
class AppendUnitTest {
    private static final int SEGMENT = 64 * 1024;

    @TempDir
    Path dir;

    private LocalStoreConfig config() {
        return LocalStoreConfig.defaults(dir).withSegmentBytes(SEGMENT).withMaxMessageBytes(16 * 1024);
    }

    private static List<Message> batch(int messages, int bodyBytes, int salt) {
        List<Message> batch = new ArrayList<>();
        for (int i = 0; i < messages; i++) batch.add(Message.builder(new byte[bodyBytes + salt % 97 + i]).build());
        return batch;
    }

    @Test
    void aBatchThatFitsASegmentIsNeverSplitBetweenTwo() {
        Queue<Long> told = new ConcurrentLinkedQueue<>();
        List<Long> ends = new ArrayList<>();
        try (LocalStore s = LocalStore.open(config())) {
            result(s.topics().create(new TopicSpec("t", 1)));
            s.log().addAppendListener((t, q, next) -> told.add(next));
            int segmentsSeen = 0;
            for (int b = 0; b < 60; b++) {
                List<AppendResult> rs = result(s.log().append("t", 0, batch(1 + b % 5, 3000, b), Durability.ASYNC));
                // a message id's low half is its log position; segments are SEGMENT bytes each, from 0
                long first = rs.getFirst().messageId().low() / SEGMENT, last = rs.getLast().messageId().low() / SEGMENT;
                assertThat(last).as("batch %d lies in one segment", b).isEqualTo(first);
                segmentsSeen = (int) Math.max(segmentsSeen, last + 1);
                ends.add(rs.getLast().queueOffset() + 1);
            }
            assertThat(segmentsSeen).as("the test crossed segment ends").isGreaterThanOrEqualTo(5);
            await().until(() -> told.contains(ends.getLast()));
            assertThat(told).as("told once per batch").containsExactlyElementsOf(ends);
        }
        try (LocalStore s = LocalStore.open(config())) {
            assertThat(s.recoveryReport().queuesRebuilt()).isFalse();
            assertThat(result(s.log().range("t", 0)).nextOffset()).isEqualTo(ends.getLast());
            assertThat(new dev.tern.testsupport.StoreFixture(d -> s, dir, true, () -> { })
                    .readAll("t", 0, 0, 7, null)).hasSize((int) (long) ends.getLast());
        }
    }

    @Test
    void aBatchLargerThanASegmentIsStoredInParts() {
        Queue<Long> told = new ConcurrentLinkedQueue<>();
        List<AppendResult> rs;
        try (LocalStore s = LocalStore.open(config())) {
            result(s.topics().create(new TopicSpec("t", 1)));
            s.log().addAppendListener((t, q, next) -> told.add(next));
            result(s.log().append("t", 0, batch(3, 100, 1), Durability.SYNC));
            rs = result(s.log().append("t", 0, batch(40, 10_000, 2), Durability.SYNC));

            assertThat(rs).extracting(AppendResult::queueOffset).containsExactlyElementsOf(
                    LongStream.range(3, 43).boxed().toList());
            assertThat(rs.getLast().messageId().low() / SEGMENT).as("spans several segments").isGreaterThanOrEqualTo(5);
            await().until(() -> told.contains(43L));
            assertThat(List.copyOf(told)).as("told in parts, in offset order, ending with the batch").isSorted().contains(3L).endsWith(43L);
            assertThat(told.size()).isGreaterThan(2);
        }
        try (LocalStore s = LocalStore.open(config())) {
            List<StoredRecord> all = new dev.tern.testsupport.StoreFixture(d -> s, dir, true, () -> { }).readAll("t", 0, 0, 10, null);
            assertThat(all).hasSize(43);
            for (int i = 0; i < 40; i++) {
                assertThat(all.get(3 + i).message().messageId()).isEqualTo(rs.get(i).messageId());
                assertThat(all.get(3 + i).message().body()).hasSize(10_000 + 2 + i);
            }
        }
    }
}
