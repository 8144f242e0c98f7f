package dev.tern.client;

import dev.tern.common.error.TernException;
import dev.tern.engine.ConsumeMode;
import dev.tern.engine.StartPosition;

/**
 * Settings of a {@link Consumer}, each with its default; {@link #validate()} checks them once. Start from
 * {@link #group(String)}.
 *
 * @param group                the consumer group (null for a consumer used only for {@link Consumer#pull})
 * @param clientId             shown by {@code tern group describe} (default: the client's id)
 * @param mode                 CLUSTERING (each message to one member, default) or BROADCAST (to every member)
 * @param start                where the group starts in a queue with no committed offset (default latest)
 * @param memberId             the member id to join with (default null: the server assigns one); in BROADCAST
 *                             mode offsets are kept per member, so a fixed id lets them survive a restart
 * @param autoCommit           commit offsets on a schedule (default true): at the start of each
 *                             {@link Consumer#poll} at most every {@code autoCommitIntervalMs}, for the
 *                             messages returned by earlier polls, and on close
 * @param autoCommitIntervalMs default 1000
 * @param heartbeatIntervalMs  how often the member heartbeats, and so how soon it learns of a new assignment;
 *                             keep it at most a third of the server's {@code group.session.timeout.ms}
 *                             (default 3000, a third of the default 10 s)
 * @param pullBatchSize        the most messages one PULL returns, and the most buffered per queue (default 256)
 * @param pullMaxBytes         about the most bytes one PULL returns (default 1 MiB)
 * @param pullMaxWaitMs        how long a PULL waits at the server for new messages (long polling, default 5000)
 * @param maxPollMessages      the most messages one poll returns (default 500)
 * @param tagFilter            the server-side filter: a tag expression such as {@code "TagA || TagB"}, optionally followed
 *                             by {@code sql:} and a SQL-92 condition over properties ({@link #withSqlFilter}), or null for all messages
 */
