package dev.tern.engine;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The assignment strategy: a pure function of the members (their ids and subscriptions) and the queue
 * counts of the topics, so that every computation over the same membership gives the same answer.
 * <p>
 * CLUSTERING: all queues of all subscribed topics, sorted by (topic, queue), are dealt out in that order;
 * each goes to the member subscribed to its topic that holds the fewest queues so far, the smallest
 * member id breaking ties. With everyone subscribed to everything this is round robin over the sorted
 * member ids (queue i to member i mod n); each member's count differs from any other's by at most one,
 * no queue has two owners and every queue of a subscribed topic has one.
 * <p>
 * BROADCAST: every member gets every queue of the topics it subscribes to.
 */
final class Assignor {

    private Assignor() {
    }

    /**
     * @param queueCounts queues per topic; a topic missing (or with 0) has no queues yet
     * @return member id → its queues, sorted; every member has an entry
     */
    static Map<String, List<TopicQueue>> assign(ConsumeMode mode, Collection<Member> members, Map<String, Integer> queueCounts) {
        List<Member> sorted = new ArrayList<>(members);
        sorted.sort(Comparator.comparing(m -> m.id));
        Map<String, List<TopicQueue>> out = new HashMap<>();
        for (Member m : sorted) out.put(m.id, new ArrayList<>());
        TreeSet<String> topics = new TreeSet<>();
        for (Member m : sorted) topics.addAll(m.topics);
        for (String topic : topics) {
            int queues = queueCounts.getOrDefault(topic, 0);
            List<Member> subscribers = sorted.stream().filter(m -> m.topics.contains(topic)).toList();
            for (int q = 0; q < queues; q++) {
                TopicQueue tq = new TopicQueue(topic, q);
                if (mode == ConsumeMode.BROADCAST) {
                    for (Member m : subscribers) out.get(m.id).add(tq);
                } else {
                    Member least = subscribers.getFirst();
                    for (Member m : subscribers) {
                        if (out.get(m.id).size() < out.get(least.id).size()) least = m;
                    }
                    out.get(least.id).add(tq);
                }
            }
        }
        out.replaceAll((id, qs) -> List.copyOf(qs));
        return out;
    }
}
