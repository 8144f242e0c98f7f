package dev.tern.engine;

import dev.tern.common.Clock;
import dev.tern.common.error.ErrorCode;
import dev.tern.testsupport.ManualClock;
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
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static dev.tern.testsupport.Await.await;
import static dev.tern.testsupport.Await.result;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Pops that wait (woken by appends, by redeliveries coming due, by FIFO groups moving on), pops of every
 * queue of a topic, and where a group's first pop starts; on both stores, the engine's clock moved by hand.
 */
@ParameterizedClass
@EnumSource(StoreKind.class)
@Timeout(60)
class LongPopTest {
    static final Duration INVISIBLE = Duration.ofSeconds(30);
    static final Duration LONG = Duration.ofSeconds(30);
    @Parameter
    StoreKind kind;
    @TempDir
    Path dir;
    final ManualClock clock = new ManualClock(1_800_000_000_000L);
    EngineHarness h;

    @BeforeEach
    void open() {
        h = new EngineHarness(kind, dir, Clock.SYSTEM, EngineConfig.defaults().withClock(clock).withAck(3, 1000), EngineMetrics.NONE);
    }

    @AfterEach
    void close() {
        h.close();
    }

    private int waiting() {
        return h.engine().acks().waitingPops();
    }

    private CompletableFuture<List<Popped>> pop(String topic, int queue, int max, boolean fifo, Duration wait) {
        return h.engine().acks().pop(new PopRequest("g", topic, queue, max, INVISIBLE, fifo, wait));
    }

    private static List<String> bodies(List<Popped> popped) {
        return popped.stream().map(p -> p.message().bodyAsString()).toList();
    }

    @Test
    void aWaitingPopAnswersAsSoonAsAMessageArrives() throws Exception {
        String t = h.topic(1);
        CompletableFuture<List<Popped>> pop = pop(t, 0, 10, false, LONG);
        await().until(() -> waiting() == 1);
        assertThat(pop).isNotDone();
        long sentAt = System.nanoTime();
        h.send(t, 0, TestMessages.text("hello"));
        List<Popped> got = pop.get(LONG.toMillis(), TimeUnit.MILLISECONDS);
        // a generous bound, far below the wait: woken by the append, not by the deadline
        assertThat(System.nanoTime() - sentAt).isLessThan(LONG.toNanos() / 3);
        assertThat(bodies(got)).containsExactly("hello");
        await().until(() -> waiting() == 0);
    }

    @Test
    void aPopThatFindsSomethingDoesNotWaitAndOneThatFindsNothingAnswersEmptyAtItsDeadline() {
        String t = h.topic(1);
        h.send(t, 0, TestMessages.text("there"));
        assertThat(bodies(result(pop(t, 0, 10, false, LONG)))).containsExactly("there");
        assertThat(result(pop(t, 0, 10, false, Duration.ofMillis(100)))).isEmpty();
        assertThat(waiting()).isZero();
    }

    @Test
    void aWaitingPopAnswersWhenANackedMessageComesDue() {
        String t = h.topic(1);
        h.send(t, 0, TestMessages.text("again"));
        Popped first = result(pop(t, 0, 10, false, Duration.ZERO)).getFirst();
        result(h.engine().acks().nack(first.receipt()));
        CompletableFuture<List<Popped>> pop = pop(t, 0, 10, false, LONG);
        await().until(() -> waiting() == 1);
        clock.advance(1001); // the back-off of a first nack is 1 s
        List<Popped> got = result(pop);
        assertThat(bodies(got)).containsExactly("again");
        assertThat(got.getFirst().attempt()).isEqualTo(2);
    }

