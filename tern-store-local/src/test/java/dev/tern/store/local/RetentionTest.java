package dev.tern.store.local;

import dev.tern.common.message.Message;
import dev.tern.store.api.AppendResult;
import dev.tern.store.api.Durability;
import dev.tern.store.api.ReadRequest;
import dev.tern.store.api.ReadResult;
import dev.tern.store.api.TopicSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static dev.tern.store.local.StoreFixture.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@Timeout(60)
class RetentionTest {
    @TempDir
    Path dir;

    private static long segmentFiles(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir.resolve("log"))) {
            return s.count();
        }
    }

    @Test
    void theLogIsKeptUnderItsSizeLimitAndReadsOfRemovedOffsetsSaySo() throws Exception {
        LocalStoreConfig cfg = LocalStoreConfig.defaults(dir).withSegmentBytes(64 * 1024).withMaxMessageBytes(16 * 1024)
                .withQueueEntriesPerFile(32).withRetention(-1, 256 * 1024).withRetentionCheckMs(20);
        try (LocalStore s = LocalStore.open(cfg)) {
            s.topics().create(new TopicSpec("t", 2)).join();
            AppendResult first = null;
            for (int i = 0; i < 2000; i++) {
                Message m = Message.builder(("m" + i + "-" + "x".repeat(500)).getBytes()).keys("key").build();
                AppendResult r = s.log().append("t", i % 2, List.of(m), Durability.ASYNC).join().get(0);
                if (i == 0) first = r;
            }
            await().until(() -> s.log.segments().size() <= 5);
            // the files themselves go once reads under way have had their grace period
            await().atMost(java.time.Duration.ofSeconds(30)).until(() -> segmentFiles(dir) <= 5);
            assertThat(s.log.totalBytes()).isLessThanOrEqualTo(256 * 1024 + 64 * 1024);

            long min = s.log().range("t", 0).join().minOffset();
            assertThat(min).isPositive();
            try (ReadResult r = s.log().read(new ReadRequest("t", 0, 0, 10)).join()) {
                assertThat(r.status()).isEqualTo(ReadResult.Status.OFFSET_TOO_SMALL);
                assertThat(r.nextOffset()).isEqualTo(min);
            }
            assertThat(readAll(s, "t", 0)).hasSize((int) (1000 - min)).last().extracting(m -> m.bodyAsString()).asString().startsWith("m1998-");
            assertThat(s.lookup().byId(first.messageId()).join()).isEmpty();
            assertThat(s.lookup().byKey("t", "key", 5000).join()).hasSizeLessThan(2000).allSatisfy(m -> assertThat(m.queueOffset()).isGreaterThanOrEqualTo(0));
            assertThat(s.lookup().offsetForTime("t", 0, 0).join()).isEqualTo(min);
            long kept = 0;
            for (int q = 0; q < 2; q++) {
                try (ReadResult r = s.log().read(new ReadRequest("t", q, s.log().range("t", q).join().minOffset(), 5000, Integer.MAX_VALUE, null)).join()) {
                    for (var rec : r.records()) kept += rec.size();
                }
            }
            assertThat(s.log().storedBytes("t").join()).as("bytes of the kept records only").isEqualTo(kept);
        }
        try (LocalStore s = LocalStore.open(cfg)) {
            long min = s.log().range("t", 0).join().minOffset();
            assertThat(min).isPositive();
            assertThat(readAll(s, "t", 0)).hasSize((int) (1000 - min));
            assertThat(s.log().range("t", 0).join().nextOffset()).isEqualTo(1000);
        }
    }

    @Test
    void segmentsOlderThanTheAgeLimitAreDeleted() throws Exception {
        MutableClock clock = new MutableClock();
        LocalStoreConfig cfg = LocalStoreConfig.defaults(dir).withSegmentBytes(64 * 1024).withMaxMessageBytes(16 * 1024)
                .withRetention(3_600_000, -1).withRetentionCheckMs(20).withClock(clock);
        try (LocalStore s = LocalStore.open(cfg)) {
            s.topics().create(new TopicSpec("t", 1)).join();
            for (int i = 0; i < 300; i++) append(s, "t", 0, "old" + i + "x".repeat(600), Durability.ASYNC);
            long before = segmentFiles(dir);
            assertThat(before).isGreaterThan(2);
            Thread.sleep(100);
            assertThat(segmentFiles(dir)).isEqualTo(before); // nothing is old yet

            clock.advance(2 * 3_600_000);
            append(s, "t", 0, "new", Durability.ASYNC);
            await().until(() -> s.log.segments().size() == 1);
            List<String> left = bodies(readAll(s, "t", 0));
            assertThat(left).last().isEqualTo("new");
            assertThat(left.size()).isLessThan(301);
        }
    }

    @Test
    void retentionRacingTheFlusherNeverFailsAppends() {
        // retention deleting the segment the flusher is forcing must not look like a failed fsync
        LocalStoreConfig cfg = LocalStoreConfig.defaults(dir).withSegmentBytes(128 * 1024).withMaxMessageBytes(16 * 1024)
                .withFlushIntervalMs(1).withRetention(-1, 512 * 1024).withRetentionCheckMs(10);
        try (LocalStore s = LocalStore.open(cfg)) {
            s.topics().create(new TopicSpec("t", 4)).join();
            byte[] body = new byte[1024];
            for (int i = 0; i < 30_000; i++) {
                s.log().append("t", i % 4, List.of(Message.builder(body).build()), Durability.ASYNC).join();
            }
            assertThat(s.health.writeFailure()).isNull();
            append(s, "t", 0, "last", Durability.SYNC);
        }
    }
}
