package dev.tern.engine;

import dev.tern.common.error.ErrorCode;
import dev.tern.common.message.Message;
import dev.tern.common.message.StoredMessage;
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
import java.util.concurrent.CompletableFuture;

import static dev.tern.testsupport.Await.result;
import static org.assertj.core.api.Assertions.assertThat;

/** Producer id + sequence: a retried batch is stored once and answered with the original results. */
@ParameterizedClass
@EnumSource(StoreKind.class)
@Timeout(60)
class IdempotentSendTest {
    static final long PRODUCER = 0x5eed_cafeL;
    @Parameter
    StoreKind kind;
    @TempDir
    Path dir;
    EngineHarness h;
    String topic;

    @BeforeEach
    void open() {
        h = new EngineHarness(kind, dir);
        topic = h.topic(2);
    }

    @AfterEach
    void close() {
        h.close();
    }

    static Message[] batch(long producer, long firstSequence, String... bodies) {
        Message[] out = new Message[bodies.length];
        for (int i = 0; i < bodies.length; i++) {
            out[i] = Message.builder(bodies[i].getBytes(StandardCharsets.UTF_8)).producer(producer, firstSequence + i).build();
        }
        return out;
    }

    private List<String> bodies(int queue) {
        return h.pullAll(topic, queue, 0, null).stream().map(StoredMessage::bodyAsString).toList();
    }

    @Test
    void aRetriedBatchIsStoredOnceAndAnsweredWithTheOriginalResults() {
        List<SendResult> first = h.send(topic, QueueTarget.queue(0), batch(PRODUCER, 0, "a", "b", "c"));
        List<SendResult> retry = h.send(topic, QueueTarget.queue(0), batch(PRODUCER, 0, "a", "b", "c"));
        assertThat(retry).isEqualTo(first);
        h.send(topic, QueueTarget.queue(0), batch(PRODUCER, 3, "d"));
        // an older batch again: not stored, its position no longer known
        assertThat(h.send(topic, QueueTarget.queue(0), batch(PRODUCER, 1, "b", "c"))).extracting(SendResult::queueOffset).containsOnly(-1L);
        assertThat(bodies(0)).containsExactly("a", "b", "c", "d");
    }

    @Test
    void sequencesAreKeptPerQueueAndPerProducer() {
        h.send(topic, QueueTarget.queue(0), batch(PRODUCER, 0, "q0"));
        h.send(topic, QueueTarget.queue(1), batch(PRODUCER, 0, "q1"));
        h.send(topic, QueueTarget.queue(0), batch(PRODUCER + 1, 0, "other"));
        h.send(topic, QueueTarget.queue(0), Message.of("anonymous"), Message.of("anonymous"));
        assertThat(bodies(0)).containsExactly("q0", "other", "anonymous", "anonymous");
        assertThat(bodies(1)).containsExactly("q1");
    }

    @Test
    void concurrentRetriesOfOneBatchStoreItOnce() {
        List<CompletableFuture<List<SendResult>>> sends = new ArrayList<>();
        for (int i = 0; i < 20; i++) sends.add(h.engine().send(topic, QueueTarget.queue(1), List.of(batch(PRODUCER, 7, "x", "y")), null));
        List<SendResult> first = result(sends.getFirst());
        for (var s : sends) assertThat(result(s)).isEqualTo(first);
        assertThat(bodies(1)).containsExactly("x", "y");
    }

    @Test
    void overlappingOrInconsistentBatchesAreRefused() {
        h.send(topic, QueueTarget.queue(0), batch(PRODUCER, 0, "a", "b"));
        Expect.fails(h.engine().send(topic, QueueTarget.queue(0), List.of(batch(PRODUCER, 1, "b", "c")), null), ErrorCode.INVALID_ARGUMENT);
        Message[] gap = {batch(PRODUCER, 5, "x")[0], batch(PRODUCER, 9, "y")[0]};
        Expect.fails(h.engine().send(topic, QueueTarget.queue(0), List.of(gap), null), ErrorCode.INVALID_ARGUMENT);
        assertThat(bodies(0)).containsExactly("a", "b");
    }

    @Test
    void aBatchStoredWithoutItsRecordIsFoundInTheQueueTail() {
        // as after a crash between the append and the metadata write: the log has it, the metadata does not
        h.send(topic, QueueTarget.queue(0), Message.of("before"));
        var stored = result(h.store().log().append(topic, 0, List.of(batch(PRODUCER, 0, "a", "b", "c")), dev.tern.store.api.Durability.ASYNC));
        h.send(topic, QueueTarget.queue(0), Message.of("after"));
        List<SendResult> retry = h.send(topic, QueueTarget.queue(0), batch(PRODUCER, 1, "b", "c"));
        assertThat(retry).extracting(SendResult::queueOffset).containsExactly(stored.get(1).queueOffset(), stored.get(2).queueOffset());
        assertThat(retry.getFirst().messageId()).isEqualTo(stored.get(1).messageId());
        h.send(topic, QueueTarget.queue(0), batch(PRODUCER, 3, "d"));
        assertThat(bodies(0)).containsExactly("before", "a", "b", "c", "after", "d");
    }

    @Test
    void aRetryAfterARestartIsStoredOnce() {
        org.junit.jupiter.api.Assumptions.assumeTrue(kind == StoreKind.LOCAL, "only the local store keeps data across a restart");
        List<SendResult> first = h.send(topic, QueueTarget.queue(0), batch(PRODUCER, 0, "a", "b"));
        h.restart();
        assertThat(h.send(topic, QueueTarget.queue(0), batch(PRODUCER, 0, "a", "b"))).isEqualTo(first);
        h.send(topic, QueueTarget.queue(0), batch(PRODUCER, 2, "c"));
        assertThat(bodies(0)).containsExactly("a", "b", "c");
    }
}
