package dev.tern.store.api;

import dev.tern.common.message.MessageId;

/** Where one appended message was stored. */
public record AppendResult(long queueOffset, MessageId messageId, long storeTimestamp) {
}
