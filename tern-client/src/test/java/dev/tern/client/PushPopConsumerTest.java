package dev.tern.client;

import dev.tern.common.message.Message;
import dev.tern.engine.EngineConfig;
import dev.tern.protocol.fixture.ServerFixture;
import dev.tern.protocol.server.NativeServerConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.stream.IntStream;

import static dev.tern.testsupport.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

/** The push-mode pop consumer and long-polling pops through a real client and server (short back-off, real time). */
@Timeout(60)
class PushPopConsumerTest {
    @TempDir
    Path dir;
    private ServerFixture node;
    private TernClient client;

    @BeforeEach
    void setUp() {
        node = ServerFixture.start(dir, EngineConfig.defaults().withAck(3, 50), NativeServerConfig.ephemeral(), UnaryOperator.identity());
        client = TernClient.connect(node.address());
        client.admin().createTopic("jobs", 4);
    }

    @AfterEach
    void tearDown() {
        client.close();
        node.close();
    }

    private void send(String... bodies) {
        try (Producer p = client.producer()) {
            for (String b : bodies) p.send("jobs", Message.of(b));
        }
    }

    private PushPopConfig config(String group) {
        return PushPopConfig.of(group, "jobs").withPollWait(Duration.ofMillis(500));
    }

    @Test
    void everyMessageOfEveryQueueIsHandledOnTheHandlerThreadsAndAckedOnce() {
        List<String> bodies = IntStream.range(0, 200).mapToObj(i -> "m" + i).toList();
        send(bodies.toArray(String[]::new));
        Set<String> threads = ConcurrentHashMap.newKeySet();
        Set<Integer> queues = ConcurrentHashMap.newKeySet();
        List<String> handled = new CopyOnWriteArrayList<>();
        try (PushPopConsumer c = client.pushPopConsumer(config("all").withThreads(4), m -> {
            threads.add(Thread.currentThread().getName());
            queues.add(m.message().queue());
            handled.add(m.bodyAsString());
            return PopHandler.Verdict.ACK;
        })) {
            await().until(() -> handled.size() >= 200);
        }
        assertThat(handled).containsExactlyInAnyOrderElementsOf(bodies);
        assertThat(queues).containsExactlyInAnyOrder(0, 1, 2, 3);
        assertThat(threads).allMatch(t -> t.startsWith("tern-pop-handler-all-"));
        assertThat(client.popConsumer("all").pop("jobs", PopConsumer.ANY_QUEUE, 100, Duration.ofSeconds(30))).as("all acked").isEmpty();
    }

    @Test
    void aNackedOrThrowingHandlerGetsTheMessageAgainUntilItAcks() {
        send("flaky", "broken");
        Map<String, List<Integer>> attempts = new ConcurrentHashMap<>();
        try (PushPopConsumer c = client.pushPopConsumer(config("retry").withThreads(2), m -> {
            attempts.computeIfAbsent(m.bodyAsString(), k -> new CopyOnWriteArrayList<>()).add(m.attempt());
            if (m.attempt() == 1 && m.bodyAsString().equals("flaky")) return PopHandler.Verdict.NACK;
            if (m.attempt() == 1) throw new IllegalStateException("first try fails");
            return PopHandler.Verdict.ACK;
        })) {
            await().until(() -> attempts.values().stream().mapToInt(List::size).sum() >= 4);
        }
        assertThat(attempts).containsOnlyKeys("flaky", "broken");
        assertThat(attempts.get("flaky")).containsExactly(1, 2);
        assertThat(attempts.get("broken")).containsExactly(1, 2);
    }

    @Test
    void aHandlerSlowerThanTheVisibilityTimeoutKeepsItsMessageWhileRenewalIsOnAndLosesItWhenOff() {
        send("slow");
        // renewal on (the default): a 4 s handler with a 1.5 s timeout sees its message once, and its ack holds
        List<Integer> renewed = new CopyOnWriteArrayList<>();
        try (PushPopConsumer c = client.pushPopConsumer(config("renewed").withInvisible(Duration.ofMillis(1_500)).withThreads(2), m -> {
            renewed.add(m.attempt());
            Thread.sleep(4_000);
            return PopHandler.Verdict.ACK;
        })) {
            await().until(() -> !renewed.isEmpty());
            // long enough for a redelivery of an unrenewed message (1.5 s + back-off) to have shown up
            await().pollDelay(Duration.ofMillis(5_000)).until(() -> true);
        }
        assertThat(renewed).containsExactly(1);
        assertThat(client.popConsumer("renewed").pop("jobs", PopConsumer.ANY_QUEUE, 10, Duration.ofSeconds(30))).as("the ack used the newest receipt").isEmpty();
        // renewal off: the same handler gets the message again while it still works on the first hand-out
        List<Integer> unrenewed = new CopyOnWriteArrayList<>();
        try (PushPopConsumer c = client.pushPopConsumer(config("unrenewed").withInvisible(Duration.ofMillis(1_500)).withThreads(2)
                .withMaxHandleTime(Duration.ZERO), m -> {
            unrenewed.add(m.attempt());
            Thread.sleep(4_000);
            return PopHandler.Verdict.ACK;
        })) {
            await().until(() -> unrenewed.size() >= 2);
        }
        assertThat(unrenewed).startsWith(1, 2);
    }

