package dev.tern.server;

import dev.tern.client.Consumer;
import dev.tern.client.ConsumerConfig;
import dev.tern.client.PopConsumer;
import dev.tern.client.PopHandler;
import dev.tern.client.PoppedMessage;
import dev.tern.client.Producer;
import dev.tern.client.PushPopConfig;
import dev.tern.client.PushPopConsumer;
import dev.tern.client.ReceivedMessage;
import dev.tern.client.TernClient;
import dev.tern.common.message.Message;
import dev.tern.engine.Receipt;
import dev.tern.engine.StartPosition;
import dev.tern.server.config.NodeConfig;
import dev.tern.server.node.TernNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static dev.tern.testsupport.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Per-message acknowledgement end to end: a whole node ({@link TernNode}) on ephemeral ports and the real
 * client, with the node stopped and started again on the same data directory (and native port, so one
 * client carries on) in the middle. Real time, with short visibility timeouts and back-off.
 */
@Timeout(120)
class PopEndToEndTest {
    static final Duration SHORT = Duration.ofMillis(800);
    static final Duration LONG_WAIT = Duration.ofSeconds(20);
    @TempDir
    Path dir;
    private TernNode node;
    private int nativePort;
    private TernClient client;

    @BeforeEach
    void start() throws Exception {
        node = startNode(0);
        nativePort = node.nativePort();
        client = TernClient.connect("127.0.0.1:" + nativePort);
    }

    @AfterEach
    void stop() {
        if (client != null) client.close();
        if (node != null) node.close();
    }

    private TernNode startNode(int port) throws Exception {
        return TernNode.start(NodeConfig.resolve(null, Map.of(), Map.of("data.dir", dir.resolve("data").toString(),
                "native.port", Integer.toString(port), "http.port", "0", "mqtt.port", "-1",
                "ack.max.attempts", "3", "ack.retry.backoff.ms", "50")));
    }

    /** Stops the node and starts it again on the same data directory and native port. */
    private void restart() throws Exception {
        node.close();
        node = null;
        node = startNode(nativePort);
    }

    private void send(String topic, int queue, String... bodies) {
        try (Producer p = client.producer()) {
            for (String b : bodies) p.send(topic, queue, Message.of(b));
        }
    }

    private static Message fifo(String body, String group) {
        return Message.builder(body.getBytes(StandardCharsets.UTF_8)).properties(Map.of(PopConsumer.FIFO_GROUP_PROPERTY, group)).build();
    }

    /** A long-polling pop of every queue of {@code topic}. */
    private static List<PoppedMessage> waitFor(PopConsumer c, String topic, boolean fifo) {
        return c.pop(topic, PopConsumer.ANY_QUEUE, 10, Duration.ofSeconds(30), fifo, LONG_WAIT);
    }

    @Test
    void aMessagePoppedAndNotAckedIsRedeliveredAfterARestartOnceItsVisibilityTimeoutPasses() throws Exception {
        client.admin().createTopic("jobs", 2);
        send("jobs", 1, "job");
        PopConsumer c = client.popConsumer("workers");
        List<PoppedMessage> first = c.pop("jobs", PopConsumer.ANY_QUEUE, 10, SHORT);
        assertThat(first).extracting(PoppedMessage::bodyAsString).containsExactly("job");
        long deadline = Receipt.parse(first.getFirst().receipt()).deadline();

        restart();

        List<PoppedMessage> again = waitFor(c, "jobs", false);
        assertThat(System.currentTimeMillis()).as("not before its visibility timeout").isGreaterThanOrEqualTo(deadline);
        assertThat(again).extracting(PoppedMessage::bodyAsString).containsExactly("job");
        assertThat(again.getFirst().attempt()).isEqualTo(2);
        c.ack(again.getFirst());
        assertThat(c.pop("jobs", PopConsumer.ANY_QUEUE, 10, SHORT, false, Duration.ofMillis(300))).isEmpty();
    }

    @Test
    void aNackedMessageIsRedeliveredAcrossRestartsAndDeadLetteredAfterMaxAttempts() throws Exception {
        client.admin().createTopic("work", 1);
        send("work", 0, "poison", "fine");
        PopConsumer c = client.popConsumer("strict");
        for (PoppedMessage m : c.pop("work", 0, 10, Duration.ofSeconds(30))) {
            if (m.bodyAsString().equals("poison")) c.nack(m);
            else c.ack(m);
        }
        for (int attempt = 2; attempt <= 3; attempt++) {
            restart();
            List<PoppedMessage> got = waitFor(c, "work", false);
            assertThat(got).extracting(PoppedMessage::bodyAsString).containsExactly("poison");
            assertThat(got.getFirst().attempt()).isEqualTo(attempt);
            c.nack(got.getFirst());
        }
        restart();
        Consumer reader = client.consumer(ConsumerConfig.noGroup());
        List<ReceivedMessage> dead = new ArrayList<>();
        await().ignoreExceptions().until(() -> {
            dead.addAll(reader.pull("%DLQ%strict", 0, 0, 10, Duration.ZERO).messages());
            return !dead.isEmpty();
        });
        assertThat(dead).extracting(ReceivedMessage::bodyAsString).containsExactly("poison");
        assertThat(dead.getFirst().properties()).containsEntry("tern.dlq.topic", "work").containsEntry("tern.dlq.attempts", "3");
        assertThat(c.pop("work", 0, 10, SHORT, false, Duration.ofMillis(300))).isEmpty();
    }

