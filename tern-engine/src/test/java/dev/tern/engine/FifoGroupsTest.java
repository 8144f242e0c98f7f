package dev.tern.engine;

import dev.tern.common.Clock;
import dev.tern.common.message.Message;
import dev.tern.common.message.StoredMessage;
import dev.tern.testsupport.ManualClock;
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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.tern.testsupport.Await.await;
import static dev.tern.testsupport.Await.result;
import static org.assertj.core.api.Assertions.assertThat;

/** FIFO message groups over pop/ack/nack, on both stores: order per group, one in flight, a failing message holds only its group. */
@ParameterizedClass
@EnumSource(StoreKind.class)
@Timeout(60)
class FifoGroupsTest {
    static final Duration INVISIBLE = Duration.ofSeconds(30);
    @Parameter
    StoreKind kind;
    @TempDir
    Path dir;
    final ManualClock clock = new ManualClock(1_800_000_000_000L);
    EngineHarness h;
    String topic;

    @BeforeEach
    void open() {
        h = new EngineHarness(kind, dir, Clock.SYSTEM, EngineConfig.defaults().withClock(clock).withAck(3, 1000), EngineMetrics.NONE);
        topic = h.topic(1);
        // interleaved: a1 b1 a2 b2 a3 b3 c1
        for (int i = 1; i <= 3; i++) {
            send("a", "a" + i);
            send("b", "b" + i);
        }
        send("c", "c1");
    }

    @AfterEach
    void close() {
        h.close();
    }

    private void send(String group, String body) {
        h.send(topic, 0, new Message(body.getBytes(StandardCharsets.UTF_8), List.of(), null,
                Map.of(AckConsumer.FIFO_GROUP_PROPERTY, group), 0, 0, -1));
    }

    private List<Popped> pop(int max) {
        return result(h.engine().acks().pop("g", topic, 0, max, INVISIBLE, true));
    }

    private static List<String> bodies(List<Popped> popped) {
        return popped.stream().map(p -> p.message().bodyAsString()).toList();
    }

    private void ack(Popped p) {
        result(h.engine().acks().ack(p.receipt()));
    }

    @Test
    void oneMessageOfEachGroupInFlightInOrder() {
        List<Popped> first = pop(100);
        assertThat(bodies(first)).containsExactly("a1", "b1", "c1");
        assertThat(pop(100)).as("every group has its message in flight").isEmpty();
        ack(first.get(0));
        assertThat(bodies(pop(100))).containsExactly("a2");
        ack(first.get(1));
        ack(first.get(2));
        List<Popped> next = pop(100);
        assertThat(bodies(next)).containsExactly("b2");
        ack(next.getFirst());
        List<String> rest = new ArrayList<>();
        for (int round = 0; round < 10; round++) {
            List<Popped> got = pop(100);
            rest.addAll(bodies(got));
            got.forEach(this::ack);
        }
        assertThat(rest).as("a2 is still in flight, so a3 waits").containsExactly("b3");
    }

    @Test
    void aNackedMessageHoldsOnlyItsGroupAndComesBackBeforeTheGroupsLaterMessages() {
        List<Popped> first = pop(100);
        Popped a1 = first.get(0);
        result(h.engine().acks().nack(a1.receipt()));
        ack(first.get(1)); // b1
        ack(first.get(2)); // c1
        assertThat(bodies(pop(100))).as("b goes on while a1 waits for its back-off").containsExactly("b2");
        clock.advance(1001);
        await().untilAsserted(() -> {
            List<Popped> again = pop(100);
            assertThat(bodies(again)).containsExactly("a1");
            assertThat(again.getFirst().attempt()).isEqualTo(2);
            ack(again.getFirst());
        });
        assertThat(bodies(pop(100))).containsExactly("a2");
    }

    @Test
    void anExpiredMessageHoldsOnlyItsGroup() {
        List<Popped> first = pop(100);
        ack(first.get(1));
        ack(first.get(2));
        List<Popped> b2 = pop(100);
        assertThat(bodies(b2)).containsExactly("b2");
        clock.advance(INVISIBLE.toMillis() + 1); // a1 and b2 expire
        await().untilAsserted(() -> assertThat(bodies(pop(100))).containsExactly("a1", "b2"));
    }

    @Test
    void aDeadLetteredMessageReleasesItsGroup() {
        Popped a1 = pop(100).getFirst();
        for (int attempt = 1; attempt <= 3; attempt++) {
            result(h.engine().acks().nack(a1.receipt()));
            clock.advance(1000L << (attempt - 1));
            if (attempt == 3) break;
            Popped[] again = new Popped[1];
            await().untilAsserted(() -> {
                List<Popped> got = pop(100).stream().filter(p -> p.message().bodyAsString().equals("a1")).toList();
                assertThat(got).hasSize(1);
                again[0] = got.getFirst();
            });
            a1 = again[0];
        }
        await().ignoreExceptions().untilAsserted(() -> assertThat(h.pullAll(Reviver.deadLetterTopic("g"), 0, 0, null))
                .extracting(StoredMessage::bodyAsString).containsExactly("a1"));
        await().untilAsserted(() -> assertThat(bodies(pop(100))).contains("a2"));
    }

    @Test
    void aPlainPopIgnoresGroups() {
        assertThat(bodies(result(h.engine().acks().pop("plain", topic, 0, 100, INVISIBLE))))
                .containsExactly("a1", "b1", "a2", "b2", "a3", "b3", "c1");
    }

    @Test
    void theOrderSurvivesARestart() {
        org.junit.jupiter.api.Assumptions.assumeTrue(kind == StoreKind.LOCAL, "only the local store keeps data across a restart");
        List<Popped> first = pop(100);
        result(h.engine().acks().nack(first.get(0).receipt())); // a1 failed
        ack(first.get(1)); // b1 done: b2 is next
        h.restart();
        assertThat(bodies(pop(100))).as("a waits for a1, c1 still in flight").containsExactly("b2");
        clock.advance(1001);
        await().untilAsserted(() -> {
            List<Popped> again = pop(100);
            assertThat(bodies(again)).containsExactly("a1");
            ack(again.getFirst());
        });
        List<Popped> a2 = pop(100);
        assertThat(bodies(a2)).containsExactly("a2");
        h.restart();
        ack(a2.getFirst());
        assertThat(bodies(pop(100))).containsExactly("a3");
    }
}
