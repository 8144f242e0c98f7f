package dev.tern.server.bench;

import org.HdrHistogram.Histogram;

import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.atomic.LongAdder;

/** Samples the counters every second: a progress line while running, rates over the measured part. */
final class Report {
    private final LongAdder sent;
    private final LongAdder consumed;
    private final LatencyStats latency;
    private final int size;
    private final String latencyName;
    private long measuredSent;
    private long measuredConsumed;
    private double seconds;

    Report(LongAdder sent, LongAdder consumed, LatencyStats latency, int size) {
        this(sent, consumed, latency, size, "send");
    }

    /** {@code latencyName} names the latency in the progress line ("send", "end-to-end"). */
    Report(LongAdder sent, LongAdder consumed, LatencyStats latency, int size, String latencyName) {
        this.latencyName = latencyName;
        this.sent = sent;
        this.consumed = consumed;
        this.latency = latency;
        this.size = size;
    }

    void run(Duration warmup, Duration measured, PrintStream progress) throws InterruptedException {
        long start = System.nanoTime();
        long warmEnd = start + warmup.toNanos(), end = warmEnd + measured.toNanos();
        long lastSent = 0, lastConsumed = 0, sentAtWarmEnd = -1, consumedAtWarmEnd = -1;
        latency.roll(false);
        for (long tick = start + 1_000_000_000L; ; tick += 1_000_000_000L) {
            long now = System.nanoTime();
            if (tick > now) Thread.sleep((tick - now) / 1_000_000, (int) ((tick - now) % 1_000_000));
            boolean measuring = tick > warmEnd;
            if (measuring && sentAtWarmEnd < 0) {
                sentAtWarmEnd = lastSent;
                consumedAtWarmEnd = lastConsumed;
            }
            long s = sent.sum(), c = consumed.sum();
            Histogram h = latency.roll(measuring);
            progress.printf("%s %3ds  sent %,9d msg/s  consumed %,9d msg/s  %s p99 %s ms%n", measuring ? "measure" : "warm-up",
                    (tick - start) / 1_000_000_000L, s - lastSent, c - lastConsumed, latencyName, LatencyStats.ms(h, 99));
            lastSent = s;
            lastConsumed = c;
            if (tick >= end) break;
        }
        measuredSent = lastSent - Math.max(0, sentAtWarmEnd);
        measuredConsumed = lastConsumed - Math.max(0, consumedAtWarmEnd);
        seconds = measured.toNanos() / 1e9;
    }

    /** Messages sent during the measured part. */
    long measuredSent() {
        return measuredSent;
    }

    /** Messages consumed (in total over every consumer) during the measured part. */
    long measuredConsumed() {
        return measuredConsumed;
    }

    double seconds() {
        return seconds;
    }

    String summary(String title, long failures) {
        double rate = measuredSent / seconds, crate = measuredConsumed / seconds;
        return String.format("%s%n  sent     %,.0f msg/s  %.1f MB/s  (%,d messages in %.0f s, %d failed)%n  consumed %,.0f msg/s%n  send latency %s",
                title, rate, rate * size / 1e6, measuredSent, seconds, failures, crate, ProduceBench.percentiles(latency.total()));
    }
}