    @Test
    void aWaitingFifoPopAnswersWhenTheGroupMovesOn() {
        String t = h.topic(1);
        for (String s : List.of("x1", "x2")) {
            h.send(t, 0, dev.tern.common.message.Message.builder(s.getBytes()).properties(Map.of(AckConsumer.FIFO_GROUP_PROPERTY, "x")).build());
        }
        Popped x1 = result(pop(t, 0, 10, true, Duration.ZERO)).getFirst();
        CompletableFuture<List<Popped>> pop = pop(t, 0, 10, true, LONG);
        await().until(() -> waiting() == 1);
        assertThat(pop).as("x2 waits for x1").isNotDone();
        result(h.engine().acks().ack(x1.receipt()));
        assertThat(bodies(result(pop))).containsExactly("x2");
    }

    @Test
    void aPopOfEveryQueueServesThemAllAndStartsAtTheNextQueueEachTime() {
        String t = h.topic(4);
        for (int q = 0; q < 4; q++) for (int i = 0; i < 3; i++) h.send(t, q, TestMessages.text("q" + q + "-" + i));
        List<Integer> firstQueues = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            List<Popped> one = result(pop(t, PopRequest.ANY_QUEUE, 1, false, Duration.ZERO));
            firstQueues.add(one.getFirst().receipt().queue());
        }
        assertThat(firstQueues).as("one pop per queue, in turn").containsExactlyInAnyOrder(0, 1, 2, 3);
        List<Popped> rest = result(pop(t, PopRequest.ANY_QUEUE, 100, false, Duration.ZERO));
        assertThat(bodies(rest)).containsExactlyInAnyOrder("q0-1", "q0-2", "q1-1", "q1-2", "q2-1", "q2-2", "q3-1", "q3-2");
        for (Popped p : rest) assertThat(p.message().bodyAsString()).startsWith("q" + p.receipt().queue() + "-");
    }

    @Test
    void aWaitingPopOfEveryQueueWakesForAnyOfThem() {
        String t = h.topic(3);
        CompletableFuture<List<Popped>> pop = pop(t, PopRequest.ANY_QUEUE, 10, false, LONG);
        await().until(() -> waiting() == 1);
        h.send(t, 2, TestMessages.text("late"));
        List<Popped> got = result(pop);
        assertThat(bodies(got)).containsExactly("late");
        assertThat(got.getFirst().receipt().queue()).isEqualTo(2);
    }

    @Test
    void aGroupsFirstPopStartsAtItsCommittedOffset() {
        String t = h.topic(1);
        for (int i = 0; i < 5; i++) h.send(t, 0, TestMessages.text("m" + i));
        result(h.engine().groups().commit("g", null, t, 0, 3));
        assertThat(bodies(result(pop(t, 0, 10, false, Duration.ZERO)))).containsExactly("m3", "m4");
        assertThat(bodies(result(h.engine().acks().pop("fresh", t, 0, 10, INVISIBLE)))).as("no commit: the first kept offset")
                .containsExactly("m0", "m1", "m2", "m3", "m4");
    }

    @Test
    void cancellingOrClosingTheEngineEndsAWaitingPop() {
        String t = h.topic(1);
        CompletableFuture<List<Popped>> cancelled = pop(t, 0, 10, false, LONG);
        await().until(() -> waiting() == 1);
        cancelled.cancel(false);
        await().until(() -> waiting() == 0);
        CompletableFuture<List<Popped>> pop = pop(t, PopRequest.ANY_QUEUE, 10, false, LONG);
        await().until(() -> waiting() == 1);
        h.engine().close();
        Expect.fails(pop, ErrorCode.STORE_CLOSED);
        Expect.fails(pop(t, 0, 10, false, LONG), ErrorCode.STORE_CLOSED);
    }

    @Test
    void aDeletedTopicEndsAWaitingPopWithTopicNotFound() {
        String t = h.topic(1);
        CompletableFuture<List<Popped>> pop = pop(t, PopRequest.ANY_QUEUE, 10, false, LONG);
        await().until(() -> waiting() == 1);
        result(h.engine().topics().delete(t));
        Expect.fails(pop, ErrorCode.TOPIC_NOT_FOUND);
        Expect.fails(pop(t, -2, 1, false, Duration.ZERO), ErrorCode.QUEUE_NOT_FOUND);
    }
}
