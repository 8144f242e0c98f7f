package dev.tern.store.local.write;

import dev.tern.store.api.AppendResult;
import dev.tern.store.api.Durability;
import dev.tern.store.local.queue.ConsumeQueue;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;

/**
 * A batch for one queue, encoded by the caller's thread ({@code records}), waiting for the appender.
 * The appender fills in {@code results}; the future completes when the batch is as durable as asked.
 */
public final class AppendRequest {
    final String topic;
    final int queueId;
    final ConsumeQueue queue;
    final BooleanSupplier topicDeleted;
    final byte[][] records;
    final int[] tagHashes;
    final Durability durability;
    final AppendResult[] results;
    final CompletableFuture<List<AppendResult>> future = new CompletableFuture<>();
    /** The log position after this batch's last record, once written. */
    long endPosition;
    boolean failed;

    public AppendRequest(String topic, int queueId, ConsumeQueue queue, BooleanSupplier topicDeleted,
                         byte[][] records, int[] tagHashes, Durability durability) {
        this.topic = topic;
        this.queueId = queueId;
        this.queue = queue;
        this.topicDeleted = topicDeleted;
        this.records = records;
        this.tagHashes = tagHashes;
        this.durability = durability;
        this.results = new AppendResult[records.length];
    }

    /** The encoded size of the whole batch. */
    long bytes() {
        long sum = 0;
        for (byte[] r : records) sum += r.length;
        return sum;
    }

    public CompletableFuture<List<AppendResult>> future() {
        return future;
    }

    void complete() {
        future.complete(List.of(results));
    }

    void fail(Throwable t) {
        failed = true;
        future.completeExceptionally(t);
    }
}
