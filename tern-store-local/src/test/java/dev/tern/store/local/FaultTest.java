package dev.tern.store.local;

import dev.tern.common.error.ErrorCode;
import dev.tern.common.error.TernException;
import dev.tern.store.api.Durability;
import dev.tern.store.api.TopicSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static dev.tern.store.local.StoreFixture.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

@Timeout(60)
class FaultTest {
    @TempDir
    Path dir;

    @Test
    void fullDiskFailsAppendsKeepsReadsAndRecoversWhenSpaceIsBack() {
        FaultyFileIO io = new FaultyFileIO();
        LocalStoreConfig cfg = LocalStoreConfig.defaults(dir).withSegmentBytes(256 * 1024).withMaxMessageBytes(16 * 1024).withFileIO(io);
        try (LocalStore s = LocalStore.open(cfg)) {
            s.topics().create(new TopicSpec("t", 2)).join();
            for (int i = 0; i < 10; i++) append(s, "t", 0, "before-" + i, Durability.SYNC);

            io.diskFull = true;
            Throwable failed = catchThrowable(() -> append(s, "t", 0, "during", Durability.SYNC));
            assertThat(codeOf(failed)).isEqualTo(ErrorCode.STORAGE_FULL);
            assertThat(((TernException) failed.getCause()).getMessage()).contains("disk is full");
            assertThat(bodies(readAll(s, "t", 0))).hasSize(10).endsWith("before-9");

            io.diskFull = false;
            assertThat(append(s, "t", 0, "after", Durability.SYNC).queueOffset()).isEqualTo(10);
            assertThat(bodies(readAll(s, "t", 0))).hasSize(11).endsWith("before-9", "after");
        }
        try (LocalStore s = LocalStore.open(cfg)) {
            assertThat(bodies(readAll(s, "t", 0))).hasSize(11).endsWith("before-9", "after");
            assertThat(append(s, "t", 0, "again", Durability.SYNC).queueOffset()).isEqualTo(11);
        }
    }

    @Test
    void fullDiskWhileRollingToANewSegment() {
        FaultyFileIO io = new FaultyFileIO();
        LocalStoreConfig cfg = LocalStoreConfig.defaults(dir).withSegmentBytes(64 * 1024).withMaxMessageBytes(16 * 1024).withFileIO(io);
        String body = "x".repeat(10_000);
        try (LocalStore s = LocalStore.open(cfg)) {
            s.topics().create(new TopicSpec("t", 1)).join();
            for (int i = 0; i < 6; i++) append(s, "t", 0, body + i, Durability.SYNC);
            io.diskFull = true;
            for (int i = 0; i < 3; i++) {
                Throwable failed = catchThrowable(() -> append(s, "t", 0, body, Durability.SYNC));
                assertThat(codeOf(failed)).isEqualTo(ErrorCode.STORAGE_FULL);
            }
            io.diskFull = false;
            for (int i = 6; i < 12; i++) append(s, "t", 0, body + i, Durability.SYNC);
            assertThat(bodies(readAll(s, "t", 0))).hasSize(12).last().isEqualTo(body + 11);
        }
        try (LocalStore s = LocalStore.open(cfg)) {
            assertThat(readAll(s, "t", 0)).extracting(m -> m.queueOffset()).containsExactlyElementsOf(
                    java.util.stream.LongStream.range(0, 12).boxed().toList());
        }
    }

    @Test
    void failedFsyncTurnsTheStoreReadOnlyUntilRestart() {
        FaultyFileIO io = new FaultyFileIO();
        LocalStoreConfig cfg = LocalStoreConfig.defaults(dir).withMaxMessageBytes(16 * 1024).withSegmentBytes(1 << 20).withFileIO(io);
        try (LocalStore s = LocalStore.open(cfg)) {
            s.topics().create(new TopicSpec("t", 1)).join();
            append(s, "t", 0, "durable", Durability.SYNC);
            io.fsyncFails = true;
            assertThat(codeOf(catchThrowable(() -> append(s, "t", 0, "lost?", Durability.SYNC)))).isEqualTo(ErrorCode.STORAGE_IO);
            io.fsyncFails = false;
            Throwable refused = catchThrowable(() -> append(s, "t", 0, "refused", Durability.ASYNC));
            assertThat(codeOf(refused)).isEqualTo(ErrorCode.STORAGE_IO);
            assertThat(refused.getCause().getMessage()).contains("read-only");
            assertThat(bodies(readAll(s, "t", 0))).startsWith("durable");
        }
        try (LocalStore s = LocalStore.open(cfg)) {
            append(s, "t", 0, "after restart", Durability.SYNC);
            assertThat(bodies(readAll(s, "t", 0))).startsWith("durable").endsWith("after restart");
        }
    }

    @Test
    void badSettingsAreRejectedWithTheKeyName() {
        Throwable t = catchThrowable(() -> LocalStore.open(LocalStoreConfig.defaults(dir).withSegmentBytes(100)));
        assertThat(t).isInstanceOf(TernException.class).hasMessageContaining("store.segment.bytes");
    }

    @Test
    void aSecondStoreOnTheSameDirectoryIsRefused() {
        LocalStoreConfig cfg = LocalStoreConfig.defaults(dir).withSegmentBytes(1 << 20).withMaxMessageBytes(16 * 1024);
        try (LocalStore s = LocalStore.open(cfg)) {
            Throwable t = catchThrowable(() -> LocalStore.open(cfg));
            assertThat(t).isInstanceOf(TernException.class).hasMessageContaining("in use");
            assertThat(s.topics().list().join()).isEqualTo(List.of());
        }
    }

    @Test
    void aDirectoryOfAnotherFormatIsRefusedNotMisread() throws Exception {
        LocalStoreConfig cfg = LocalStoreConfig.defaults(dir).withSegmentBytes(1 << 20).withMaxMessageBytes(16 * 1024);
        try (LocalStore s = LocalStore.open(cfg)) {
            s.topics().create(new TopicSpec("t", 1)).join();
        }
        java.nio.file.Files.writeString(dir.resolve("FORMAT"), "tern-local-store 0\n");
        Throwable t = catchThrowable(() -> LocalStore.open(cfg));
        assertThat(t).isInstanceOf(TernException.class).hasMessageContaining("format").hasMessageContaining("tern-local-store 0");
        java.nio.file.Files.delete(dir.resolve("FORMAT"));
        assertThat(catchThrowable(() -> LocalStore.open(cfg))).hasMessageContaining("no FORMAT marker");
        java.nio.file.Files.writeString(dir.resolve("FORMAT"), FormatVersion.CURRENT + "\n");
        try (LocalStore s = LocalStore.open(cfg)) {
            assertThat(s.topics().list().join()).hasSize(1);
        }
    }
}
