package dev.tern.engine;

import dev.tern.common.error.ErrorCode;
import dev.tern.store.api.QueueRange;
import dev.tern.testsupport.TestMessages;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static dev.tern.testsupport.Await.result;
import static org.assertj.core.api.Assertions.assertThat;

@ParameterizedClass
@EnumSource(StoreKind.class)
@Timeout(60)
class TopicAdminTest {
    @Parameter
    StoreKind kind;
    @TempDir
    Path dir;
    EngineHarness h;

    @BeforeEach
    void open() {
        h = new EngineHarness(kind, dir);
    }

    @AfterEach
    void close() {
        h.close();
    }

    @Test
    void createDescribeListDelete() {
        TopicDescription created = result(h.engine().topics().create("orders", 4, Map.of("retention.ms", "1000")));
        assertThat(created.name()).isEqualTo("orders");
        assertThat(created.info().queues()).isEqualTo(4);
        assertThat(created.info().config()).containsEntry("retention.ms", "1000");
        assertThat(created.queues()).hasSize(4).allMatch(r -> r.count() == 0);

        h.send("orders", 1, TestMessages.text("a"));
        h.send("orders", 1, TestMessages.text("b"));
        h.send("orders", 3, TestMessages.text("c"));
        TopicDescription described = result(h.engine().topics().describe("orders")).orElseThrow();
        assertThat(described.queues()).containsExactly(new QueueRange(0, 0), new QueueRange(0, 2), new QueueRange(0, 0), new QueueRange(0, 1));
        assertThat(described.messages()).isEqualTo(3);

        result(h.engine().topics().create("alpha", 1, null));
        assertThat(result(h.engine().topics().list())).extracting(TopicDescription::name).containsExactly("alpha", "orders");

        result(h.engine().topics().delete("orders"));
        assertThat(result(h.engine().topics().describe("orders"))).isEmpty();
        assertThat(result(h.engine().topics().list())).extracting(TopicDescription::name).containsExactly("alpha");
        Expect.fails(h.engine().send("orders", QueueTarget.roundRobin(), List.of(TestMessages.text("x")), null), ErrorCode.TOPIC_NOT_FOUND);
        Expect.fails(h.engine().topics().delete("orders"), ErrorCode.TOPIC_NOT_FOUND);
    }

    @Test
    void rejectsBadNamesQueueCountsAndDuplicates() {
        TopicAdmin topics = h.engine().topics();
        for (String bad : new String[]{"", "a b", "..", "x/y", "é"}) {
            Expect.fails(topics.create(bad, 1, Map.of()), ErrorCode.INVALID_ARGUMENT);
        }
        Expect.fails(topics.create(null, 1, Map.of()), ErrorCode.INVALID_ARGUMENT);
        assertThat(Expect.fails(topics.create("t", 0, Map.of()), ErrorCode.INVALID_ARGUMENT)).hasMessageContaining("1 to 1024");
        Expect.fails(topics.create("t", 1025, Map.of()), ErrorCode.INVALID_ARGUMENT);
        assertThat(result(topics.create("t", 1024, Map.of())).queues()).hasSize(1024);
        Expect.fails(topics.create("t", 2, Map.of()), ErrorCode.TOPIC_EXISTS);
        Expect.fails(topics.describe("a b"), ErrorCode.INVALID_ARGUMENT);
        assertThat(result(topics.describe("nope"))).isEmpty();
    }

    @Test
    void sendToAnUnknownTopicFailsUnlessAutoCreationIsOn() {
        assertThat(Expect.fails(h.engine().send("auto", QueueTarget.roundRobin(), List.of(TestMessages.text("x")), null),
                ErrorCode.TOPIC_NOT_FOUND)).hasMessageContaining("topic.auto.create");
        h.close();
        h = new EngineHarness(kind, dir.resolve("auto"), EngineConfig.defaults().withAutoCreateTopics(true, 3));
        SendResult sent = h.send("auto", QueueTarget.roundRobin(), TestMessages.text("x")).getFirst();
        assertThat(sent.topic()).isEqualTo("auto");
        assertThat(result(h.engine().topics().describe("auto")).orElseThrow().queues()).hasSize(3);
    }

    @Test
    void concurrentAutoCreatesOfOneTopicAllSucceed() throws Exception {
        h.close();
        h = new EngineHarness(kind, dir.resolve("auto"), EngineConfig.defaults().withAutoCreateTopics(true, 3));
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<List<SendResult>>> sends = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                String body = "m" + i;
                sends.add(pool.submit(() -> {
                    go.await();
                    return result(h.engine().send("raced", QueueTarget.key(body), List.of(TestMessages.text(body)), null));
                }));
            }
            go.countDown();
            for (Future<List<SendResult>> f : sends) assertThat(f.get()).hasSize(1);
        } finally {
            pool.shutdownNow();
        }
        TopicDescription t = result(h.engine().topics().describe("raced")).orElseThrow();
        assertThat(t.queues()).hasSize(3);
        assertThat(t.messages()).isEqualTo(threads);
    }

    @Test
    void aRecreatedTopicIsSeenWithItsNewQueueCount() {
        String t = h.topic(2);
        h.send(t, QueueTarget.roundRobin(), TestMessages.text("warm the cache"));
        result(h.engine().topics().delete(t));
        result(h.engine().topics().create(t, 5, Map.of()));
        Set<Integer> queues = new HashSet<>();
        for (int i = 0; i < 10; i++) queues.add(h.send(t, QueueTarget.roundRobin(), TestMessages.text("m" + i)).getFirst().queue());
        assertThat(queues).containsExactlyInAnyOrder(0, 1, 2, 3, 4);
        assertThat(h.send(t, QueueTarget.queue(4), TestMessages.text("last")).getFirst().queue()).isEqualTo(4);
    }

    @Test
    void deletingATopicEndsItsWaitingPulls() {
        String t = h.topic(1);
        CompletableFuture<PullResult> waiting = h.engine().pull(new PullRequest(t, 0, 0, 10, Duration.ofSeconds(30)));
        dev.tern.testsupport.Await.await().until(() -> ((DefaultEngine) h.engine()).waitingPulls() == 1);
        result(h.engine().topics().delete(t));
        Expect.fails(waiting, ErrorCode.TOPIC_NOT_FOUND);
    }
}
