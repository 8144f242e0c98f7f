package dev.tern.store.local;

import dev.tern.common.message.Message;
import dev.tern.store.api.AppendResult;
import dev.tern.store.api.Durability;
import dev.tern.store.api.ReadRequest;
import dev.tern.store.api.ReadResult;
import dev.tern.store.api.StoredRecord;
import dev.tern.store.api.TopicSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Many appenders (mixing SYNC and ASYNC, single messages and batches) and tailing readers on the same
 * queues, over small segments so that rolls happen under load: readers see every offset once, in order,
 * with the bytes that were appended, and ids are unique.
 */
@Timeout(120)
class ConcurrencyTest {
    @TempDir
    Path dir;

    @Test
    void appendersAndTailingReaders() throws Exception {
        int writers = 12, perWriter = 1500, queues = 3;
        LocalStoreConfig cfg = LocalStoreConfig.defaults(dir).withSegmentBytes(256 * 1024).withMaxMessageBytes(16 * 1024).withQueueEntriesPerFile(1000);
        ExecutorService pool = Executors.newFixedThreadPool(writers + queues);
        try (LocalStore s = LocalStore.open(cfg)) {
            s.topics().create(new TopicSpec("c", queues)).join();
            ConcurrentLinkedQueue<AppendResult> results = new ConcurrentLinkedQueue<>();
            List<Future<?>> writing = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                int writer = w;
                writing.add(pool.submit(() -> {
                    for (int i = 0; i < perWriter; ) {
                        int n = i % 5 == 0 ? Math.min(3, perWriter - i) : 1;
                        List<Message> batch = new ArrayList<>();
                        for (int k = 0; k < n; k++) batch.add(Message.of("w" + writer + "-" + (i + k) + "-" + "z".repeat((i + k) % 700)));
                        Durability d = i % 4 == 0 ? Durability.SYNC : Durability.ASYNC;
                        results.addAll(s.log().append("c", (writer + i) % queues, batch, d).join());
                        i += n;
                    }
                }));
            }
            List<Future<List<String>>> reading = new ArrayList<>();
            long total = (long) writers * perWriter;
            for (int q = 0; q < queues; q++) {
                int queue = q;
                reading.add(pool.submit(() -> tail(s, queue, writing)));
            }
            for (Future<?> f : writing) f.get(100, TimeUnit.SECONDS);
            Set<String> seen = new HashSet<>();
            long count = 0;
            for (Future<List<String>> f : reading) {
                List<String> bodies = f.get(100, TimeUnit.SECONDS);
                count += bodies.size();
                seen.addAll(bodies);
            }
            assertThat(count).isEqualTo(total);
            assertThat(seen).hasSize((int) total);
            assertThat(results).hasSize((int) total);
            assertThat(results.stream().map(AppendResult::messageId).distinct().count()).isEqualTo(total);
        } finally {
            pool.shutdownNow();
        }
    }

    /** Reads queue {@code q} from offset 0 until the writers are done and the queue is drained. */
    private static List<String> tail(LocalStore s, int q, List<Future<?>> writing) {
        List<String> bodies = new ArrayList<>();
        long offset = 0;
        while (true) {
            boolean done = writing.stream().allMatch(Future::isDone);
            try (ReadResult r = s.log().read(new ReadRequest("c", q, offset, 200)).join()) {
                if (r.status() == ReadResult.Status.FOUND) {
                    for (StoredRecord rec : r.records()) {
                        assertThat(rec.queueOffset()).isEqualTo(offset++);
                        bodies.add(new String(rec.message().body(), StandardCharsets.UTF_8));
                    }
                    continue;
                }
            }
            if (done && offset == s.log().range("c", q).join().nextOffset()) return bodies;
            Thread.onSpinWait();
        }
    }
}
