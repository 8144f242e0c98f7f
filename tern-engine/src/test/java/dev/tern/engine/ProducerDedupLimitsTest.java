package dev.tern.engine;

import dev.tern.common.message.StoredMessage;
import dev.tern.store.api.Durability;
import dev.tern.store.api.MetadataStore;
import dev.tern.testsupport.ManualClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static dev.tern.engine.IdempotentSendTest.batch;
import static dev.tern.testsupport.Await.result;
import static org.assertj.core.api.Assertions.assertThat;

/** Idempotent-producer state stays bounded: a cache of limited size over the metadata area, and expiry. */
@ParameterizedClass
@EnumSource(StoreKind.class)
@Timeout(120)
class ProducerDedupLimitsTest {
    static final long EXPIRY_MS = 3_600_000;
    static final int PRODUCERS = 5_000;
    /** Room for about 100 single-message states. */
    static final long CACHE_BYTES = 100 * (ProducerDedup.ENTRY_OVERHEAD + 20 + 32 + 16);

    @Parameter
    StoreKind kind;
    @TempDir
    Path dir;
    final ManualClock clock = new ManualClock(1_000_000_000L);
    EngineHarness h;
    String topic;

    @BeforeEach
    void open() {
        EngineConfig config = EngineConfig.defaults().withClock(clock)
                .withClientLimits(ClientLimits.defaults().withDedup(EXPIRY_MS, CACHE_BYTES));
        h = new EngineHarness(kind, dir, dev.tern.common.Clock.SYSTEM, config, EngineMetrics.NONE);
        topic = h.topic(2);
    }

    @AfterEach
    void close() {
        h.close();
    }

    private ProducerDedup dedup() {
        return ((DefaultEngine) h.engine()).producerDedup();
    }

    private List<SendResult> sendAll(int producers, long sequence) {
        List<CompletableFuture<List<SendResult>>> sends = new ArrayList<>();
        for (int p = 1; p <= producers; p++) {
            sends.add(h.engine().send(topic, QueueTarget.queue(p % 2), List.of(batch(p, sequence, "p" + p + "-" + sequence)), null));
            if (sends.size() % 500 == 0) result(sends.getLast()); // a bounded number in flight
        }
        List<SendResult> out = new ArrayList<>();
        for (var s : sends) out.add(result(s).getFirst());
        return out;
    }

    private int storedStates() {
        return result(h.store().metadata().scan(ProducerDedup.PREFIX, ProducerDedup.PREFIX_END, 1_000_000)).size();
    }

    private int messages() {
        return h.pullAll(topic, 0, 0, null).size() + h.pullAll(topic, 1, 0, null).size();
    }

    @Test
    void manyProducersHoldNoMoreThanTheCacheAndRetriesOfEvictedOnesAreStillStoredOnce() {
        List<SendResult> first = sendAll(PRODUCERS, 0);
        assertThat(dedup().cachedBytes()).isLessThanOrEqualTo(CACHE_BYTES);
        assertThat(dedup().cached()).isBetween(50, 100);
        assertThat(storedStates()).isEqualTo(PRODUCERS);
        // every producer retries its batch: the evicted ones are read back from the metadata area
        assertThat(sendAll(PRODUCERS, 0)).isEqualTo(first);
        assertThat(messages()).isEqualTo(PRODUCERS);
        sendAll(PRODUCERS, 1);
        assertThat(messages()).isEqualTo(2 * PRODUCERS);
        assertThat(dedup().cachedBytes()).isLessThanOrEqualTo(CACHE_BYTES);
    }

