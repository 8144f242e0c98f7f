package dev.tern.client;

import dev.tern.common.error.ErrorCode;
import dev.tern.common.message.Message;
import dev.tern.engine.EngineConfig;
import dev.tern.engine.SendResult;
import dev.tern.protocol.fixture.FaultyEngine;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

import static dev.tern.testsupport.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

/** An idempotent producer against a real server whose replies get lost: retries are stored once. */
@Timeout(60)
class IdempotentProducerTest {
    @TempDir
    Path dir;
    private ServerFixture node;
    private final AtomicReference<FaultyEngine> faults = new AtomicReference<>();
    private TernClient client;

    @BeforeEach
    void setUp() {
        node = ServerFixture.start(dir, EngineConfig.defaults(), NativeServerConfig.ephemeral(), engine -> {
            faults.set(new FaultyEngine(engine));
            return faults.get();
        });
        client = TernClient.connect(node.address());
        client.admin().createTopic("t", 3);
    }

    @AfterEach
    void tearDown() {
        client.close();
        node.close();
    }

    private List<String> queue(int q) {
        return client.consumer(ConsumerConfig.noGroup()).pull("t", q, 0, 100, Duration.ZERO).messages().stream()
                .map(ReceivedMessage::bodyAsString).toList();
    }

    private List<String> all() {
        List<String> out = new ArrayList<>();
        for (int q = 0; q < 3; q++) out.addAll(queue(q));
        return out;
    }

    @Test
    void aBatchWhoseReplyIsLostIsStoredOnceAndTheRetryGetsTheOriginalResult() {
        try (Producer producer = client.producer(ProducerConfig.defaults().withIdempotence(true).withRetries(3).withRetryBackoffMs(10))) {
            assertThat(producer.producerId()).isNotZero();
            faults.get().loseNextReplies(2, ErrorCode.STORAGE_IO);
            SendResult r = producer.send("t", 1, Message.of("once"));
            assertThat(faults.get().sends()).isEqualTo(3);
            assertThat(r.queueOffset()).isZero();
            producer.send("t", 1, Message.of("next"));
        }
        assertThat(queue(1)).containsExactly("once", "next");
    }

    @Test
    void withoutIdempotenceTheSameLostReplyStoresTheMessageTwice() {
        try (Producer producer = client.producer(ProducerConfig.defaults().withRetries(3).withRetryBackoffMs(10))) {
            faults.get().loseNextReplies(1, ErrorCode.STORAGE_IO);
            producer.send("t", 1, Message.of("twice"));
        }
        assertThat(queue(1)).containsExactly("twice", "twice");
    }

    @Test
    void keyedAndUnkeyedMessagesAreNumberedPerQueueAndStoredOnceEach() {
        List<CompletableFuture<SendResult>> sent = new ArrayList<>();
        try (Producer producer = client.producer(ProducerConfig.defaults().withIdempotence(true).withRetries(5).withRetryBackoffMs(10))) {
            faults.get().loseNextReplies(4, ErrorCode.STORAGE_IO);
            for (int i = 0; i < 60; i++) {
                Message m = i % 2 == 0 ? Message.of("rr-" + i) : Message.builder(("k-" + i).getBytes()).keys("key-" + (i % 5)).build();
                sent.add(producer.sendAsync("t", m));
            }
            producer.flush();
        }
        assertThat(sent).allMatch(f -> !f.isCompletedExceptionally());
        List<String> stored = all();
        assertThat(stored).hasSize(60).doesNotHaveDuplicates();
        // keys still land on the server's queue for them
        SendResult keyed = sent.get(1).join();
        assertThat(keyed.queue()).isEqualTo(dev.tern.engine.KeyHash.queueOf("key-1", 3));
        assertThat(queue(0).size()).isBetween(1, 59);
    }

    @Test
    void aRetryThatCrossesAServerRestartIsStoredOnce() {
        try (Producer producer = client.producer(ProducerConfig.defaults().withIdempotence(true).withRetries(10).withRetryBackoffMs(300))) {
            faults.get().loseNextReplies(1, ErrorCode.STORAGE_IO);
            FaultyEngine before = faults.get();
            CompletableFuture<SendResult> f = producer.sendAsync("t", 2, Message.of("survives"));
            await().until(() -> before.sends() == 1);
            node.restart();
            assertThat(f.join().queueOffset()).isZero();
            assertThat(faults.get()).isNotSameAs(before);
        }
        assertThat(queue(2)).containsExactly("survives");
    }
}
