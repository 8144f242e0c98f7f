package dev.tern.gateway.mqtt;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The sessions connected to this node and their subscriptions in one {@link TopicTrie}; routes a message
 * to the sessions whose filters match its MQTT topic name: one delivery per session (at the highest
 * granted QoS of its matching filters, with all their subscription identifiers), and one session per
 * share group of a shared subscription (in turn).
 */
final class Sessions {
    private final Map<String, Session> byClientId = new ConcurrentHashMap<>();
    /** Every session not yet ended (including ones already replaced by a take-over), for a clean close. */
    private final java.util.Set<Session> live = ConcurrentHashMap.newKeySet();
    private final TopicTrie<Object, Route> trie = new TopicTrie<>();
    private final Map<String, AtomicInteger> shareTurns = new ConcurrentHashMap<>();
    private final AtomicInteger rootWildcards = new AtomicInteger();
    private final AtomicLong routed = new AtomicLong();
    private final LongAdder dropped = new LongAdder();
    private final LongAdder caughtUp = new LongAdder();
    private final AtomicInteger behind = new AtomicInteger();

    private volatile SharedGroups shared;

    private record ShareKey(Session session, String group) {
    }

    /** Serves shared subscriptions through engine consumer groups from now on (else on this node only). */
    void shareThrough(SharedGroups groups) {
        this.shared = groups;
        groups.bind(this);
    }

    /** Registers {@code s} as its client id's session; answers the one it replaces (to be closed), or null. */
    Session register(Session s) {
        java.util.concurrent.ScheduledFuture<?> will = delayedWills.remove(s.clientId);
        if (will != null) will.cancel(false);
        live.add(s);
        s.ended.whenComplete((v, e) -> live.remove(s));
        return byClientId.put(s.clientId, s);
    }

    private final Map<String, java.util.concurrent.ScheduledFuture<?>> delayedWills = new ConcurrentHashMap<>();
    /** Sessions left the table but not yet ended (saved or deleted), by client id. */
    private final Map<String, java.util.concurrent.CompletableFuture<Void>> ending = new ConcurrentHashMap<>();

    /** Completes once the last session of {@code clientId} that left the table has ended (at once if none is ending). */
    java.util.concurrent.CompletableFuture<Void> ending(String clientId) {
        java.util.concurrent.CompletableFuture<Void> f = ending.get(clientId);
        return f == null ? java.util.concurrent.CompletableFuture.completedFuture(null) : f;
    }

    /**
     * Publishes a will after its 5.0 delay unless its client id reconnects first [MQTT-3.1.3-9]; at once when
     * {@code max} wills are waiting already (each holds its payload in memory). Answers whether it was delayed.
     */
    boolean delayWill(String clientId, Runnable publish, long delaySeconds, java.util.concurrent.ScheduledExecutorService timer, int max) {
        if (delayedWills.size() >= max) return false;
        java.util.concurrent.atomic.AtomicReference<java.util.concurrent.ScheduledFuture<?>> self = new java.util.concurrent.atomic.AtomicReference<>();
        java.util.concurrent.ScheduledFuture<?> will = timer.schedule(() -> {
            delayedWills.remove(clientId, self.get());
            if (!isConnected(clientId)) publish.run();
        }, delaySeconds, java.util.concurrent.TimeUnit.SECONDS);
        self.set(will);
        java.util.concurrent.ScheduledFuture<?> old = delayedWills.put(clientId, will);
        if (old != null) old.cancel(false);
        return true;
    }

    /** Completes when every session registered so far has ended (and been saved). */
    java.util.concurrent.CompletableFuture<Void> allEnded() {
        return java.util.concurrent.CompletableFuture.allOf(live.stream().map(x -> x.ended)
                .toArray(java.util.concurrent.CompletableFuture[]::new));
    }

    /** Forgets {@code s} if it is still its client id's session; removes its routes in any case. */
    void unregister(Session s) {
        // before it leaves the table: a connection with its client id that no longer finds it waits for its save
        ending.put(s.clientId, s.ended);
        s.ended.whenComplete((v, e) -> ending.remove(s.clientId, s.ended));
        byClientId.remove(s.clientId, s);
        for (Subscription sub : s.subscriptions.values()) removeRoute(s, sub);
    }

    /** The sessions connected now. */
    java.util.Collection<Session> connectedSessions() {
        return byClientId.values();
    }

    boolean isConnected(String clientId) {
        return byClientId.containsKey(clientId);
    }

    int connected() {
        return byClientId.size();
    }

    long routed() {
        return routed.get();
    }

    /**
     * Deliveries given up since start: expired, over the client's maximum packet size, messages the log no
     * longer kept when a session that was behind came to read them, and for shared subscriptions (and
     * {@code $SYS}) a backed-up socket or a full queue.
     */
    LongAdder droppedCounter() {
        return dropped;
    }

    /** Deliveries made by the sessions' {@link CatchUp}s (read from the log), since start; also counted in {@link #routed()}. */
    LongAdder caughtUpCounter() {
        return caughtUp;
    }

    /** Sessions behind on at least one queue now (their {@link CatchUp} reads the log for them). */
    AtomicInteger behindCounter() {
        return behind;
    }

    /** Counts deliveries made by a catch-up. */
    void caughtUp(int n) {
        caughtUp.add(n);
        routed.addAndGet(n);
    }

    /** Share-group turn counters kept at most (clients may name any number of groups over time). */
    private static final int MAX_SHARE_TURNS = 10_000;

