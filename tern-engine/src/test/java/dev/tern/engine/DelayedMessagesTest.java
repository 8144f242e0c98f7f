package dev.tern.engine;

import dev.tern.common.Clock;
import dev.tern.common.error.ErrorCode;
import dev.tern.common.message.Message;
import dev.tern.common.message.StoredMessage;
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

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static dev.tern.testsupport.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

/** Delayed messages on both stores, with the engine's clock jumped by hand (the store keeps real time). */
@ParameterizedClass
@EnumSource(StoreKind.class)
@Timeout(60)
class DelayedMessagesTest {
    static final long T0 = 1_800_000_000_000L;
    @Parameter
    StoreKind kind;
    @TempDir
    Path dir;
    final ManualClock clock = new ManualClock(T0);
    EngineHarness h;

    @BeforeEach
    void open() {
        h = new EngineHarness(kind, dir, Clock.SYSTEM, EngineConfig.defaults().withClock(clock).withMaxDelayMs(3_600_000), EngineMetrics.NONE);
    }

    @AfterEach
    void close() {
        h.close();
    }

    static Message at(String body, long dueMs) {
        return Message.builder(body.getBytes(StandardCharsets.UTF_8)).deliverAt(dueMs).build();
    }

    private List<String> bodies(String topic, int queue) {
        return h.pullAll(topic, queue, 0, null).stream().map(StoredMessage::bodyAsString).toList();
    }

    @Test
    void aDelayedMessageIsAppendedOnlyOnceItIsDueAndInDueOrder() {
        String t = h.topic(1);
        SendResult r = h.send(t, 0, at("late", T0 + 2_000));
        h.send(t, 0, at("early", T0 + 1_000));
        h.send(t, 0, TestMessages.text("now"));
        assertThat(r.queueOffset()).isEqualTo(-1);
        assertThat(r.messageId()).isEqualTo(DelayedSends.NOT_YET);
        assertThat(bodies(t, 0)).containsExactly("now");

        clock.advance(1_000);
        await().untilAsserted(() -> assertThat(bodies(t, 0)).containsExactly("now", "early"));
        clock.advance(1_000);
        await().untilAsserted(() -> assertThat(bodies(t, 0)).containsExactly("now", "early", "late"));
        StoredMessage late = h.pullAll(t, 0, 2, null).getFirst();
        assertThat(late.properties()).containsEntry(Message.DELIVER_AT, Long.toString(T0 + 2_000));
    }

    @Test
    void aBatchMixingDelayedAndImmediateMessagesIsKeptWholeAndGoesToTheQueueOfItsKey() {
        String t = h.topic(4);
        List<SendResult> rs = h.send(t, QueueTarget.key("k"), TestMessages.text("a"), at("b", T0 + 500));
        int queue = rs.getFirst().queue();
        assertThat(rs).extracting(SendResult::queue).containsOnly(queue);
        await().untilAsserted(() -> assertThat(bodies(t, queue)).containsExactly("a"));
        clock.advance(500);
        await().untilAsserted(() -> assertThat(bodies(t, queue)).containsExactly("a", "b"));
    }

    @Test
    void aDueTimerFiresWhileManyLaterOnesWait() {
        String t = h.topic(2);
        List<Message> later = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) later.add(at("later-" + i, T0 + 60_000 + i));
        h.send(t, QueueTarget.queue(1), later.toArray(Message[]::new));
        h.send(t, 0, at("due", T0 + 10));
        clock.advance(10);
        await().untilAsserted(() -> assertThat(bodies(t, 0)).containsExactly("due"));
        assertThat(bodies(t, 1)).isEmpty();
        clock.advance(70_000);
        await().untilAsserted(() -> assertThat(bodies(t, 1)).hasSize(2_000));
        assertThat(bodies(t, 1).getFirst()).isEqualTo("later-0");
    }

    @Test
    void aDelayPastTheHorizonOrAnUnreadableTimeIsRefused() {
        String t = h.topic(1);
        var e = Expect.fails(h.engine().send(t, QueueTarget.queue(0), List.of(at("x", T0 + 3_600_001)), null), ErrorCode.INVALID_ARGUMENT);
        assertThat(e.getMessage()).contains("delay.max.ms");
        Message bad = Message.builder(new byte[0]).properties(java.util.Map.of(Message.DELIVER_AT, "soon")).build();
        Expect.fails(h.engine().send(t, QueueTarget.queue(0), List.of(bad), null), ErrorCode.INVALID_ARGUMENT);
        assertThat(bodies(t, 0)).isEmpty();
    }

    @Test
    void aTimerForADeletedTopicIsDroppedAndTheTimerGoesOn() {
        String gone = h.topic(1);
        String kept = h.topic(1);
        h.send(gone, 0, at("lost", T0 + 100));
        h.send(kept, 0, at("kept", T0 + 200));
        dev.tern.testsupport.Await.result(h.engine().topics().delete(gone));
        clock.advance(200);
        await().untilAsserted(() -> assertThat(bodies(kept, 0)).containsExactly("kept"));
    }

    @Test
    void pendingTimersFireAfterARestart() {
        org.junit.jupiter.api.Assumptions.assumeTrue(kind == StoreKind.LOCAL, "only the local store keeps data across a restart");
        String t = h.topic(1);
        h.send(t, 0, at("survivor", T0 + 30_000));
        h.restart();
        assertThat(bodies(t, 0)).isEmpty();
        clock.advance(30_000);
        await().untilAsserted(() -> assertThat(bodies(t, 0)).containsExactly("survivor"));
    }
}
