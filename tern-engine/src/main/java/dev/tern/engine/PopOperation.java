package dev.tern.engine;

import dev.tern.common.error.TernException;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.function.Supplier;

/**
 * One long-polling pop, from its first attempt to its answer: pop; when nothing came and time is left,
 * wait (registered with {@link PopWaiters} for the whole operation, with a timer for the deadline) and pop
 * again once signalled. A signal that arrives while an attempt runs makes it run again when it ends, so
 * none is lost between an attempt's reads and its wait. Never polls.
 * <p>
 * Steps run on engine workers; the few fields they share are guarded by this object's monitor.
 */
final class PopOperation extends PopWaiters.Waiter {
    private final EngineContext context;
    private final PopWaiters waiters;
    private final Supplier<CompletableFuture<List<Popped>>> attempt;
    private final long deadlineNanos;
    final CompletableFuture<List<Popped>> result = new CompletableFuture<>();

    /** {@code answered}: the answer is decided, so no attempt may start (it would hand out messages no one gets). */
    private boolean popping, signalledMeanwhile, answered;
    private TernException closedWith;
    private ScheduledFuture<?> timeout;

    PopOperation(EngineContext context, PopWaiters waiters, PopRequest request, Supplier<CompletableFuture<List<Popped>>> attempt,
                 long waitNanos) {
        super(request.group(), request.topic(), request.queue());
        this.context = context;
        this.waiters = waiters;
        this.attempt = attempt;
        this.deadlineNanos = System.nanoTime() + waitNanos;
        // a caller that gives up (a server whose client went away) frees its place among the waiters
        result.whenComplete((r, e) -> cleanUp());
    }

    PopOperation start() {
        waiters.add(this); // before the first attempt: an append after it is a signal, one before it is read
        signalled();
        return this;
    }

    @Override
    void signalled() {
        synchronized (this) {
            if (answered || result.isDone()) return;
            if (popping) {
                signalledMeanwhile = true;
                return;
            }
            popping = true;
            signalledMeanwhile = false;
        }
        Failures.guard(attempt).whenCompleteAsync(this::attempted, context.executor);
    }

    /** Decides under the monitor, then answers outside it: the caller's continuations never run holding it. */
    private void attempted(List<Popped> popped, Throwable error) {
        Throwable failure = null;
        List<Popped> answer = null;
        boolean again = false;
        synchronized (this) {
            popping = false;
            long remaining = deadlineNanos - System.nanoTime();
            if (error != null) {
                failure = Failures.unwrap(error);
            } else if (!popped.isEmpty()) {
                answer = popped; // handed out even when the engine is closing: they are the caller's now
            } else if (closedWith != null) {
                failure = closedWith;
            } else if (remaining <= 0) {
                answer = List.of();
            } else if (signalledMeanwhile) {
                again = true;
            } else if (timeout == null) {
                timeout = context.schedule(this::timedOut, remaining);
            }
            answered = failure != null || answer != null;
        }
        if (failure != null) result.completeExceptionally(failure);
        else if (answer != null) result.complete(answer);
        else if (again) signalled();
    }

    private void timedOut() {
        synchronized (this) {
            if (popping || answered) return; // a running attempt finds the deadline passed and answers
            answered = true;
        }
        result.complete(List.of());
    }

    @Override
    void closed(TernException reason) {
        synchronized (this) {
            closedWith = reason;
            if (popping || answered) return; // a running attempt answers with what it got, or with the reason
            answered = true;
        }
        result.completeExceptionally(reason);
    }

    private void cleanUp() {
        waiters.remove(this);
        ScheduledFuture<?> t;
        synchronized (this) {
            t = timeout;
        }
        if (t != null) t.cancel(false);
    }
}
