package dev.tern.testsupport.contract;

import dev.tern.common.codec.RecordCodec;
import dev.tern.common.message.Message;
import dev.tern.store.api.AppendListener;
import dev.tern.store.api.Durability;
import dev.tern.store.api.ReadRequest;
import dev.tern.store.api.ReadResult;
import dev.tern.testsupport.Await;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static dev.tern.testsupport.Await.await;
import static dev.tern.testsupport.Await.result;
import static dev.tern.testsupport.TestMessages.sized;
import static dev.tern.testsupport.TestMessages.text;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link dev.tern.store.api.MessageLog#addAppendListener}: told of every append, once per queue per written
 * unit, in offset order per queue, after the messages are readable; until removed.
 */
public interface AppendListenerContract extends StoreContract {

    /** What a listener was told. */
    record Appended(String topic, int queue, long nextOffset) {
    }

    @Test
    default void listenerIsToldTheTopicQueueAndNextOffset() throws Exception {
        String topic = fixture().newTopic(2);
        Queue<Appended> told = new ConcurrentLinkedQueue<>();
        AutoCloseable handle = store().log().addAppendListener((t, q, next) -> told.add(new Appended(t, q, next)));
        try {
            fixture().appendBatch(topic, 1, List.of(text("a"), text("b"), text("c")));
            await().until(() -> told.contains(new Appended(topic, 1, 3)));

            fixture().append(topic, 0, text("d"));
            await().until(() -> told.contains(new Appended(topic, 0, 1)));
        } finally {
            handle.close();
        }
        assertThat(told).allSatisfy(a -> {
            assertThat(a.topic()).isEqualTo(topic);
            assertThat(a.nextOffset()).isBetween(1L, 3L);
        });
    }

    @Test
    default void removedListenerIsNoLongerTold() throws Exception {
        String topic = fixture().newTopic(1);
        Queue<Appended> removed = new ConcurrentLinkedQueue<>();
        Queue<Appended> kept = new ConcurrentLinkedQueue<>();
        AppendListener keeper = (t, q, next) -> kept.add(new Appended(t, q, next));
        AutoCloseable handle = store().log().addAppendListener((t, q, next) -> removed.add(new Appended(t, q, next)));
        AutoCloseable keeperHandle = store().log().addAppendListener(keeper);
        try {
            fixture().append(topic, 0, text("a"));
            await().until(() -> removed.contains(new Appended(topic, 0, 1)) && kept.contains(new Appended(topic, 0, 1)));

            handle.close();
            handle.close();
            fixture().append(topic, 0, text("b"));
            fixture().append(topic, 0, text("c"));
            await().until(() -> kept.contains(new Appended(topic, 0, 3)));
        } finally {
            keeperHandle.close();
        }
        assertThat(removed).extracting(Appended::nextOffset).containsOnly(1L);
    }

    @Test
    default void listenerIsToldOncePerBatchWithTheBatchEnd() throws Exception {
        String topic = fixture().newTopic(2);
        Queue<Appended> told = new ConcurrentLinkedQueue<>();
        AutoCloseable handle = store().log().addAppendListener((t, q, next) -> told.add(new Appended(t, q, next)));
        try {
            // one append at a time, each awaited: every batch is a unit of its own
            fixture().appendBatch(topic, 1, List.of(text("a"), text("b"), text("c")));
            fixture().appendBatch(topic, 1, List.of(text("d"), text("e")));
            fixture().append(topic, 0, text("f"));
            fixture().appendBatch(topic, 1, List.of(text("g")));
            await().until(() -> told.contains(new Appended(topic, 1, 6)) && told.contains(new Appended(topic, 0, 1)));
        } finally {
            handle.close();
        }
        assertThat(told.stream().filter(a -> a.queue() == 1)).extracting(Appended::nextOffset)
                .as("queue 1: once per batch, with its end").containsExactly(3L, 5L, 6L);
        assertThat(told.stream().filter(a -> a.queue() == 0)).extracting(Appended::nextOffset).containsExactly(1L);
    }