    @Test
    void fifoGroupOrderIsKeptAcrossARestart() throws Exception {
        client.admin().createTopic("orders", 1);
        try (Producer p = client.producer()) {
            for (String s : List.of("x1", "y1", "x2", "y2", "x3")) p.send("orders", 0, fifo(s, s.substring(0, 1)));
        }
        PopConsumer c = client.popConsumer("fifo");
        List<PoppedMessage> first = c.pop("orders", 0, 10, SHORT, true);
        assertThat(first).extracting(PoppedMessage::bodyAsString).containsExactly("x1", "y1");
        c.ack(first.get(1)); // y1 done; x1 left in flight over the restart

        restart();

        List<String> acked = new ArrayList<>(List.of("y1"));
        List<String> handedOut = new ArrayList<>();
        while (acked.size() < 5) {
            List<PoppedMessage> got = waitFor(c, "orders", true);
            assertThat(got).as("handed out so far: %s", handedOut).isNotEmpty();
            for (PoppedMessage m : got) {
                handedOut.add(m.bodyAsString() + "#" + m.attempt());
                c.ack(m);
                acked.add(m.bodyAsString());
            }
        }
        assertThat(acked.stream().filter(s -> s.startsWith("x")).toList()).containsExactly("x1", "x2", "x3");
        assertThat(acked.stream().filter(s -> s.startsWith("y")).toList()).containsExactly("y1", "y2");
        assertThat(handedOut).as("x1 came back once, after its timeout").contains("x1#2").doesNotContain("x1#1");
    }

    @Test
    void aPushConsumerThatNacksTheFirstDeliveryGetsTheMessageAgainAndAcksItAndCarriesOnOverARestart() throws Exception {
        client.admin().createTopic("events", 3);
        List<String> deliveries = new CopyOnWriteArrayList<>();
        List<String> acked = new CopyOnWriteArrayList<>();
        PushPopConfig config = PushPopConfig.of("push", "events").withThreads(2).withInvisible(Duration.ofSeconds(30))
                .withPollWait(Duration.ofSeconds(1));
        try (PushPopConsumer consumer = client.pushPopConsumer(config, m -> {
            deliveries.add(m.bodyAsString() + "#" + m.attempt());
            if (m.attempt() == 1) return PopHandler.Verdict.NACK;
            acked.add(m.bodyAsString());
            return PopHandler.Verdict.ACK;
        })) {
            send("events", 2, "before");
            await().until(() -> acked.contains("before"));
            assertThat(deliveries).containsExactly("before#1", "before#2");

            restart();
            send("events", 0, "after");
            await().until(() -> acked.contains("after"));
        }
        assertThat(deliveries).containsExactly("before#1", "before#2", "after#1", "after#2");
        assertThat(acked).containsExactly("before", "after");
    }

    @Test
    void aLongPollingPopAnswersAsSoonAsAMessageIsSent() throws Exception {
        client.admin().createTopic("live", 4);
        PopConsumer c = client.popConsumer("waiter");
        CompletableFuture<List<PoppedMessage>> pop = CompletableFuture.supplyAsync(() -> waitFor(c, "live", false));
        await().until(() -> node.engine().acks().waitingPops() == 1);
        long sentAt = System.nanoTime();
        send("live", 3, "ping");
        List<PoppedMessage> got = pop.get(LONG_WAIT.toMillis() + 10_000, TimeUnit.MILLISECONDS);
        // a generous bound, far below the wait: the pop answered because of the send, not its deadline
        assertThat(System.nanoTime() - sentAt).isLessThan(LONG_WAIT.toNanos() / 2);
        assertThat(got).extracting(PoppedMessage::bodyAsString).containsExactly("ping");
        assertThat(Receipt.parse(got.getFirst().receipt()).queue()).isEqualTo(3);
    }

    @Test
    void aPopOfEveryQueueGetsMessagesFromAllQueues() {
        client.admin().createTopic("wide", 4);
        for (int q = 0; q < 4; q++) send("wide", q, "q" + q + "a", "q" + q + "b");
        PopConsumer c = client.popConsumer("wide");
        List<PoppedMessage> got = c.pop("wide", PopConsumer.ANY_QUEUE, 100, Duration.ofSeconds(30));
        assertThat(got).extracting(PoppedMessage::bodyAsString)
                .containsExactlyInAnyOrder("q0a", "q0b", "q1a", "q1b", "q2a", "q2b", "q3a", "q3b");
        Set<Integer> queues = new HashSet<>();
        for (PoppedMessage m : got) {
            int queue = Receipt.parse(m.receipt()).queue();
            queues.add(queue);
            assertThat(m.bodyAsString()).startsWith("q" + queue);
        }
        assertThat(queues).containsExactlyInAnyOrder(0, 1, 2, 3);
    }

    @Test
    void aGroupsFirstPopContinuesAtTheOffsetItCommittedAsAnOffsetConsumer() throws Exception {
        client.admin().createTopic("ledger", 1);
        List<String> all = IntStream.range(0, 10).mapToObj(i -> "e" + i).toList();
        send("ledger", 0, all.toArray(String[]::new));
        List<String> consumed = new ArrayList<>();
        try (Consumer consumer = client.consumer(ConsumerConfig.group("mover").withStart(StartPosition.earliest())
                .withAutoCommit(false).withMaxPollMessages(4))) {
            consumer.subscribe("ledger");
            await().until(() -> {
                consumer.poll(Duration.ofMillis(100)).forEach(m -> consumed.add(m.bodyAsString()));
                return !consumed.isEmpty();
            });
            consumer.commit();
        }
        assertThat(consumed).hasSizeLessThanOrEqualTo(4);

        restart();

        List<String> popped = client.popConsumer("mover").pop("ledger", 0, 100, Duration.ofSeconds(30)).stream()
                .map(PoppedMessage::bodyAsString).toList();
        assertThat(popped).as("where the offset consumer left off").containsExactlyElementsOf(all.subList(consumed.size(), all.size()));
    }
}
