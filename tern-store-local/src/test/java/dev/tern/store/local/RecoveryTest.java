package dev.tern.store.local;

import dev.tern.common.error.ErrorCode;
import dev.tern.common.error.TernException;
import dev.tern.common.message.Message;
import dev.tern.store.api.AppendResult;
import dev.tern.store.api.Durability;
import dev.tern.store.api.ReadRequest;
import dev.tern.store.api.TopicSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.stream.Stream;

import static dev.tern.store.local.StoreFixture.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

@Timeout(60)
class RecoveryTest {
    @TempDir
    Path dir;

    private LocalStoreConfig config() {
        return LocalStoreConfig.defaults(dir).withSegmentBytes(128 * 1024).withMaxMessageBytes(16 * 1024).withQueueEntriesPerFile(64);
    }

    /** Fills two topics over several segments; returns the results of topic "a" queue 0. */
    private List<AppendResult> fill(LocalStore s) {
        s.topics().create(new TopicSpec("a", 3)).join();
        s.topics().create(new TopicSpec("b", 1)).join();
        List<AppendResult> a0 = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            Message m = Message.builder(("a" + i + "-" + "p".repeat(i % 300)).getBytes(StandardCharsets.UTF_8))
                    .keys("k" + (i % 7)).tag(i % 2 == 0 ? "even" : "odd").build();
            AppendResult r = s.log().append("a", i % 3, List.of(m), Durability.ASYNC).join().get(0);
            if (i % 3 == 0) a0.add(r);
            append(s, "b", 0, "b" + i, Durability.ASYNC);
        }
        return a0;
    }

    private void assertIntact(LocalStore s) {
        assertThat(bodies(readAll(s, "a", 0))).hasSize(200).startsWith("a0-").contains("a597-" + "p".repeat(597 % 300));
        assertThat(bodies(readAll(s, "a", 1))).hasSize(200);
        assertThat(bodies(readAll(s, "b", 0))).hasSize(600).startsWith("b0").endsWith("b599");
        assertThat(s.lookup().byKey("a", "k3", 1000).join()).hasSize(600 / 7 + (600 % 7 > 3 ? 1 : 0));
    }

    private static Path activeSegment(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir.resolve("log"))) {
            return s.sorted().reduce((x, y) -> y).orElseThrow();
        }
    }

    @Test
    void aCleanRestartReadsNothingAgain() {
        try (LocalStore s = LocalStore.open(config())) {
            fill(s);
        }
        try (LocalStore s = LocalStore.open(config())) {
            assertThat(s.recoveryReport().scannedBytes()).isZero();
            assertThat(s.recoveryReport().queuesRebuilt()).isFalse();
            assertIntact(s);
        }
    }

    @Test
    void aTornTailIsCutAndWritingGoesOn() throws IOException {
        long end;
        try (LocalStore s = LocalStore.open(config())) {
            fill(s);
            end = s.log.writtenPosition();
        }
        // half a record after the end: a size that promises more than is there, then garbage
        Path seg = activeSegment(dir);
        long base = Long.parseLong(seg.getFileName().toString().substring(0, 20));
        try (RandomAccessFile f = new RandomAccessFile(seg.toFile(), "rw")) {
            f.seek(end - base);
            f.writeInt(900);
            f.writeInt(12345);
            f.write(new byte[]{1, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9});
        }
        try (LocalStore s = LocalStore.open(config())) {
            assertThat(s.log.writtenPosition()).isEqualTo(end);
            assertIntact(s);
            append(s, "b", 0, "b600", Durability.SYNC);
        }
        try (LocalStore s = LocalStore.open(config())) {
            assertThat(bodies(readAll(s, "b", 0))).hasSize(601).endsWith("b600");
        }
    }

    @Test
    void withoutACheckpointEverythingIsRebuiltFromTheLog() throws IOException {
        try (LocalStore s = LocalStore.open(config())) {
            fill(s);
        }
        Files.delete(dir.resolve("checkpoint"));
        try (LocalStore s = LocalStore.open(config())) {
            assertThat(s.recoveryReport().queuesRebuilt()).isTrue();
            assertIntact(s);
        }
    }

    @Test
    void aMissingQueueDirectoryIsRebuilt() throws IOException {
        try (LocalStore s = LocalStore.open(config())) {
            fill(s);
        }
        dev.tern.store.local.io.FileTrees.delete(dir.resolve("queues").resolve("1").resolve("0"));
        try (LocalStore s = LocalStore.open(config())) {
            assertThat(s.recoveryReport().queuesRebuilt()).isTrue();
            assertIntact(s);
        }
    }

    @Test
    void aConsumeQueueThatPointsAtTheWrongRecordsIsRebuilt() throws IOException {
        try (LocalStore s = LocalStore.open(config())) {
            fill(s);
        }
        Path qdir = dir.resolve("queues").resolve("2").resolve("0");
        Path last;
        try (Stream<Path> files = Files.list(qdir)) {
            last = files.sorted().reduce((x, y) -> y).orElseThrow();
        }
        try (RandomAccessFile f = new RandomAccessFile(last.toFile(), "rw")) {
            f.seek(0);
            f.writeLong(7); // the first entry of the last file now points into the middle of some record
        }
        try (LocalStore s = LocalStore.open(config())) {
            assertThat(s.recoveryReport().queuesRebuilt()).isTrue();
            assertIntact(s);
        }
    }

    @Test
    void aMissingOrUnreadableKeyIndexIsRebuilt() throws IOException {
        try (LocalStore s = LocalStore.open(config())) {
            fill(s);
        }
        dev.tern.store.local.io.FileTrees.delete(dir.resolve("index"));
        try (LocalStore s = LocalStore.open(config())) {
            assertIntact(s);
        }
        Files.writeString(dir.resolve("index").resolve("CURRENT"), "garbage\n");
        try (LocalStore s = LocalStore.open(config())) {
            assertIntact(s);
        }
    }

    @Test
    void aCorruptRecordIsReportedNeverReturned() throws IOException {
        AppendResult victim;
        try (LocalStore s = LocalStore.open(config())) {
            victim = fill(s).get(50);
        }
        long position = victim.messageId().low();
        Path seg;
        try (Stream<Path> files = Files.list(dir.resolve("log"))) {
            seg = files.sorted().filter(p -> Long.parseLong(p.getFileName().toString().substring(0, 20)) <= position)
                    .reduce((x, y) -> y).orElseThrow();
        }
        long base = Long.parseLong(seg.getFileName().toString().substring(0, 20));
        try (RandomAccessFile f = new RandomAccessFile(seg.toFile(), "rw")) {
            f.seek(position - base + 100);
            int b = f.read();
            f.seek(position - base + 100);
            f.write(b ^ 0x40);
        }
        try (LocalStore s = LocalStore.open(config())) {
            Throwable t = catchThrowable(() -> s.log().read(new ReadRequest("a", 0, victim.queueOffset(), 10)).join());
            assertThat(t).isInstanceOf(CompletionException.class).cause().isInstanceOf(TernException.class)
                    .hasMessageContaining("offset " + victim.queueOffset()).hasMessageContaining("corrupt");
            assertThat(((TernException) t.getCause()).code()).isEqualTo(ErrorCode.CORRUPT_RECORD);
            assertThat(s.lookup().byId(victim.messageId()).join()).isEmpty();
            // the records around it are still served
            assertThat(s.log().read(new ReadRequest("a", 0, victim.queueOffset() + 1, 10)).join().records()).hasSize(10);
        }
    }
}
