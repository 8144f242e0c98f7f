package dev.tern.client;

import dev.tern.common.message.MessageId;
import dev.tern.common.message.StoredMessage;
import dev.tern.engine.TopicQueue;

import java.util.List;
import java.util.Map;

/**
 * A message as a consumer receives it (or an {@link Admin} lookup finds it): the stored message and where
 * it sits (topic, queue, offset). Committing offset {@code offset() + 1} marks it, and every earlier
 * message of its queue, consumed.
 */
public record ReceivedMessage(String topic, int queue, long offset, StoredMessage message) {

    static ReceivedMessage of(StoredMessage m) {
        return new ReceivedMessage(m.topic(), m.queue(), m.queueOffset(), m);
    }

    public TopicQueue topicQueue() {
        return new TopicQueue(topic, queue);
    }

    public byte[] body() {
        return message.body();
    }

    public String bodyAsString() {
        return message.bodyAsString();
    }

    public List<String> keys() {
        return message.keys();
    }

    /** The tag, or null. */
    public String tag() {
        return message.tag();
    }

    public Map<String, String> properties() {
        return message.properties();
    }

    public MessageId messageId() {
        return message.messageId();
    }

    /** When the server stored it (epoch ms). */
    public long storeTimestamp() {
        return message.storeTimestamp();
    }
}
