package dev.tern.gateway.mqtt;

import dev.tern.common.error.ErrorCode;
import dev.tern.common.error.TernException;
import io.netty.util.concurrent.DefaultThreadFactory;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Where the gateway's metadata writes run: a store may write (and fsync) on the calling thread, which must not
 * be an I/O thread. One lane (a thread) per hash of the written key, so writes of one key — a session, a
 * retained name — stay in the order they were submitted, and writes of different keys run side by side (a
 * store can then group their syncs).
 */
final class StoreLanes implements AutoCloseable {
    private final ExecutorService[] lanes;

    StoreLanes(int n) {
        ThreadFactory threads = new DefaultThreadFactory("tern-mqtt-store", true);
        lanes = new ExecutorService[n];
        for (int i = 0; i < n; i++) lanes[i] = Executors.newSingleThreadExecutor(threads);
    }

    /** Runs {@code write} on the lane of {@code key}; its future completes there. */
    <T> CompletableFuture<T> submit(Object key, Supplier<CompletableFuture<T>> write) {
        try {
            return CompletableFuture.supplyAsync(write, lanes[Math.floorMod(key.hashCode(), lanes.length)]).thenCompose(f -> f);
        } catch (RejectedExecutionException e) {
            return CompletableFuture.failedFuture(new TernException(ErrorCode.STORE_CLOSED, "the MQTT gateway is closed"));
        }
    }

    /** Lets submitted writes finish (a few seconds at most), then stops the lanes. */
    @Override
    public void close() {
        for (ExecutorService lane : lanes) lane.shutdown();
        try {
            for (ExecutorService lane : lanes) lane.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
