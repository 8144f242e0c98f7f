package dev.tern.store.local;

import dev.tern.common.error.ErrorCode;
import dev.tern.common.error.TernException;
import dev.tern.store.api.Durability;
import dev.tern.store.api.TopicSpec;
import dev.tern.store.local.log.Checkpoint;
import dev.tern.store.local.io.FileIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.stream.Stream;

import static dev.tern.store.local.StoreFixture.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * What an acknowledgement means when the disk misbehaves: a failed fsync anywhere turns the store
 * read-only, a refused write never comes back after a restart, and corruption below the durable position
 * stops the store with the file and offset named, until an operator decides ({@link LogRepair}).
 */
@Timeout(120)
class DurabilityTest {
    @TempDir
    Path dir;

    private static LocalStoreConfig config(Path dir, FileIO io) {
        return LocalStoreConfig.defaults(dir).withSegmentBytes(64 * 1024).withMaxMessageBytes(8 * 1024)
                .withQueueEntriesPerFile(64).withCheckpointIntervalMs(20).withFileIO(io);
    }

    @Test
    void aFailedCheckpointFsyncTurnsTheStoreReadOnly() {
        FaultyFileIO io = new FaultyFileIO();
        try (LocalStore s = LocalStore.open(config(dir, io))) {
            s.topics().create(new TopicSpec("t", 1)).join();
            append(s, "t", 0, "before", Durability.ASYNC);
            io.fsyncFails = true; // the queue files' and the log's forces of the next checkpoint fail
            append(s, "t", 0, "unforced", Durability.ASYNC);
            await().until(() -> s.readOnlyReason().isPresent());
            io.fsyncFails = false; // a later fsync would "succeed": it must not be trusted
            assertThat(codeOf(catchThrowable(() -> append(s, "t", 0, "refused", Durability.ASYNC)))).isEqualTo(ErrorCode.STORAGE_IO);
            assertThat(codeOf(catchThrowable(() -> s.offsets().commit("g", "t", 0, 1, Durability.SYNC).join()))).isEqualTo(ErrorCode.STORAGE_IO);
            assertThat(codeOf(catchThrowable(() -> s.metadata().put(new byte[]{1}, new byte[]{1}, Durability.ASYNC).join())))
                    .isEqualTo(ErrorCode.STORAGE_IO);
            assertThat(bodies(readAll(s, "t", 0))).containsExactly("before", "unforced"); // reads go on
        }
        try (LocalStore s = LocalStore.open(config(dir, io))) {
            assertThat(s.readOnlyReason()).isEmpty();
            append(s, "t", 0, "after restart", Durability.SYNC);
        }
    }

    @Test
    void aFailedDirectoryFsyncWhenANewSegmentStartsTurnsTheStoreReadOnly() {
        FaultyFileIO io = new FaultyFileIO();
        try (LocalStore s = LocalStore.open(config(dir, io))) {
            s.topics().create(new TopicSpec("t", 1)).join();
            io.dirSyncFails = true;
            String body = "x".repeat(4000);
            Throwable failed = null;
            for (int i = 0; i < 40 && failed == null; i++) { // 64 KiB segments: the log rolls within 17 appends
                failed = catchThrowable(() -> append(s, "t", 0, body, Durability.SYNC));
            }
            assertThat(codeOf(failed)).isEqualTo(ErrorCode.STORAGE_IO);
            assertThat(s.readOnlyReason()).get().asString().contains("directory fsync");
        }
    }

