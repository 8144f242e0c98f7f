package dev.tern.engine;

import dev.tern.common.error.ErrorCode;
import dev.tern.store.api.ReadResult;
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
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static dev.tern.testsupport.Await.await;
import static dev.tern.testsupport.Await.result;
import static org.assertj.core.api.Assertions.assertThat;

@ParameterizedClass
@EnumSource(StoreKind.class)
@Timeout(60)
class LongPollTest {
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

    private int waiting() {
        return ((DefaultEngine) h.engine()).waitingPulls();
    }

    private CompletableFuture<PullResult> longPull(String topic, int queue, long offset, Duration wait, String filter) {
        return h.engine().pull(new PullRequest(topic, queue, offset, 10, 4 << 20, wait, filter));
    }

    @Test
    void aWaitingPullReturnsAsSoonAsAMessageArrives() {
        String t = h.topic(1);
        CompletableFuture<PullResult> pull = longPull(t, 0, 0, Duration.ofSeconds(5), null);
        await().until(() -> waiting() == 1);
        assertThat(pull).isNotDone();
        long sentAt = System.nanoTime();
        h.send(t, 0, TestMessages.text("hello"));
        // well before the 5 s the pull would otherwise wait
        await().atMost(Duration.ofSeconds(3)).until(pull::isDone);
        assertThat(Duration.ofNanos(System.nanoTime() - sentAt)).isLessThan(Duration.ofSeconds(3));
        try (PullResult r = result(pull)) {
            assertThat(r.status()).isEqualTo(ReadResult.Status.FOUND);
            assertThat(r.records()).hasSize(1);
            assertThat(r.records().getFirst().message().bodyAsString()).isEqualTo("hello");
            assertThat(r.nextOffset()).isEqualTo(1);
        }
        assertThat(waiting()).isZero();
    }

    @Test
    void anEmptyPullReturnsAfterItsMaxWait() {
        String t = h.topic(1);
        long start = System.nanoTime();
        try (PullResult r = result(longPull(t, 0, 0, Duration.ofMillis(300), null))) {
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertThat(r.status()).isEqualTo(ReadResult.Status.NO_MESSAGES);
            assertThat(r.records()).isEmpty();
            assertThat(r.nextOffset()).isZero();
            assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(290)).isLessThan(Duration.ofSeconds(10));
        }
        assertThat(waiting()).isZero();
    }

    @Test
    void maxWaitIsCappedByTheConfiguration() {
        h.close();
        h = new EngineHarness(kind, dir.resolve("capped"), EngineConfig.defaults().withMaxPullWaitMs(200));
        String t = h.topic(1);
        CompletableFuture<PullResult> pull = longPull(t, 0, 0, Duration.ofDays(365), null);
        await().atMost(Duration.ofSeconds(10)).until(pull::isDone);
        assertThat(result(pull).status()).isEqualTo(ReadResult.Status.NO_MESSAGES);
    }

    @Test
    void aPullWithoutWaitAnswersAtOnce() {
        String t = h.topic(1);
        try (PullResult r = result(longPull(t, 0, 0, Duration.ZERO, null))) {
            assertThat(r.status()).isEqualTo(ReadResult.Status.NO_MESSAGES);
        }
        try (PullResult r = result(longPull(t, 0, 0, null, null))) {
            assertThat(r.status()).isEqualTo(ReadResult.Status.NO_MESSAGES);
        }
        assertThat(waiting()).isZero();
    }

    @Test
    void anAppendToAnotherQueueDoesNotWakeThePull() {
        String t = h.topic(2);
        CompletableFuture<PullResult> pull = longPull(t, 0, 0, Duration.ofMillis(500), null);
        await().until(() -> waiting() == 1);
        h.send(t, 1, TestMessages.text("elsewhere"));
        try (PullResult r = result(pull)) {
            assertThat(r.status()).isEqualTo(ReadResult.Status.NO_MESSAGES);
        }
    }

    @Test
    void oneAppendWakesEveryPullWaitingOnTheQueue() {
        String t = h.topic(1);
        List<CompletableFuture<PullResult>> pulls = new ArrayList<>();
        for (int i = 0; i < 10; i++) pulls.add(longPull(t, 0, 0, Duration.ofSeconds(20), null));
        await().until(() -> waiting() == 10);
        h.send(t, 0, TestMessages.text("for all"));
        for (CompletableFuture<PullResult> p : pulls) {
            try (PullResult r = result(p)) {
                assertThat(r.records()).hasSize(1);
            }
        }
    }

    @Test
    void aPullAtAnOffsetAlreadyPassedReturnsAtOnce() {
        String t = h.topic(1);
        h.send(t, 0, TestMessages.text("a"));
        try (PullResult r = result(longPull(t, 0, 0, Duration.ofSeconds(20), null))) {
            assertThat(r.records()).hasSize(1);
        }
    }

    @Test
    void closingTheEngineEndsWaitingPullsButNotTheStore() {
        String t = h.topic(1);
        CompletableFuture<PullResult> pull = longPull(t, 0, 0, Duration.ofSeconds(20), null);
        await().until(() -> waiting() == 1);
        h.engine().close();
        Expect.fails(pull, ErrorCode.STORE_CLOSED);
        Expect.fails(longPull(t, 0, 0, Duration.ZERO, null), ErrorCode.STORE_CLOSED);
        Expect.fails(h.engine().send(t, QueueTarget.roundRobin(), List.of(TestMessages.text("x")), null), ErrorCode.STORE_CLOSED);
        Expect.fails(h.engine().groups().list(), ErrorCode.STORE_CLOSED);
        assertThat(result(h.store().log().range(t, 0)).nextOffset()).isZero();
        h.engine().close(); // idempotent
    }

    @Test
    void aCancelledPullLeavesTheWaiters() {
        String t = h.topic(1);
        CompletableFuture<PullResult> pull = longPull(t, 0, 0, Duration.ofSeconds(20), null);
        await().until(() -> waiting() == 1);
        pull.cancel(false);
        await().until(() -> waiting() == 0);
        h.send(t, 0, TestMessages.text("nobody waits"));
    }

    @Test
    void aFilteredPullKeepsWaitingPastMessagesItSkips() {
        String t = h.topic(1);
        CompletableFuture<PullResult> pull = longPull(t, 0, 0, Duration.ofSeconds(20), "A");
        await().until(() -> waiting() == 1);
        h.send(t, 0, TestMessages.tagged("skip me", "B"));
        // woken, it reads past the B and waits again, now at offset 1
        await().until(() -> waiting() == 1 && !pull.isDone());
        h.send(t, 0, TestMessages.tagged("take me", "A"));
        try (PullResult r = result(pull)) {
            assertThat(r.records()).extracting(rec -> rec.message().bodyAsString()).containsExactly("take me");
            assertThat(r.records().getFirst().queueOffset()).isEqualTo(1);
            assertThat(r.nextOffset()).isEqualTo(2);
        }
    }

    @Test
    void aFilteredPullThatFindsNothingReturnsTheOffsetItReached() {
        String t = h.topic(1);
        for (int i = 0; i < 5; i++) h.send(t, 0, TestMessages.tagged("b" + i, "B"));
        try (PullResult r = result(longPull(t, 0, 0, Duration.ofMillis(200), "A"))) {
            assertThat(r.status()).isEqualTo(ReadResult.Status.NO_MESSAGES);
            assertThat(r.nextOffset()).isEqualTo(5);
        }
    }
}
