package dev.tern.server.bench;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/** Send latencies in an HdrHistogram: an interval view for the progress line, a total for the summary. */
final class LatencyStats {
    private final Recorder recorder = new Recorder(3);
    private final Histogram total = new Histogram(3);
    private Histogram interval;

    void record(long nanos) {
        recorder.recordValue(Math.max(1, nanos));
    }

    /** Takes what was recorded since the last call; counts it in the total only when {@code measured}. */
    synchronized Histogram roll(boolean measured) {
        interval = recorder.getIntervalHistogram(interval);
        if (measured) total.add(interval);
        return interval;
    }

    synchronized Histogram total() {
        return total;
    }

    static String ms(Histogram h, double percentile) {
        return h.getTotalCount() == 0 ? "-" : String.format("%.2f", h.getValueAtPercentile(percentile) / 1e6);
    }
}