public record ConsumerConfig(String group, String clientId, ConsumeMode mode, StartPosition start, String memberId,
                             boolean autoCommit, long autoCommitIntervalMs, long heartbeatIntervalMs,
                             int pullBatchSize, int pullMaxBytes, long pullMaxWaitMs, int maxPollMessages,
                             String tagFilter) {

    /** The defaults for a group. */
    public static ConsumerConfig group(String group) {
        return new ConsumerConfig(group, null, ConsumeMode.CLUSTERING, StartPosition.latest(), null, true, 1_000,
                3_000, 256, 1024 * 1024, 5_000, 500, null);
    }

    /** The defaults without a group: enough for {@link Consumer#pull}. */
    public static ConsumerConfig noGroup() {
        return group(null);
    }

    public ConsumerConfig validate() {
        if (mode == null) throw TernException.invalid("consume mode is required");
        if (start == null) throw TernException.invalid("start position is required");
        if (autoCommitIntervalMs < 1) throw TernException.invalid("auto commit interval must be positive, got " + autoCommitIntervalMs);
        if (heartbeatIntervalMs < 10) throw TernException.invalid("heartbeat interval must be at least 10 ms, got " + heartbeatIntervalMs);
        if (pullBatchSize < 1) throw TernException.invalid("pull batch size must be positive, got " + pullBatchSize);
        if (pullMaxBytes < 1) throw TernException.invalid("pull max bytes must be positive, got " + pullMaxBytes);
        if (pullMaxWaitMs < 0 || pullMaxWaitMs > Integer.MAX_VALUE) {
            throw TernException.invalid("pull max wait must be 0 to " + Integer.MAX_VALUE + " ms, got " + pullMaxWaitMs);
        }
        if (maxPollMessages < 1) throw TernException.invalid("max poll messages must be positive, got " + maxPollMessages);
        return this;
    }

    public ConsumerConfig withClientId(String v) {
        return new ConsumerConfig(group, v, mode, start, memberId, autoCommit, autoCommitIntervalMs, heartbeatIntervalMs, pullBatchSize, pullMaxBytes, pullMaxWaitMs, maxPollMessages, tagFilter);
    }

    public ConsumerConfig withMode(ConsumeMode v) {
        return new ConsumerConfig(group, clientId, v, start, memberId, autoCommit, autoCommitIntervalMs, heartbeatIntervalMs, pullBatchSize, pullMaxBytes, pullMaxWaitMs, maxPollMessages, tagFilter);
    }

    public ConsumerConfig withStart(StartPosition v) {
        return new ConsumerConfig(group, clientId, mode, v, memberId, autoCommit, autoCommitIntervalMs, heartbeatIntervalMs, pullBatchSize, pullMaxBytes, pullMaxWaitMs, maxPollMessages, tagFilter);
    }

    public ConsumerConfig withMemberId(String v) {
        return new ConsumerConfig(group, clientId, mode, start, v, autoCommit, autoCommitIntervalMs, heartbeatIntervalMs, pullBatchSize, pullMaxBytes, pullMaxWaitMs, maxPollMessages, tagFilter);
    }

    public ConsumerConfig withAutoCommit(boolean v) {
        return new ConsumerConfig(group, clientId, mode, start, memberId, v, autoCommitIntervalMs, heartbeatIntervalMs, pullBatchSize, pullMaxBytes, pullMaxWaitMs, maxPollMessages, tagFilter);
    }

    public ConsumerConfig withAutoCommitIntervalMs(long v) {
        return new ConsumerConfig(group, clientId, mode, start, memberId, autoCommit, v, heartbeatIntervalMs, pullBatchSize, pullMaxBytes, pullMaxWaitMs, maxPollMessages, tagFilter);
    }

    public ConsumerConfig withHeartbeatIntervalMs(long v) {
        return new ConsumerConfig(group, clientId, mode, start, memberId, autoCommit, autoCommitIntervalMs, v, pullBatchSize, pullMaxBytes, pullMaxWaitMs, maxPollMessages, tagFilter);
    }

    public ConsumerConfig withPullBatchSize(int v) {
        return new ConsumerConfig(group, clientId, mode, start, memberId, autoCommit, autoCommitIntervalMs, heartbeatIntervalMs, v, pullMaxBytes, pullMaxWaitMs, maxPollMessages, tagFilter);
    }

    public ConsumerConfig withPullMaxBytes(int v) {
        return new ConsumerConfig(group, clientId, mode, start, memberId, autoCommit, autoCommitIntervalMs, heartbeatIntervalMs, pullBatchSize, v, pullMaxWaitMs, maxPollMessages, tagFilter);
    }

    public ConsumerConfig withPullMaxWaitMs(long v) {
        return new ConsumerConfig(group, clientId, mode, start, memberId, autoCommit, autoCommitIntervalMs, heartbeatIntervalMs, pullBatchSize, pullMaxBytes, v, maxPollMessages, tagFilter);
    }

    public ConsumerConfig withMaxPollMessages(int v) {
        return new ConsumerConfig(group, clientId, mode, start, memberId, autoCommit, autoCommitIntervalMs, heartbeatIntervalMs, pullBatchSize, pullMaxBytes, pullMaxWaitMs, v, tagFilter);
    }

    public ConsumerConfig withTagFilter(String v) {
        return new ConsumerConfig(group, clientId, mode, start, memberId, autoCommit, autoCommitIntervalMs, heartbeatIntervalMs, pullBatchSize, pullMaxBytes, pullMaxWaitMs, maxPollMessages, v);
    }

    /**
     * Adds a SQL-92 condition over properties (e.g. {@code "amount > 100 AND region IN ('eu', 'us')"}),
     * evaluated by the server after the tag expression; it travels in the filter as {@code TAGS sql:CONDITION}.
     * Replaces an earlier SQL condition; null removes it.
     */
    public ConsumerConfig withSqlFilter(String sql) {
        String tags = tagFilter == null ? "" : tagFilter;
        int at = tags.indexOf(SQL_MARKER);
        if (at >= 0) tags = tags.substring(0, at).strip();
        if (sql == null) return withTagFilter(tags.isEmpty() ? null : tags);
        return withTagFilter((tags.isEmpty() ? "" : tags + " ") + SQL_MARKER + " " + sql);
    }

    /** Where the SQL condition starts in a filter (see the native protocol's PULL). */
    static final String SQL_MARKER = "sql:";
}