    @Test
    void statesOfProducersSilentForTheExpiryAreRemovedAndLiveOnesKept() {
        sendAll(200, 0);
        clock.advance(EXPIRY_MS / 2);
        List<SendResult> live = h.send(topic, QueueTarget.queue(1), batch(1, 1, "live"));
        clock.advance(EXPIRY_MS / 2);
        assertThat(result(dedup().sweep())).isEqualTo(199);
        assertThat(storedStates()).isEqualTo(1);
        assertThat(dedup().cached()).isLessThanOrEqualTo(1);
        // the live producer still has its state: a retry is answered with the original results
        assertThat(h.send(topic, QueueTarget.queue(1), batch(1, 1, "live"))).isEqualTo(live);
        assertThat(messages()).isEqualTo(201);
        clock.advance(EXPIRY_MS);
        assertThat(result(dedup().sweep())).isEqualTo(1);
        assertThat(storedStates()).isZero();
    }

    @Test
    void aRoundReadsABoundedNumberOfStatesAndResumesWhereItStopped() {
        Assumptions.assumeTrue(kind == StoreKind.MEMORY, "a store-independent round count; one store is enough");
        int n = ProducerDedup.SWEEP_BATCH + 10;
        List<MetadataStore.Op> ops = new ArrayList<>(n);
        for (int p = 0; p < n; p++) ops.add(MetadataStore.Op.put(ProducerDedup.key(p + 1L, "gone", 0), value(clock.millis() - EXPIRY_MS)));
        result(h.store().metadata().write(ops, Durability.ASYNC));
        assertThat(result(dedup().sweep())).isEqualTo(ProducerDedup.SWEEP_BATCH);
        assertThat(result(dedup().sweep())).isEqualTo(10);
        assertThat(storedStates()).isZero();
    }

    @Test
    void statesWrittenBeforeStoreTimesWereRecordedExpireOneExpiryAfterTheFirstRound() {
        byte[] legacy = ByteBuffer.allocate(20).putLong(4).putLong(4).putInt(0).array(); // last, first, no results
        result(h.store().metadata().put(ProducerDedup.key(77, topic, 0), legacy, Durability.ASYNC));
        assertThat(result(dedup().sweep())).isZero();
        assertThat(storedStates()).isEqualTo(1);
        // still de-duplicated meanwhile: sequence 4 was stored
        assertThat(h.send(topic, QueueTarget.queue(0), batch(77, 4, "again"))).extracting(SendResult::queueOffset).containsOnly(-1L);
        clock.advance(EXPIRY_MS);
        assertThat(result(dedup().sweep())).isEqualTo(1);
        assertThat(storedStates()).isZero();
    }

    @Test
    void afterARestartRetriesOfManyProducersAreStoredOnce() {
        Assumptions.assumeTrue(kind == StoreKind.LOCAL, "only the local store keeps data across a restart");
        List<SendResult> first = sendAll(1_000, 0);
        h.restart();
        assertThat(sendAll(1_000, 0)).isEqualTo(first);
        assertThat(h.pullAll(topic, 0, 0, null).stream().map(StoredMessage::bodyAsString).filter(b -> b.endsWith("-0")).count()
                + h.pullAll(topic, 1, 0, null).size()).isEqualTo(1_000);
        assertThat(dedup().cachedBytes()).isLessThanOrEqualTo(CACHE_BYTES);
    }

    @Test
    void aBatchAnEarlierEngineStoredWithoutItsRecordIsStillFoundAmongManyNewProducers() {
        Assumptions.assumeTrue(kind == StoreKind.LOCAL, "only the local store keeps data across a restart");
        // as after a crash between the append and the metadata write
        var stored = result(h.store().log().append(topic, 0, List.of(batch(999_999, 0, "lost-record")), Durability.ASYNC));
        h.restart();
        sendAll(500, 0);
        List<SendResult> retry = h.send(topic, QueueTarget.queue(0), batch(999_999, 0, "lost-record"));
        assertThat(retry.getFirst().queueOffset()).isEqualTo(stored.getFirst().queueOffset());
        assertThat(retry.getFirst().messageId()).isEqualTo(stored.getFirst().messageId());
        assertThat(messages()).isEqualTo(501);
    }

    private static byte[] value(long storedMs) {
        return ByteBuffer.allocate(36).putLong(0).putLong(0).putInt(0).putLong(storedMs).putLong(0).array();
    }
}
