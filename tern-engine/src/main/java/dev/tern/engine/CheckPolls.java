package dev.tern.engine;

import dev.tern.common.error.ErrorCode;
import dev.tern.common.error.TernException;
import dev.tern.store.api.MetadataStore;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;

/**
 * The check-back long poll ({@link Transactions#pollChecks}). A poll reads its group's due check entries (a
 * range scan that stops at "now", so transactions not due are never read) and hands them out; when none
 * is due it looks again every {@link #RECHECK_MS} until its wait is over. A transaction becomes due only
 * by the clock passing its check time, never by another request, so looking again on a timer is all a
 * waiting poll needs, and it keeps no per-group waiting lists.
 */
final class CheckPolls implements AutoCloseable {
    static final long RECHECK_MS = 100;

    private final EngineContext context;
    private final MetadataStore metadata;
    private final DefaultTransactions transactions;
    private final Set<Poll> live = ConcurrentHashMap.newKeySet();
    private final CheckFloors floors = new CheckFloors();

    CheckPolls(EngineContext context, MetadataStore metadata, DefaultTransactions transactions) {
        this.context = context;
        this.metadata = metadata;
        this.transactions = transactions;
    }

    CompletableFuture<List<PendingTransaction>> poll(String group, int max, long waitMs) {
        Poll p = new Poll(group, max, System.nanoTime() + waitMs * 1_000_000L);
        live.add(p);
        p.result.whenComplete((r, e) -> {
            live.remove(p);
            p.cancelTimer();
        });
        p.attempt();
        return p.result;
    }

    /** A prepare of {@code group} wrote a check entry due at {@code dueMs}. */
    void prepared(String group, long dueMs) {
        floors.prepared(group, dueMs);
    }

    /** Due check entries of a group, handed out: at most {@code max}, oldest due first. */
    private CompletableFuture<List<PendingTransaction>> due(String group, int max) {
        CheckFloors.Round round = floors.begin(group);
        long now = context.config.clock().millis();
        byte[] from = TxnKeys.checkDueBy(group, round.fromMs() - 1);
        return context.hop(metadata.scan(from, TxnKeys.checkDueBy(group, now), max).thenCompose(entries -> {
            List<CompletableFuture<Optional<PendingTransaction>>> handed = new ArrayList<>(entries.size());
            for (MetadataStore.Entry e : entries) handed.add(transactions.handOutCheck(e.key(), now));
            return CompletableFuture.allOf(handed.toArray(CompletableFuture[]::new)).thenApply(v -> {
                floors.handled(group, round, entries.size() < max ? now : TxnKeys.checkDueOf(entries.getLast().key()), !entries.isEmpty());
                List<PendingTransaction> out = new ArrayList<>();
                for (var h : handed) h.join().ifPresent(out::add);
                if (!out.isEmpty()) DefaultTransactions.count(() -> context.metrics.transactionChecks(group, out.size()));
                return out;
            });
        }));
    }

    private final class Poll {
        final String group;
        final int max;
        final long deadlineNanos;
        final CompletableFuture<List<PendingTransaction>> result = new CompletableFuture<>();
        private ScheduledFuture<?> timer; // guarded by this

        Poll(String group, int max, long deadlineNanos) {
            this.group = group;
            this.max = max;
            this.deadlineNanos = deadlineNanos;
        }

        void attempt() {
            if (result.isDone()) return;
            if (context.isClosed()) {
                result.completeExceptionally(new TernException(ErrorCode.STORE_CLOSED, "the engine is closed"));
                return;
            }
            due(group, max).whenComplete((found, error) -> {
                if (error != null) {
                    result.completeExceptionally(Failures.unwrap(error));
                    return;
                }
                long left = deadlineNanos - System.nanoTime();
                if (!found.isEmpty() || left <= 0) {
                    result.complete(found);
                    return;
                }
                synchronized (this) {
                    if (!result.isDone()) timer = context.schedule(this::attempt, Math.min(left, RECHECK_MS * 1_000_000L));
                }
            });
        }

        synchronized void cancelTimer() {
            if (timer != null) timer.cancel(false);
        }
    }

    /** Waiting polls fail with STORE_CLOSED. */
    @Override
    public void close() {
        for (Poll p : List.copyOf(live)) p.result.completeExceptionally(new TernException(ErrorCode.STORE_CLOSED, "the engine is closed"));
    }
}