    @Test
    void aByteFlippedInASealedSegmentStopsTheStoreNamingItAndRepairCutsThereKeepingLaterSegments() throws Exception {
        LocalStoreConfig cfg = config(dir, FileIO.DEFAULT).withVerifyLogOnOpen(true);
        String body = "y".repeat(3000);
        try (LocalStore s = LocalStore.open(cfg)) {
            s.topics().create(new TopicSpec("t", 1)).join();
            for (int i = 0; i < 60; i++) append(s, "t", 0, body + i, Durability.SYNC); // about three segments
        }
        List<Path> segments;
        try (Stream<Path> l = Files.list(dir.resolve("log"))) {
            segments = l.sorted().toList();
        }
        assertThat(segments.size()).isGreaterThanOrEqualTo(3);
        Path sealed = segments.get(1);
        long base = Long.parseLong(sealed.getFileName().toString().substring(0, 20));
        byte[] later = Files.readAllBytes(segments.get(2));
        try (RandomAccessFile f = new RandomAccessFile(sealed.toFile(), "rw")) {
            f.seek(5000); // inside the second record of the segment
            int b = f.read();
            f.seek(5000);
            f.write(b ^ 0x10);
        }
        Throwable refused = catchThrowable(() -> LocalStore.open(cfg));
        assertThat(refused).isInstanceOf(TernException.class).hasMessageContaining(sealed.toString()).hasMessageContaining("refusing to guess");
        assertThat(((TernException) refused).code()).isEqualTo(ErrorCode.CORRUPT_RECORD);
        assertThat(Files.readAllBytes(segments.get(2))).as("later segments untouched").isEqualTo(later);

        LogRepair.Report report = LogRepair.inspect(dir);
        assertThat(report.intact()).isFalse();
        assertThat(report.segment()).isEqualTo(sealed);
        assertThat(report.badAt()).isGreaterThan(base).isLessThanOrEqualTo(base + 5000);
        assertThat(report.laterSegments()).contains(segments.get(2));

        Path moved = LogRepair.truncateAt(dir, report.badAt());
        assertThat(Files.readAllBytes(moved.resolve(segments.get(2).getFileName()))).isEqualTo(later);
        try (LocalStore s = LocalStore.open(cfg)) {
            List<String> kept = bodies(readAll(s, "t", 0));
            assertThat(kept).isNotEmpty().allSatisfy(b -> assertThat(b).startsWith(body));
            assertThat(kept).containsExactlyElementsOf(kept.stream().sorted((a, b) -> Integer.compare(
                    Integer.parseInt(a.substring(body.length())), Integer.parseInt(b.substring(body.length())))).toList());
            append(s, "t", 0, "after repair", Durability.SYNC);
        }
    }

    @Test
    void corruptionBelowTheCheckpointStopsTheStoreEvenWithoutTheFullCheck() throws Exception {
        LocalStoreConfig cfg = config(dir, FileIO.DEFAULT).withSegmentBytes(1 << 20);
        long end;
        try (LocalStore s = LocalStore.open(cfg)) {
            s.topics().create(new TopicSpec("t", 1)).join();
            for (int i = 0; i < 100; i++) append(s, "t", 0, "m" + i, Durability.SYNC);
            end = s.log().range("t", 0).join().nextOffset();
        }
        Checkpoint cp = Checkpoint.read(dir.resolve("checkpoint")).orElseThrow();
        // a checkpoint that promises the whole log durable but asks recovery to re-read it from the start
        new Checkpoint(cp.logFlushed(), 0).write(FileIO.DEFAULT, dir.resolve("checkpoint"));
        Path seg = dir.resolve("log").resolve(String.format("%020d.log", 0));
        try (RandomAccessFile f = new RandomAccessFile(seg.toFile(), "rw")) {
            f.seek(cp.logFlushed() / 2);
            f.write(0x5a);
        }
        assertThat(end).isEqualTo(100);
        assertThat(catchThrowable(() -> LocalStore.open(cfg))).hasMessageContaining(seg.toString()).hasMessageContaining("below position " + cp.logFlushed());
    }