    @Test
    default void batchesOfSomeSizeAreEachToldOnceToo() throws Exception {
        String topic = fixture().newTopic(1);
        int overhead = RecordCodec.prepare(sized(0), topic, 0, 0).length;
        int body = Math.min(store().log().maxMessageBytes() - overhead, 30_000);
        Queue<Long> told = new ConcurrentLinkedQueue<>();
        List<Long> ends = new ArrayList<>();
        AutoCloseable handle = store().log().addAppendListener((t, q, next) -> {
            if (t.equals(topic)) told.add(next);
        });
        try {
            // about 4 MB in batches of about 100 KB, one at a time: enough for a store that writes files
            // of a few MB to move on to new ones between, or in the middle of, batches
            for (int b = 0; b < 40; b++) {
                List<Message> batch = new ArrayList<>();
                for (int m = 0; m < 4; m++) batch.add(sized(body - 7 * b - m));
                ends.add(fixture().appendBatch(topic, 0, batch).getLast().queueOffset() + 1);
            }
            await().until(() -> told.contains(ends.getLast()));
        } finally {
            handle.close();
        }
        assertThat(told).as("once per batch, with its end").containsExactlyElementsOf(ends);
    }

    @Test
    default void underConcurrentAppendsEachQueueIsToldInOffsetOrderAfterItsMessagesAreReadable() throws Exception {
        String topic = fixture().newTopic(2);
        int threads = 4, appends = 50;
        Map<Integer, List<Long>> told = new ConcurrentHashMap<>();
        Queue<String> problems = new ConcurrentLinkedQueue<>();
        ExecutorService checker = Executors.newSingleThreadExecutor();
        ExecutorService producers = Executors.newFixedThreadPool(threads);
        AutoCloseable handle = store().log().addAppendListener((t, q, next) -> {
            if (!t.equals(topic)) return;
            told.computeIfAbsent(q, k -> Collections.synchronizedList(new ArrayList<>())).add(next);
            // as an engine should: act on the news off the store's thread
            checker.execute(() -> {
                try (ReadResult r = result(store().log().read(new ReadRequest(topic, q, next - 1, 1)))) {
                    if (r.status() != ReadResult.Status.FOUND) problems.add("queue " + q + " offset " + (next - 1) + ": " + r.status());
                } catch (RuntimeException e) {
                    problems.add("queue " + q + " offset " + (next - 1) + ": " + e);
                }
            });
        });
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int p = 0; p < threads; p++) {
                int thread = p;
                done.add(producers.submit(() -> {
                    for (int i = 0; i < appends; i++) {
                        List<Message> batch = new ArrayList<>();
                        for (int b = 0; b <= i % 4; b++) batch.add(text("p" + thread + "-" + i + "-" + b));
                        result(store().log().append(topic, (thread + i) % 2, batch, i % 7 == 0 ? Durability.SYNC : Durability.ASYNC));
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) f.get(Await.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            for (int q = 0; q < 2; q++) {
                long end = result(store().log().range(topic, q)).nextOffset();
                int queue = q;
                await().until(() -> told.getOrDefault(queue, List.of()).contains(end));
            }
        } finally {
            handle.close();
            producers.shutdownNow();
            checker.shutdown();
            assertThat(checker.awaitTermination(Await.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
        }
        assertThat(problems).as("messages a listener was told of, read right after").isEmpty();
        for (int q = 0; q < 2; q++) {
            List<Long> offsets = List.copyOf(told.get(q));
            assertThat(offsets).as("queue %d, told in offset order", q).isSortedAccordingTo(Long::compare).doesNotHaveDuplicates();
        }
    }

    @Test
    default void eachRegistrationIsRemovedByItsOwnHandleOnly() throws Exception {
        String topic = fixture().newTopic(1);
        Queue<Appended> told = new ConcurrentLinkedQueue<>();
        AppendListener listener = (t, q, next) -> told.add(new Appended(t, q, next));
        AutoCloseable first = store().log().addAppendListener(listener);
        AutoCloseable second = store().log().addAppendListener(listener);
        try {
            fixture().append(topic, 0, text("a"));
            await().until(() -> told.stream().filter(a -> a.nextOffset() == 1).count() == 2);

            first.close();
            first.close();
            fixture().append(topic, 0, text("b"));
            await().until(() -> told.contains(new Appended(topic, 0, 2)));
            fixture().append(topic, 0, text("c"));
            await().until(() -> told.contains(new Appended(topic, 0, 3)));
        } finally {
            second.close();
        }
        assertThat(told).extracting(Appended::nextOffset).as("registered twice, then once").containsExactly(1L, 1L, 2L, 3L);
    }
}
