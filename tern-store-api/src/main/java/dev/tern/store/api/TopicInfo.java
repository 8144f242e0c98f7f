package dev.tern.store.api;

import java.util.Map;

/**
 * A topic as stored.
 *
 * @param name      the topic name
 * @param topicId   the store's id for this incarnation of the topic: a topic deleted and created again
 *                  gets a new id, and nothing of the old incarnation is visible through the new one
 * @param queues    number of queues, numbered 0 to queues-1
 * @param config    per-topic configuration as given at creation
 * @param createdAt creation time, epoch ms
 */
public record TopicInfo(String name, int topicId, int queues, Map<String, String> config, long createdAt) {
}
