package dev.tern.engine;

import dev.tern.store.api.Durability;
import dev.tern.store.api.MetadataStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Upkeep of transactional messages, every {@link #PERIOD_MS} on the engine's timer: finishes commits that
 * were under way (after a restart, or after an append failed), rolls back transactions older than
 * {@code txn.max.age.ms}, and forgets outcomes older than {@link Transactions#OUTCOME_RETENTION_MS}. Ids
 * sort by prepare time, so each of these reads only what is old enough (a range scan up to a cut-off), at
 * most {@link #BATCH} entries a round; floors keep the scans off the deleted entries of earlier rounds.
 */
final class TxnSweeper implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TxnSweeper.class);
    static final long PERIOD_MS = 250;
    static final int BATCH = 100;

    private final EngineContext context;
    private final MetadataStore metadata;
    private final DefaultTransactions transactions;
    private final AtomicBoolean running = new AtomicBoolean();
    /** No half older than this is left but commits under way; starts at 0, so a restart sees everything. */
    private volatile long expiredBefore;
    private volatile long forgottenBefore;
    private volatile ScheduledFuture<?> task;

    TxnSweeper(EngineContext context, MetadataStore metadata, DefaultTransactions transactions) {
        this.context = context;
        this.metadata = metadata;
        this.transactions = transactions;
    }

    void start() {
        task = context.every(this::sweep, PERIOD_MS);
    }

    /** One round; skipped while the previous one is still running. */
    void sweep() {
        if (context.isClosed() || !running.compareAndSet(false, true)) return;
        long now = context.config.clock().millis();
        finishCommits().thenCompose(v -> expire(now)).thenCompose(v -> forget(now)).whenComplete((v, e) -> {
            running.set(false);
            if (e != null && !context.isClosed()) LOG.warn("transaction upkeep failed; retrying in {} ms", PERIOD_MS, e);
        });
    }

    private CompletableFuture<Void> finishCommits() {
        return metadata.scan(TxnKeys.COMMITTING, TxnKeys.end(TxnKeys.COMMITTING), BATCH).thenCompose(entries -> {
            List<CompletableFuture<?>> done = new ArrayList<>();
            for (MetadataStore.Entry e : entries) {
                TxnKeys.Id id = TxnKeys.idOf(e.key());
                done.add(transactions.finishCommit(id).handle((finished, error) -> {
                    if (error != null) LOG.warn("finishing the commit of transaction {} failed; retrying", id, error);
                    else if (finished) LOG.info("finished the commit of transaction {} that was under way", id);
                    return null;
                }));
            }
            return CompletableFuture.allOf(done.toArray(CompletableFuture[]::new));
        });
    }

    private CompletableFuture<Void> expire(long now) {
        long cutoff = now - context.config.transactions().maxAgeMs();
        return metadata.scan(TxnKeys.preparedFrom(TxnKeys.HALF, expiredBefore), TxnKeys.preparedFrom(TxnKeys.HALF, cutoff), BATCH)
                .thenCompose(entries -> {
                    List<CompletableFuture<?>> done = new ArrayList<>();
                    for (MetadataStore.Entry e : entries) done.add(transactions.expire(TxnKeys.idOf(e.key())));
                    return CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).thenRun(() ->
                            expiredBefore = entries.size() < BATCH ? Math.max(expiredBefore, cutoff) : TxnKeys.idOf(entries.getLast().key()).prepareMs());
                });
    }

    private CompletableFuture<Void> forget(long now) {
        long cutoff = now - Transactions.OUTCOME_RETENTION_MS;
        return metadata.scan(TxnKeys.preparedFrom(TxnKeys.RESOLVED, forgottenBefore), TxnKeys.preparedFrom(TxnKeys.RESOLVED, cutoff), BATCH)
                .thenCompose(entries -> {
                    List<MetadataStore.Op> ops = new ArrayList<>(entries.size());
                    for (MetadataStore.Entry e : entries) ops.add(MetadataStore.Op.delete(e.key()));
                    CompletableFuture<Void> written = ops.isEmpty() ? CompletableFuture.completedFuture(null) : metadata.write(ops, context.config.defaultDurability());
                    return written.thenRun(() ->
                            forgottenBefore = entries.size() < BATCH ? Math.max(forgottenBefore, cutoff) : TxnKeys.idOf(entries.getLast().key()).prepareMs());
                });
    }

    @Override
    public void close() {
        ScheduledFuture<?> t = task;
        if (t != null) t.cancel(false);
    }
}