    /** The check of {@link #nobodyLive} walks every session's subscriptions: worth it while they are few. */
    private static final int FEW_SESSIONS = 16;

    /**
     * Whether no session would take a message of Tern topic {@code topic}, queue {@code queue}, from live routing
     * now: each session with a subscription for the topic is behind on that queue (its {@link CatchUp} reads the
     * log for it) and none of those subscriptions is shared. Then a reader need not decode and route the
     * messages at all (a subscriber slower than its publisher is behind nearly all the time). Asked by a reader
     * under its lock, so no session comes back to live routing on the queue meanwhile. Answers false, route as
     * usual, when there are many sessions.
     */
    boolean nobodyLive(String topic, int queue) {
        if (live.size() > FEW_SESSIONS) return false;
        for (Session s : live) {
            for (Subscription sub : s.subscriptions.values()) {
                if (!TopicNames.rootWildcard(sub.filter()) && !TopicMapping.ternTopic(sub.filter()).equals(topic)) continue;
                if (sub.shareGroup() != null || !s.catchUp.behindOn(topic, queue)) return false;
            }
        }
        return true;
    }

    /** Whether any subscription has a wildcard first level (then every Tern topic must be read). */
    boolean anyRootWildcard() {
        return rootWildcards.get() > 0;
    }

    void addRoute(Session s, Subscription sub) {
        Route old = trie.add(sub.filter(), owner(s, sub), new Route(s, sub));
        if (old == null && TopicNames.rootWildcard(sub.filter())) rootWildcards.incrementAndGet();
        SharedGroups g = shared;
        if (old == null && sub.shareGroup() != null && g != null) g.added(sub.shareGroup(), sub.filter());
    }

    void removeRoute(Session s, Subscription sub) {
        Route old = trie.remove(sub.filter(), owner(s, sub));
        if (old != null && TopicNames.rootWildcard(sub.filter())) rootWildcards.decrementAndGet();
        SharedGroups g = shared;
        if (old != null && sub.shareGroup() != null && g != null) g.removed(sub.shareGroup(), sub.filter());
    }

    /** Delivers {@code d}, read by share group {@code share}'s engine member, to one of the group's sessions here. */
    void routeShared(String share, Delivery d) {
        List<Route> members = new ArrayList<>(2);
        trie.match(d.mqttTopic(), (owner, r) -> {
            if (share.equals(r.subscription().shareGroup()) && SharedGroups.viaEngine(r.subscription().filter())) members.add(r);
        });
        if (members.isEmpty()) return;
        int turn = Math.floorMod(turn(share + "/").getAndIncrement(), members.size());
        Route r = members.get(turn);
        Match m = new Match();
        m.add(r.subscription(), d);
        if (r.session().deliver(d, null, m)) routed.incrementAndGet();
    }

    /**
     * Delivers {@code d} to every matching session. Called by readers, under their lock (which is what lets a
     * session that is behind on the queue hand over from its {@link CatchUp} to live routing without a gap).
     */
    void route(Delivery d) {
        Map<Session, Match> direct = new HashMap<>();
        List<Route> sharedRoutes = new ArrayList<>(0);
        trie.match(d.mqttTopic(), (owner, r) -> {
            if (r.subscription().shareGroup() != null) {
                // served by the group's engine member (routeShared) unless the filter names no topic
                if (shared == null || !SharedGroups.viaEngine(r.subscription().filter())) sharedRoutes.add(r);
            } else {
                direct.computeIfAbsent(r.session(), k -> new Match()).addDirect(r.subscription(), r.session().clientId, d);
            }
        });
        Map<Session, Match> picked = sharedRoutes.isEmpty() ? Map.of() : pickShareMembers(sharedRoutes, d);
        int handed = 0;
        for (Map.Entry<Session, Match> e : direct.entrySet()) {
            Match m = e.getValue();
            if (e.getKey().deliver(d, m.matched() ? m : null, picked.get(e.getKey()))) handed++;
        }
        for (Map.Entry<Session, Match> e : picked.entrySet()) {
            if (!direct.containsKey(e.getKey()) && e.getKey().deliver(d, null, e.getValue())) handed++;
        }
        routed.addAndGet(handed);
    }

    /** One session per local share group (in turn), with what its shared subscription makes of {@code d}. */
    private Map<Session, Match> pickShareMembers(List<Route> sharedRoutes, Delivery d) {
        Map<String, List<Route>> byGroup = new HashMap<>();
        for (Route r : sharedRoutes) {
            byGroup.computeIfAbsent(r.subscription().shareGroup() + "/" + r.subscription().filter(), k -> new ArrayList<>()).add(r);
        }
        Map<Session, Match> picked = new HashMap<>();
        for (Map.Entry<String, List<Route>> g : byGroup.entrySet()) {
            List<Route> members = g.getValue();
            int turn = Math.floorMod(turn(g.getKey()).getAndIncrement(), members.size());
            Route r = members.get(turn);
            picked.computeIfAbsent(r.session(), k -> new Match()).add(r.subscription(), d);
        }
        return picked;
    }

    /** Whose turn it is in a share group; the counters of groups long gone are dropped together past a bound. */
    private AtomicInteger turn(String group) {
        if (shareTurns.size() > MAX_SHARE_TURNS) shareTurns.clear(); // only the fairness of the next picks is lost
        return shareTurns.computeIfAbsent(group, k -> new AtomicInteger());
    }

    private static Object owner(Session s, Subscription sub) {
        return sub.shareGroup() == null ? s : new ShareKey(s, sub.shareGroup());
    }
}
