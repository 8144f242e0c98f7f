package dev.tern.engine;

import dev.tern.common.error.ErrorCode;
import dev.tern.common.error.TernException;
import dev.tern.common.message.Message;
import dev.tern.testsupport.TestMessages;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.tern.testsupport.Await.result;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The engine's limits: topics per node, queues per topic, waiting long polls; each an explicit LIMIT_EXCEEDED naming its key. */
@ParameterizedClass
@EnumSource(StoreKind.class)
@Timeout(60)
class EngineLimitsTest {
    @Parameter
    StoreKind kind;
    @TempDir
    Path dir;
    EngineHarness h;

    @AfterEach
    void close() {
        if (h != null) h.close();
    }

    private void open(EngineConfig config, EngineMetrics metrics) {
        h = new EngineHarness(kind, dir, dev.tern.common.Clock.SYSTEM, config, metrics);
    }

    private static EngineConfig limited(EngineLimits limits) {
        return EngineConfig.defaults().withLimits(limits);
    }

    @Test
    void creatingATopicPastTopicMaxCountIsRefusedAndDeletingOneFreesItsPlace() {
        open(limited(EngineLimits.defaults().withMaxTopics(3)), EngineMetrics.NONE);
        for (String t : List.of("a", "b", "c")) result(h.engine().topics().create(t, 1, Map.of()));
        TernException e = Expect.fails(h.engine().topics().create("d", 1, Map.of()), ErrorCode.LIMIT_EXCEEDED);
        assertThat(e.getMessage()).contains("topic.max.count").contains("3").contains("'d'");
        assertThat(result(h.engine().topics().describe("d"))).isEmpty();

        result(h.engine().topics().delete("b"));
        result(h.engine().topics().create("d", 1, Map.of()));
        assertThat(result(h.engine().topics().list())).extracting(TopicDescription::name).containsExactly("a", "c", "d");
    }

    @Test
    void theTopicsOfTheStoreCountAfterARestart() {
        open(limited(EngineLimits.defaults().withMaxTopics(2)), EngineMetrics.NONE);
        result(h.engine().topics().create("a", 1, Map.of()));
        result(h.engine().topics().create("b", 1, Map.of()));
        if (kind != StoreKind.MEMORY) {
            h.restart();
            Expect.fails(h.engine().topics().create("c", 1, Map.of()), ErrorCode.LIMIT_EXCEEDED);
        }
        Expect.fails(h.engine().topics().create("c", 1, Map.of()), ErrorCode.LIMIT_EXCEEDED);
        Expect.fails(h.engine().topics().create("a", 1, Map.of()), ErrorCode.TOPIC_EXISTS); // full, but it is there: a lost race
    }

    @Test
    void concurrentAutoCreationsStopExactlyAtTheLimit() {
        open(limited(EngineLimits.defaults().withMaxTopics(5)).withAutoCreateTopics(true, 1), EngineMetrics.NONE);
        List<CompletableFuture<List<SendResult>>> sends = new ArrayList<>();
        for (int i = 0; i < 500; i++) sends.add(h.engine().send("new-" + i, QueueTarget.roundRobin(), List.of(Message.of("x")), null));
        int stored = 0;
        for (var s : sends) {
            try {
                s.join();
                stored++;
            } catch (java.util.concurrent.CompletionException e) {
                assertThat(e.getCause()).isInstanceOfSatisfying(TernException.class, t -> assertThat(t.code()).isEqualTo(ErrorCode.LIMIT_EXCEEDED));
            }
        }
        assertThat(stored).isEqualTo(5);
        assertThat(result(h.engine().topics().list())).hasSize(5);
    }

    @Test
    void aTopicWithMoreQueuesThanTopicMaxQueuesIsRefused() {
        open(limited(EngineLimits.defaults().withMaxQueues(8)), EngineMetrics.NONE);
        TernException e = Expect.fails(h.engine().topics().create("wide", 9, Map.of()), ErrorCode.LIMIT_EXCEEDED);
        assertThat(e.getMessage()).contains("topic.max.queues").contains("8");
        assertThat(result(h.engine().topics().create("wide", 8, Map.of())).info().queues()).isEqualTo(8);
        assertThatThrownBy(() -> EngineConfig.defaults().withAutoCreateTopics(true, 9).withLimits(EngineLimits.defaults().withMaxQueues(8))
                .validate()).hasMessageContaining("topic.max.queues");
    }

