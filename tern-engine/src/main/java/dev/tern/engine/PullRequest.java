package dev.tern.engine;

import java.time.Duration;

/**
 * A read of one queue from {@code offset}: at most {@code maxMessages} and about {@code maxBytes}, waiting
 * up to {@code maxWait} (zero: do not wait) when there is nothing to return yet. {@code tagFilter} is a
 * tag expression ({@code "*"}, {@code "TagA || TagB"}) or null for all messages.
 */
public record PullRequest(String topic, int queue, long offset, int maxMessages, int maxBytes, Duration maxWait, String tagFilter) {

    public PullRequest(String topic, int queue, long offset, int maxMessages, Duration maxWait) {
        this(topic, queue, offset, maxMessages, 4 * 1024 * 1024, maxWait, null);
    }
}
