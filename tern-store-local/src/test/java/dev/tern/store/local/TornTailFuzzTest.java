package dev.tern.store.local;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.tern.store.api.Durability;
import dev.tern.store.api.TopicSpec;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;

import static dev.tern.store.local.StoreFixture.append;
import static dev.tern.store.local.StoreFixture.bodies;
import static dev.tern.store.local.StoreFixture.readAll;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzzes the recovery parser: whatever bytes follow the last good record (a torn write, garbage), the
 * store opens, keeps every record before them, and appends again after them. Runs its seeds as a
 * regular test; {@code JAZZER_FUZZ=1} fuzzes for real.
 */
class TornTailFuzzTest {

    @FuzzTest(maxDuration = "60s")
    void garbageAfterTheLastRecordIsCutAndEverythingBeforeItKept(byte[] garbage) throws IOException {
        Path dir = Files.createTempDirectory("tern-fuzz");
        try {
            LocalStoreConfig cfg = LocalStoreConfig.defaults(dir).withSegmentBytes(256 * 1024).withMaxMessageBytes(16 * 1024);
            long end;
            try (LocalStore s = LocalStore.open(cfg)) {
                s.topics().create(new TopicSpec("t", 2)).join();
                for (int i = 0; i < 20; i++) append(s, "t", i % 2, "m" + i, Durability.ASYNC);
                end = s.log.writtenPosition();
            }
            try (RandomAccessFile f = new RandomAccessFile(dir.resolve("log").resolve(String.format("%020d.log", 0)).toFile(), "rw")) {
                f.seek(end);
                f.write(garbage, 0, (int) Math.min(garbage.length, 256 * 1024 - end));
            }
            Files.deleteIfExists(dir.resolve("checkpoint")); // make recovery read the whole log, garbage included
            try (LocalStore s = LocalStore.open(cfg)) {
                assertThat(bodies(readAll(s, "t", 0))).hasSize(10).startsWith("m0", "m2");
                assertThat(bodies(readAll(s, "t", 1))).hasSize(10);
                append(s, "t", 0, "after", Durability.SYNC);
            }
            try (LocalStore s = LocalStore.open(cfg)) {
                assertThat(bodies(readAll(s, "t", 0))).hasSize(11).endsWith("after");
            }
        } finally {
            dev.tern.store.local.io.FileTrees.delete(dir);
        }
    }
}
