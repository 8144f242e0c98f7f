package dev.tern.engine;

import dev.tern.common.message.MessageId;

/** Where one sent message was stored. */
public record SendResult(String topic, int queue, long queueOffset, MessageId messageId, long storeTimestamp) {
}