    @Test
    void sendsToMissingTopicsAtTheLimitCreateNothingAndCountOnlyByErrorCode() {
        RecordingMetrics metrics = new RecordingMetrics();
        open(limited(EngineLimits.defaults().withMaxTopics(2)).withAutoCreateTopics(true, 2), metrics);
        h.send("first", QueueTarget.roundRobin(), TestMessages.text("x"));
        h.send("second", QueueTarget.roundRobin(), TestMessages.text("x"));
        List<CompletableFuture<List<SendResult>>> sends = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) sends.add(h.engine().send("missing-" + i, QueueTarget.roundRobin(), List.of(Message.of("x")), null));
        for (var s : sends) assertThat(Expect.fails(s, ErrorCode.LIMIT_EXCEEDED).getMessage()).contains("topic.max.count");
        assertThat(result(h.engine().topics().list())).extracting(TopicDescription::name).containsExactly("first", "second");
        assertThat(metrics.failures).containsOnlyKeys(ErrorCode.LIMIT_EXCEEDED);
        assertThat(metrics.failures.get(ErrorCode.LIMIT_EXCEEDED)).hasValue(2_000);
        assertThat(metrics.sentTopics).containsOnly("first", "second");
    }

    @Test
    void waitingLongPollsPastPullMaxWaitingAreRefusedButPollsThatDoNotWaitAreServed() {
        open(limited(EngineLimits.defaults().withMaxLongPolls(2)), EngineMetrics.NONE);
        String t = h.topic(1);
        Duration wait = Duration.ofSeconds(30);
        CompletableFuture<PullResult> first = h.engine().pull(new PullRequest(t, 0, 0, 10, wait));
        CompletableFuture<List<Popped>> second = h.engine().acks().pop(new PopRequest("g", t, 0, 10, Duration.ofSeconds(30), false, wait));

        TernException e = Expect.fails(h.engine().pull(new PullRequest(t, 0, 0, 10, wait)), ErrorCode.LIMIT_EXCEEDED);
        assertThat(e.getMessage()).contains("pull.max.waiting").contains("2");
        Expect.fails(h.engine().acks().pop(new PopRequest("g", t, 0, 10, Duration.ofSeconds(30), false, wait)), ErrorCode.LIMIT_EXCEEDED);
        Expect.fails(h.engine().transactions().pollChecks("producers", 10, wait), ErrorCode.LIMIT_EXCEEDED);
        try (PullResult now = h.pull(t, 0, 0, 10)) {
            assertThat(now.records()).isEmpty(); // no wait: not counted
        }

        first.cancel(false); // a caller gone frees its place
        CompletableFuture<PullResult> third = h.engine().pull(new PullRequest(t, 0, 0, 10, wait));
        h.send(t, 0, TestMessages.text("wakes them"));
        try (PullResult r = result(third)) {
            assertThat(r.records()).hasSize(1);
        }
        assertThat(result(second)).hasSize(1);
        result(h.engine().pull(new PullRequest(t, 0, 1, 10, Duration.ofMillis(1)))).close(); // places given back once answered
    }

    /** Counts what the engine reports: which topics were sent to, and failures by code. */
    static final class RecordingMetrics implements EngineMetrics {
        final Map<ErrorCode, AtomicInteger> failures = new ConcurrentHashMap<>();
        final java.util.Set<String> sentTopics = ConcurrentHashMap.newKeySet();

        @Override
        public void sent(String topic, int messages, long bodyBytes, long latencyNanos) {
            sentTopics.add(topic);
        }

        @Override
        public void sendFailed(String topic, ErrorCode code) {
            failures.computeIfAbsent(code, c -> new AtomicInteger()).incrementAndGet();
        }
    }
}
