package dev.tern.client;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Push-mode consumption with per-message acknowledgement: a {@link PopHandler} per message, whose verdict
 * acks or nacks it. Get one, started, from {@link TernClient#pushPopConsumer}.
 * <p>
 * Threads: one poller ({@code tern-pop-poller-<group>}) keeps a long-polling POP over every queue of the
 * topic going, for as many messages as there are free handler threads ({@code tern-pop-handler-<group>-N}),
 * so a popped message never waits for a thread while its visibility timeout runs. A POP that fails (the
 * server restarting, the topic missing) is logged and tried again after {@link #RETRY_PAUSE_MS}.
 * <p>
 * While a handler runs longer than two thirds of the visibility timeout, a renewer thread
 * ({@code tern-pop-renewer-<group>}) moves its message's deadline one timeout further (CHANGE_INVISIBLE), up to
 * {@link PushPopConfig#maxHandleTime()} after the pop; the verdict then uses the latest receipt.
 * <p>
 * {@link #close()} stops popping: it waits for the POP in flight (at most {@code pollWait} plus the request
 * timeout) and nacks what that brings; running handlers get {@code closeTimeout} to finish and their verdicts
 * are sent; a handler still running then is interrupted, and its message is nacked when it returns or throws
 * (or, if the connection is gone by then, comes back after its visibility timeout). Do not call it from a handler.
 */
public final class PushPopConsumer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PushPopConsumer.class);
    static final long RETRY_PAUSE_MS = 500;

    private final PopConsumer pops;
    private final PushPopConfig config;
    private final PopHandler handler;
    private final Runnable onClose;
    private final long requestTimeoutMs;
    /** One permit per idle handler thread: a POP asks for as many messages as it holds. */
    private final Semaphore free;
    private final ExecutorService handlers;
    private final Thread poller;
    private final CountDownLatch stopping = new CountDownLatch(1);
    private final AtomicBoolean closed = new AtomicBoolean();
    /** Acks and nacks sent and not answered yet: close waits for them. */
    private final Set<CompletableFuture<Void>> verdicts = ConcurrentHashMap.newKeySet();
    /** Renews the invisibility of messages whose handlers run long; null when renewal is off. */
    private final ScheduledExecutorService renewer;

    PushPopConsumer(Connection connection, PushPopConfig config, PopHandler handler, Runnable onClose) {
        this.config = config.validate();
        if (handler == null) throw dev.tern.common.error.TernException.invalid("a push pop consumer needs a handler");
        this.pops = new PopConsumer(connection, config.group());
        this.handler = handler;
        this.onClose = onClose;
        this.requestTimeoutMs = connection.config().requestTimeoutMs();
        this.free = new Semaphore(config.threads());
        AtomicInteger n = new AtomicInteger();
        this.handlers = Executors.newFixedThreadPool(config.threads(), r -> {
            Thread t = new Thread(r, "tern-pop-handler-" + config.group() + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.poller = new Thread(this::poll, "tern-pop-poller-" + config.group());
        poller.setDaemon(true);
        this.renewer = config.maxHandleTime().isZero() ? null : renewer(config.group());
    }

    /**
     * Every handled message schedules a renewal and cancels it when its handler returns, mostly long before it
     * is due: cancelled tasks must leave the queue at once, or a busy consumer piles them up for a timeout.
     */
    private static ScheduledThreadPoolExecutor renewer(String group) {
        ScheduledThreadPoolExecutor e = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "tern-pop-renewer-" + group);
            t.setDaemon(true);
            return t;
        });
        e.setRemoveOnCancelPolicy(true);
        return e;
    }

    PushPopConsumer start() {
        poller.start();
        return this;
    }

    public PushPopConfig config() {
        return config;
    }

    private boolean stopping() {
        return stopping.getCount() == 0;
    }

    private void poll() {
        while (!stopping()) {
            int n = takeFree();
            if (n == 0) return;
            List<PoppedMessage> got;
            try {
                got = pops.popAsync(config.topic(), PopConsumer.ANY_QUEUE, n, config.invisible(), config.fifo(), config.pollWait()).get();
            } catch (ExecutionException e) {
                free.release(n);
                if (stopping()) return;
                log.warn("pop of topic '{}' for group '{}' failed; trying again in {} ms: {}", config.topic(), config.group(),
                        RETRY_PAUSE_MS, Futures.unwrap(e).toString());
                pause();
                continue;
            } catch (InterruptedException e) {
                free.release(n);
                return;
            }
            free.release(n - got.size());
            for (PoppedMessage m : got) {
                if (stopping()) {
                    settle(m, PopHandler.Verdict.NACK); // popped while closing: back to the group at once
                    free.release();
                } else {
                    handlers.execute(() -> handle(m));
                }
            }
        }
    }

    /** Waits for a free handler thread and takes every free one; 0 when stopping. */
    private int takeFree() {
        try {
            free.acquire();
        } catch (InterruptedException e) {
            return 0;
        }
        int n = 1 + free.drainPermits();
        if (stopping()) {
            free.release(n);
            return 0;
        }
        return n;
    }

    private void pause() {
        try {
            stopping.await(RETRY_PAUSE_MS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void handle(PoppedMessage m) {
        PopHandler.Verdict verdict = PopHandler.Verdict.NACK; // what a throwing handler gets
        Renewal renewal = renewer == null ? null : new Renewal(m);
        try {
            verdict = handler.handle(m);
            if (verdict == null) {
                log.warn("the handler gave no verdict for {}; nacking it", where(m));
                verdict = PopHandler.Verdict.NACK;
            }
        } catch (Exception | AssertionError e) {
            log.warn("the handler failed on {} (attempt {}); nacking it", where(m), m.attempt(), e);
        } finally {
            settle(renewal == null ? m : renewal.stop(), verdict);
            free.release();
        }
    }

    /**
     * Keeps one message hidden while its handler runs: every two thirds of the visibility timeout its deadline
     * moves one timeout on, until {@code maxHandleTime} after the pop. {@link #stop()} waits for a renewal
     * under way (both hold the monitor), so the verdict always carries the newest receipt.
     */
    private final class Renewal {
        private final long until = System.nanoTime() + config.maxHandleTime().toNanos();
        private final ScheduledFuture<?> task;
        private PoppedMessage current; // guarded by this
        private boolean stopped; // guarded by this

        Renewal(PoppedMessage m) {
            this.current = m;
            long every = Math.max(1, config.invisible().toMillis() * 2 / 3);
            this.task = renewer.scheduleWithFixedDelay(this::renew, every, every, TimeUnit.MILLISECONDS);
        }

        private synchronized void renew() {
            if (stopped) return;
            if (System.nanoTime() - until > 0) {
                log.warn("the handler of {} has run past maxHandleTime ({}); its message is left to come back", where(current),
                        config.maxHandleTime());
                task.cancel(false);
                return;
            }
            try {
                current = pops.changeInvisible(current, config.invisible());
            } catch (RuntimeException e) {
                log.warn("renewing the invisibility of {} failed (it may be delivered again): {}", where(current), e.toString());
                task.cancel(false);
            }
        }

        synchronized PoppedMessage stop() {
            stopped = true;
            task.cancel(false);
            return current;
        }
    }

    private void settle(PoppedMessage m, PopHandler.Verdict verdict) {
        CompletableFuture<Void> sent = verdict == PopHandler.Verdict.ACK ? pops.ackAsync(m) : pops.nackAsync(m);
        verdicts.add(sent);
        sent.whenComplete((v, e) -> {
            verdicts.remove(sent);
            if (e != null) log.warn("{} of {} failed (it comes back after its visibility timeout): {}", verdict, where(m), Futures.unwrap(e).toString());
        });
    }

    private String where(PoppedMessage m) {
        return m.message() == null ? m.receipt() : m.message().topic() + "/" + m.message().queue() + "@" + m.message().offset();
    }

    /** Stops as the class comment says; idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) return;
        stopping.countDown();
        free.release(); // wakes a poller waiting for a free thread
        try {
            poller.join(config.pollWait().toMillis() + requestTimeoutMs + 1_000);
            handlers.shutdown();
            if (!handlers.awaitTermination(config.closeTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
                log.warn("handlers of group '{}' still running {} after close; interrupting them", config.group(), config.closeTimeout());
                handlers.shutdownNow();
                handlers.awaitTermination(1, TimeUnit.SECONDS);
            }
            CompletableFuture.allOf(verdicts.toArray(CompletableFuture[]::new)).handle((v, e) -> null)
                    .get(requestTimeoutMs + 1_000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            handlers.shutdownNow();
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            log.warn("acks and nacks of group '{}' still unanswered at close: {}", config.group(), e.toString());
        } finally {
            if (renewer != null) renewer.shutdownNow(); // handlers are done: no renewal is still wanted
            onClose.run();
        }
    }
}
