package dev.tern.common.message;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * A message as the store holds it: what the producer sent plus where and when it was stored.
 *
 * @param topic          the topic
 * @param queue          the queue within the topic
 * @param queueOffset    the message's position in its queue (0, 1, 2, ...)
 * @param messageId      the id the store gave it
 * @param storeTimestamp when the store appended it (epoch ms); non-decreasing within a queue
 */
public record StoredMessage(String topic, int queue, long queueOffset, MessageId messageId,
                            long bornTimestamp, long storeTimestamp, long producerId, long sequence,
                            List<String> keys, String tag, Map<String, String> properties, byte[] body) {

    public String bodyAsString() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /** The message as a producer would send it again (for re-driving, copying between topics). */
    public Message toMessage() {
        return new Message(body, keys, tag, properties, bornTimestamp, producerId, sequence);
    }
}
