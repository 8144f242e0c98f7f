package dev.tern.engine;

import dev.tern.common.codec.RecordCodec;
import dev.tern.engine.sql.SqlFilter;
import dev.tern.engine.sql.SqlLimits;
import dev.tern.store.api.StoredRecord;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntPredicate;

/**
 * The filter of a pull: a tag expression, optionally followed by {@code sql:} and a SQL-92 condition over
 * properties ({@code "paid || refunded sql: amount > 100"}, or {@code "sql: region = 'eu'"} for every
 * tag). The tag part is applied first, by hash in the store's index and then exactly; the SQL condition
 * only to what the tags let through, reading nothing but the record's properties.
 */
final class MessageFilter {
    static final String SQL_MARKER = "sql:";
    static final MessageFilter ALL = new MessageFilter(TagFilter.ALL, null);

    private final TagFilter tags;
    private final SqlFilter sql;

    private MessageFilter(TagFilter tags, SqlFilter sql) {
        this.tags = tags;
        this.sql = sql;
    }

    /**
     * Parses {@code [TAG-EXPRESSION] [sql: CONDITION]}; null or blank means every message.
     *
     * @throws dev.tern.common.error.TernException INVALID_ARGUMENT naming the position of the error
     *         (within the tag expression, or within the SQL condition), or the limit the filter is over
     */
    static MessageFilter parse(String expression, SqlLimits limits) {
        if (expression == null || expression.isBlank()) return ALL;
        limits.checkLength(expression);
        int at = expression.indexOf(SQL_MARKER);
        if (at < 0) return new MessageFilter(TagFilter.parse(expression), null);
        String tagPart = expression.substring(0, at);
        TagFilter tags = tagPart.isBlank() ? TagFilter.ALL : TagFilter.parse(tagPart);
        // stripped, so that positions in errors count from the condition as the user wrote it (e.g. with --sql)
        return new MessageFilter(tags, SqlFilter.parse(expression.substring(at + SQL_MARKER.length()).strip(), limits));
    }

    /** Whether a SQL condition is part of this filter (then {@link #retain} reads every record's properties). */
    boolean hasSql() {
        return sql != null;
    }

    /** The store-side filter on tag hashes; null for every message. */
    IntPredicate hashPredicate() {
        return tags.hashPredicate();
    }

    /** The records that pass the tags exactly and then the SQL condition. */
    List<StoredRecord> retain(List<StoredRecord> records) {
        List<StoredRecord> tagged = tags.retain(records);
        if (sql == null) return tagged;
        List<StoredRecord> kept = new ArrayList<>(tagged.size());
        for (StoredRecord r : tagged) {
            if (sql.matches(RecordCodec.properties(r.buffer(), r.buffer().position()))) kept.add(r);
        }
        return kept.size() == records.size() ? records : kept;
    }
}
