package dev.tern.engine;

/** One queue of one topic. */
public record TopicQueue(String topic, int queue) implements Comparable<TopicQueue> {
    @Override
    public int compareTo(TopicQueue o) {
        int c = topic.compareTo(o.topic);
        return c != 0 ? c : Integer.compare(queue, o.queue);
    }
}
