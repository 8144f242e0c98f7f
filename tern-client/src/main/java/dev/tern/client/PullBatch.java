package dev.tern.client;

import dev.tern.store.api.QueueRange;
import dev.tern.store.api.ReadResult;

import java.util.List;

/**
 * The outcome of one {@link Consumer#pull}: what was found, the offset to pull from next (for
 * OFFSET_TOO_SMALL and OFFSET_TOO_BIG: where the queue's kept messages begin or end) and the queue's range.
 */
public record PullBatch(ReadResult.Status status, long nextOffset, QueueRange range, List<ReceivedMessage> messages) {
}
