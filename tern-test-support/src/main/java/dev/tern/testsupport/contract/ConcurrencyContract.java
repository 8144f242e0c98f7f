package dev.tern.testsupport.contract;

import dev.tern.common.message.Message;
import dev.tern.common.message.MessageId;
import dev.tern.store.api.AppendResult;
import dev.tern.store.api.Durability;
import dev.tern.store.api.StoredRecord;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.LongStream;

import static dev.tern.testsupport.Await.result;
import static dev.tern.testsupport.TestMessages.text;
import static org.assertj.core.api.Assertions.assertThat;

/** Thread safety: concurrent appends to one queue and to many topics stay gap-free, unique and readable. */
public interface ConcurrencyContract extends StoreContract {

    int THREADS = 8;
    int APPENDS_PER_THREAD = 150;

    @Test
    default void concurrentAppendsToOneQueueGetGapFreeUniqueOffsets() throws Exception {
        String topic = fixture().newTopic(1);
        Queue<AppendResult> results = new ConcurrentLinkedQueue<>();
        Queue<String> bodies = new ConcurrentLinkedQueue<>();

        runConcurrently(thread -> {
            for (int i = 0; i < APPENDS_PER_THREAD; i++) {
                List<Message> batch = new ArrayList<>();
                for (int b = 0; b < 1 + i % 3; b++) batch.add(text("t" + thread + "-" + i + "-" + b));
                Durability durability = i % 5 == 0 ? Durability.SYNC : Durability.ASYNC;
                List<AppendResult> appended = result(store().log().append(topic, 0, batch, durability));
                for (int b = 1; b < appended.size(); b++) {
                    assertThat(appended.get(b).queueOffset()).isEqualTo(appended.get(b - 1).queueOffset() + 1);
                }
                results.addAll(appended);
                batch.forEach(m -> bodies.add(new String(m.body())));
            }
        });

        int total = bodies.size();
        assertThat(results).extracting(AppendResult::queueOffset)
                .containsExactlyInAnyOrderElementsOf(LongStream.range(0, total).boxed().toList());
        assertThat(results).extracting(AppendResult::messageId).doesNotHaveDuplicates();
        assertThat(result(store().log().range(topic, 0)).nextOffset()).isEqualTo(total);
        List<StoredRecord> records = fixture().readAll(topic, 0, 0, 64, null);
        assertThat(records).extracting(r -> r.message().bodyAsString()).containsExactlyInAnyOrderElementsOf(bodies);
        assertThat(records).extracting(StoredRecord::storeTimestamp).isSorted();
    }

    @Test
    default void concurrentAppendsToManyTopicsStayApart() throws Exception {
        List<String> topics = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) topics.add(fixture().newTopic(2));
        Queue<MessageId> ids = new ConcurrentLinkedQueue<>();

        runConcurrently(thread -> {
            for (int i = 0; i < APPENDS_PER_THREAD; i++) {
                String topic = topics.get((thread + i) % topics.size());
                ids.add(result(store().log().append(topic, i % 2, List.of(text(topic + "/" + i % 2)), Durability.ASYNC))
                        .getFirst().messageId());
            }
        });

        assertThat(new HashSet<>(ids)).hasSize(THREADS * APPENDS_PER_THREAD);
        Set<String> mixedUp = new HashSet<>();
        long count = 0;
        for (String topic : topics) {
            for (int q = 0; q < 2; q++) {
                for (StoredRecord r : fixture().readAll(topic, q, 0, 100, null)) {
                    count++;
                    if (!r.message().bodyAsString().equals(topic + "/" + q)) mixedUp.add(r.message().bodyAsString());
                }
            }
        }
        assertThat(mixedUp).isEmpty();
        assertThat(count).isEqualTo(THREADS * APPENDS_PER_THREAD);
    }

    /** What each of the concurrent threads does, given its number. */
    @FunctionalInterface
    interface Work {
        void run(int thread) throws Exception;
    }

    /** Runs {@code work} on {@link #THREADS} threads released together, and rethrows the first failure. */
    private static void runConcurrently(Work work) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<CompletableFuture<Void>> done = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                done.add(CompletableFuture.runAsync(() -> {
                    try {
                        start.await();
                        work.run(thread);
                    } catch (Exception e) {
                        throw new CompletionException(e);
                    }
                }, pool));
            }
            start.countDown();
            result(CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)));
        } finally {
            pool.shutdownNow();
        }
    }
}