    @Test
    void aFullWriteQueueRefusesWithOverloadedInsteadOfGrowingWithoutBound() throws Exception {
        try (LocalStore s = LocalStore.open(config(dir, FileIO.DEFAULT).withMaxPendingBytes(1 << 20))) {
            s.topics().create(new TopicSpec("t", 1)).join();
            java.util.concurrent.CountDownLatch entered = new java.util.concurrent.CountDownLatch(1), hold = new java.util.concurrent.CountDownLatch(1);
            // a task run as the writer holds the writer's turn: appends meanwhile wait in the queue
            CompletableFuture<Void> busy = CompletableFuture.runAsync(() -> s.appender.execute(() -> {
                entered.countDown();
                try {
                    hold.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }).join());
            entered.await();
            String body = "q".repeat(4000);
            List<CompletableFuture<?>> appends = new ArrayList<>();
            for (int i = 0; i < 400; i++) appends.add(s.log().append("t", 0, List.of(msg(body + i)), Durability.ASYNC));
            long refused = appends.stream().filter(CompletableFuture::isCompletedExceptionally).count();
            hold.countDown();
            busy.join();
            for (CompletableFuture<?> f : appends) {
                Throwable t = catchThrowable(f::join);
                if (t != null) assertThat(codeOf(t)).isEqualTo(ErrorCode.OVERLOADED);
            }
            assertThat(refused).as("about 1 MiB of 4 KiB appends fit the queue").isBetween(100L, 300L);
            assertThat(readAll(s, "t", 0)).hasSize((int) (400 - refused));
        }
    }

    /**
     * Seeded: the disk fills at a random byte while four threads append to eight queues; every append is
     * either acknowledged or refused. After space comes back and a restart, every acknowledged message is
     * there and no refused one is.
     */
    @Test
    void refusedWritesNeverComeBackAfterARestart() throws Exception {
        long seed = Long.getLong("tern.enospc.seed", System.nanoTime());
        Random random = new Random(seed);
        int refusedTotal = 0, ackedTotal = 0;
        for (int round = 0; round < 8; round++) {
            Path d = dir.resolve("r" + round);
            FaultyFileIO io = new FaultyFileIO();
            Set<String> acked = new HashSet<>(), refused = new HashSet<>();
            LocalStoreConfig cfg = config(d, io).withSegmentBytes(128 * 1024);
            try (LocalStore s = LocalStore.open(cfg)) {
                s.topics().create(new TopicSpec("t", 8)).join();
                io.spaceLeft.set(20_000 + random.nextInt(200_000));
                List<CompletableFuture<Void>> writers = new ArrayList<>();
                for (int w = 0; w < 4; w++) {
                    int writer = w;
                    writers.add(CompletableFuture.runAsync(() -> {
                        for (int i = 0; i < 300; i++) {
                            List<String> batch = new ArrayList<>();
                            int n = 1 + (i % 3);
                            for (int b = 0; b < n; b++) batch.add("w" + writer + "-" + i + "-" + b + "-" + "z".repeat(i % 200));
                            try {
                                s.log().append("t", (writer * 3 + i) % 8, batch.stream().map(StoreFixture::msg).toList(),
                                        i % 2 == 0 ? Durability.SYNC : Durability.ASYNC).join();
                                synchronized (acked) {
                                    acked.addAll(batch);
                                }
                            } catch (CompletionException e) {
                                assertThat(codeOf(e)).isEqualTo(ErrorCode.STORAGE_FULL);
                                synchronized (refused) {
                                    refused.addAll(batch);
                                }
                            }
                        }
                    }));
                }
                writers.forEach(CompletableFuture::join);
                io.spaceLeft.set(Long.MAX_VALUE);
                io.diskFull = false;
            }
            try (LocalStore s = LocalStore.open(config(d, FileIO.DEFAULT).withSegmentBytes(128 * 1024))) {
                Set<String> stored = new HashSet<>();
                for (int q = 0; q < 8; q++) stored.addAll(bodies(readAll(s, "t", q)));
                assertThat(refused).as("refused but readable after restart (seed %d)", seed).doesNotContainAnyElementsOf(stored);
                assertThat(stored).as("acknowledged but lost (seed %d)", seed).containsAll(acked);
            }
            refusedTotal += refused.size();
            ackedTotal += acked.size();
        }
        System.out.printf("ENOSPC test (seed %d): 8 rounds, %d acknowledged (lost 0), %d refused (readable after restart 0)%n", seed, ackedTotal, refusedTotal);
        assertThat(refusedTotal).as("the disk filled in the rounds").isPositive();
    }
}
