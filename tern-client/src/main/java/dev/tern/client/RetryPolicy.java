package dev.tern.client;

import dev.tern.common.error.TernException;

/**
 * When to send a failed request again and after how long: only retriable failures (the error catalogue's
 * {@code retriable} flag: CONNECTION, TIMEOUT, STORAGE_FULL, STORAGE_IO, STORE_CLOSED), at most
 * {@code retries} times, with exponential backoff from {@code backoffMs} capped at {@code maxBackoffMs}.
 */
record RetryPolicy(int retries, long backoffMs, long maxBackoffMs) {

    boolean shouldRetry(TernException failure, int attempt) {
        return failure.retriable() && attempt < retries;
    }

    /** The wait before retry number {@code attempt + 1} (attempt 0 is the first send). */
    long delayMs(int attempt) {
        long d = backoffMs << Math.min(attempt, 20);
        return Math.min(d < 0 ? maxBackoffMs : d, maxBackoffMs);
    }
}