    @Test
    void closeLetsTheRunningHandlerFinishAndStopsPopping() throws Exception {
        send("slow");
        CountDownLatch started = new CountDownLatch(1), release = new CountDownLatch(1);
        List<String> handled = new CopyOnWriteArrayList<>();
        PushPopConsumer c = client.pushPopConsumer(config("closing"), m -> {
            started.countDown();
            release.await();
            handled.add(m.bodyAsString());
            return PopHandler.Verdict.ACK;
        });
        assertThat(started.await(20, TimeUnit.SECONDS)).isTrue();
        Thread closer = Thread.ofPlatform().start(c::close);
        release.countDown();
        closer.join(20_000);
        assertThat(closer.isAlive()).isFalse();
        assertThat(handled).containsExactly("slow");
        send("after close");
        PopConsumer pull = client.popConsumer("closing");
        List<String> rest = new ArrayList<>();
        await().until(() -> {
            pull.pop("jobs", PopConsumer.ANY_QUEUE, 10, Duration.ofSeconds(30)).forEach(m -> rest.add(m.bodyAsString()));
            return !rest.isEmpty();
        });
        assertThat(rest).as("the slow one was acked; nothing else was taken after close").containsExactly("after close");
        assertThat(handled).containsExactly("slow");
    }

    @Test
    void aLongPollingPopAnswersAsSoonAsAMessageIsSent() throws Exception {
        PopConsumer c = client.popConsumer("waiting");
        Duration wait = Duration.ofSeconds(30);
        var pop = c.popAsync("jobs", PopConsumer.ANY_QUEUE, 10, Duration.ofSeconds(30), false, wait);
        await().until(() -> node.engine().acks().waitingPops() == 1);
        long sentAt = System.nanoTime();
        send("now");
        List<PoppedMessage> got = pop.get(wait.toMillis() + 10_000, TimeUnit.MILLISECONDS);
        // a generous bound far below the wait: the append woke the pop, not its deadline
        assertThat(System.nanoTime() - sentAt).isLessThan(wait.toNanos() / 3);
        assertThat(got).extracting(PoppedMessage::bodyAsString).containsExactly("now");
        assertThat(c.pop("jobs", 0, 10, Duration.ofSeconds(1), false, Duration.ofMillis(50))).as("an empty wait ends empty").isEmpty();
    }

    @Test
    void aWaitingPopIsGivenUpWhenItsConnectionCloses() {
        TernClient other = TernClient.connect(node.address());
        other.popConsumer("gone").popAsync("jobs", PopConsumer.ANY_QUEUE, 10, Duration.ofSeconds(30), false, Duration.ofSeconds(30));
        await().until(() -> node.engine().acks().waitingPops() == 1);
        other.close();
        await().until(() -> node.engine().acks().waitingPops() == 0);
        send("for whoever comes next");
        assertThat(client.popConsumer("gone").pop("jobs", PopConsumer.ANY_QUEUE, 10, Duration.ofSeconds(30)))
                .as("the abandoned pop took nothing").extracting(PoppedMessage::bodyAsString).containsExactly("for whoever comes next");
    }

    @Test
    void withFifoEachMessageGroupIsHandledInOrderAcrossTheHandlerThreads() {
        List<String> sent = new ArrayList<>();
        try (Producer p = client.producer()) {
            for (int i = 1; i <= 20; i++) {
                for (String g : List.of("x", "y", "z")) {
                    String body = g + i;
                    p.send("jobs", 1, Message.builder(body.getBytes(java.nio.charset.StandardCharsets.UTF_8))
                            .properties(Map.of(PopConsumer.FIFO_GROUP_PROPERTY, g)).build());
                    sent.add(body);
                }
            }
        }
        List<String> handled = new CopyOnWriteArrayList<>();
        try (PushPopConsumer c = client.pushPopConsumer(config("ordered").withThreads(3).withFifo(true), m -> {
            handled.add(m.bodyAsString());
            return PopHandler.Verdict.ACK;
        })) {
            await().until(() -> handled.size() >= sent.size());
        }
        for (String g : List.of("x", "y", "z")) {
            assertThat(handled.stream().filter(b -> b.startsWith(g)).toList()).as("group %s", g)
                    .containsExactlyElementsOf(IntStream.rangeClosed(1, 20).mapToObj(i -> g + i).toList());
        }
    }
}
