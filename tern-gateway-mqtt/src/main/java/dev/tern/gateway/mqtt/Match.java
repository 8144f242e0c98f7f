package dev.tern.gateway.mqtt;

import java.util.ArrayList;
import java.util.List;

/**
 * What one message means to one session: the merged effect of the session's subscriptions that take it —
 * the highest granted QoS (each capped by the publish QoS), RETAIN kept if one of them is retain-as-published,
 * and all their subscription identifiers. Live routing ({@link Sessions}) and the log reads of
 * {@link CatchUp} compute it here, so both deliver a message the same way.
 */
final class Match {
    private int qos = -1;
    private boolean retain;
    private List<Integer> ids = List.of();

    /** The session's non-shared subscriptions that take {@code d}, merged; {@link #matched()} false if none. */
    static Match direct(Session s, Delivery d) {
        Match m = new Match();
        for (Subscription sub : s.subscriptions.values()) {
            if (sub.shareGroup() == null && TopicNames.matches(sub.filter(), d.mqttTopic())) m.addDirect(sub, s.clientId, d);
        }
        return m;
    }

    /** Adds a non-shared subscription of client {@code clientId}, unless it is no-local and the client published {@code d}. */
    void addDirect(Subscription sub, String clientId, Delivery d) {
        if (!(sub.noLocal() && clientId.equals(d.publisher()))) add(sub, d);
    }

    void add(Subscription sub, Delivery d) {
        qos = Math.max(qos, Math.min(sub.qos(), d.qos()));
        retain |= sub.retainAsPublished() && d.retain();
        if (sub.identifier() > 0) {
            if (ids.isEmpty()) ids = new ArrayList<>(2);
            ids.add(sub.identifier());
        }
    }

    /** This match and {@code other} together (either may be null); null when both are. */
    static Match merge(Match a, Match b) {
        if (a == null) return b;
        if (b == null) return a;
        Match m = new Match();
        m.qos = Math.max(a.qos, b.qos);
        m.retain = a.retain || b.retain;
        m.ids = new ArrayList<>(a.ids);
        m.ids.addAll(b.ids);
        return m;
    }

    boolean matched() {
        return qos >= 0;
    }

    int qos() {
        return qos;
    }

    boolean retain() {
        return retain;
    }

    List<Integer> ids() {
        return ids;
    }
}
