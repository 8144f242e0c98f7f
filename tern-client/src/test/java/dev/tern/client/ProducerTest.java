package dev.tern.client;

import dev.tern.common.error.ErrorCode;
import dev.tern.common.error.TernException;
import dev.tern.common.message.Message;
import dev.tern.engine.EngineConfig;
import dev.tern.engine.SendResult;
import dev.tern.protocol.fixture.FaultyEngine;
import dev.tern.protocol.fixture.ServerFixture;
import dev.tern.protocol.server.NativeServerConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Producer retries and batching, seen through a fault seam between the server and a real engine. */
class ProducerTest {
    @TempDir
    Path dir;
    private ServerFixture node;
    private FaultyEngine faults;
    private TernClient client;

    @BeforeEach
    void setUp() {
        AtomicReference<FaultyEngine> seam = new AtomicReference<>();
        node = ServerFixture.start(dir, EngineConfig.defaults(), NativeServerConfig.ephemeral(), engine -> {
            seam.set(new FaultyEngine(engine));
            return seam.get();
        });
        faults = seam.get();
        client = TernClient.connect(node.address());
        client.admin().createTopic("t", 2);
    }

    @AfterEach
    void tearDown() {
        client.close();
        node.close();
    }

    @Test
    void retriableErrorsAreRetriedUntilTheSendSucceeds() {
        try (Producer producer = client.producer(ProducerConfig.defaults().withRetries(3).withRetryBackoffMs(10))) {
            faults.failNextSends(2, ErrorCode.STORAGE_FULL);
            SendResult r = producer.send("t", 1, Message.of("stored on the third try"));
            assertThat(r.queueOffset()).isZero();
            assertThat(faults.sends()).isEqualTo(3);
        }
        assertThat(client.consumer(ConsumerConfig.noGroup()).pull("t", 1, 0, 10, java.time.Duration.ZERO).messages())
                .extracting(ReceivedMessage::bodyAsString).containsExactly("stored on the third try");
    }

    @Test
    void retriesRunOutWithTheLastError() {
        try (Producer producer = client.producer(ProducerConfig.defaults().withRetries(1).withRetryBackoffMs(10))) {
            faults.failNextSends(5, ErrorCode.STORE_CLOSED);
            assertThatThrownBy(() -> producer.send("t", Message.of("x")))
                    .isInstanceOfSatisfying(TernException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.STORE_CLOSED));
            assertThat(faults.sends()).isEqualTo(2);
        }
    }

    @Test
    void errorsThatAreNotRetriableFailAtOnce() {
        try (Producer producer = client.producer(ProducerConfig.defaults().withRetries(5).withRetryBackoffMs(10))) {
            assertThatThrownBy(() -> producer.send("no-such-topic", Message.of("x")))
                    .isInstanceOfSatisfying(TernException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.TOPIC_NOT_FOUND));
            assertThat(faults.sends()).isEqualTo(1);
        }
    }

    @Test
    void aDroppedConnectionIsRetriedOnANewOne() {
        try (Producer producer = client.producer(ProducerConfig.defaults().withRetries(6).withRetryBackoffMs(200))) {
            node.stopServer();
            CompletableFuture<SendResult> f = producer.sendAsync("t", 0, Message.of("after the restart"));
            node.restart();
            assertThat(f.join().queueOffset()).isZero();
        }
    }

    @Test
    void retriesKeepTheOrderOfAQueue() {
        try (Producer producer = client.producer(ProducerConfig.defaults().withRetries(3).withRetryBackoffMs(20))) {
            faults.failNextSends(1, ErrorCode.STORAGE_IO);
            List<CompletableFuture<SendResult>> sent = new ArrayList<>();
            for (int i = 0; i < 50; i++) sent.add(producer.sendAsync("t", 0, Message.of("m" + i)));
            List<Long> offsets = sent.stream().map(f -> f.join().queueOffset()).toList();
            assertThat(offsets).containsExactlyElementsOf(LongStream.range(0, 50).boxed().toList());
        }
    }

    @Test
    void lingerGathersMessagesIntoFewRequests() {
        try (Producer producer = client.producer(ProducerConfig.defaults().withLingerMs(300))) {
            List<CompletableFuture<SendResult>> sent = new ArrayList<>();
            for (int i = 0; i < 100; i++) sent.add(producer.sendAsync("t", 0, Message.of("m" + i)));
            List<Long> offsets = sent.stream().map(f -> f.join().queueOffset()).toList();
            assertThat(offsets).containsExactlyElementsOf(LongStream.range(0, 100).boxed().toList());
        }
        assertThat(faults.sends()).as("SEND requests for 100 messages").isLessThanOrEqualTo(3);
    }

    @Test
    void withoutLingerMessagesArrivingDuringASendShareTheNextBatch() {
        try (Producer producer = client.producer()) {
            List<CompletableFuture<SendResult>> sent = new ArrayList<>();
            for (int i = 0; i < 2_000; i++) sent.add(producer.sendAsync("t", 1, Message.of("m" + i)));
            sent.forEach(CompletableFuture::join);
        }
        assertThat(faults.sends()).as("SEND requests for 2000 messages").isLessThan(2_000);
    }

    @Test
    void batchesStopAtTheirByteLimit() {
        try (Producer producer = client.producer(ProducerConfig.defaults().withLingerMs(10_000).withBatchMaxBytes(4096))) {
            List<CompletableFuture<SendResult>> sent = new ArrayList<>();
            for (int i = 0; i < 10; i++) sent.add(producer.sendAsync("t", 0, Message.builder(new byte[1000]).build()));
            producer.flush();
            assertThat(sent).allMatch(CompletableFuture::isDone);
        }
        assertThat(faults.sends()).as("10 messages of 1 kB in batches of at most 4 kB").isBetween(3, 4);
    }

    @Test
    void aMessageOverTheFrameLimitFailsBeforeSending() {
        try (Producer producer = client.producer()) {
            assertThatThrownBy(() -> producer.send("t", Message.builder(new byte[17 * 1024 * 1024]).build()))
                    .isInstanceOfSatisfying(TernException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.MESSAGE_TOO_LARGE));
        }
        assertThat(faults.sends()).isZero();
    }
}
