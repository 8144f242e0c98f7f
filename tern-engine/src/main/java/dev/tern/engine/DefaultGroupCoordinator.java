package dev.tern.engine;

import dev.tern.common.Names;
import dev.tern.common.error.ErrorCode;
import dev.tern.common.error.TernException;
import dev.tern.store.api.MessageStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * Consumer groups: live membership in memory (members re-join after a restart), committed offsets in
 * the store. Assignment is {@link Assignor}'s; offsets keys are {@link GroupKeys}'s. Session expiry is
 * checked every quarter of the session timeout (at most every 500 ms) on the engine's timer, against the
 * configured clock, so a test moves a manual clock instead of sleeping.
 * <p>
 * Lock order: a {@link Group}'s monitor is the only lock here, and it is never held while calling the
 * store or another group.
 * <p>
 * Bounded: a group takes at most {@code group.max.members} live members (which also bounds the work of
 * each reassignment), and the node at most {@code group.max.subscriptions} live (member, topic) pairs over
 * all groups (so also members and groups: each member subscribes to a topic at least); a join past either
 * fails with LIMIT_EXCEEDED.
 */
final class DefaultGroupCoordinator implements GroupCoordinator, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DefaultGroupCoordinator.class);

    private final EngineContext context;
    private final MessageStore store;
    private final TopicCache topics;
    private final ConcurrentHashMap<String, Group> groups = new ConcurrentHashMap<>();
    /** Live (member, topic) pairs over all groups: the topics of every member. */
    private final AtomicLong subscriptions = new AtomicLong();
    private final ScheduledFuture<?> expiry;

    DefaultGroupCoordinator(EngineContext context, MessageStore store, TopicCache topics) {
        this.context = context;
        this.store = store;
        this.topics = topics;
        long period = Math.max(10, Math.min(500, context.config.sessionTimeoutMs() / 4));
        this.expiry = context.every(this::expireMembers, period);
    }

    /** A join as checked and completed with defaults. */
    private record JoinSpec(String group, String memberId, String clientId, Set<String> topics, ConsumeMode mode, StartPosition start) {
    }

    @Override
    public CompletableFuture<Membership> join(JoinRequest request) {
        return context.hop(Failures.guard(() -> {
            context.checkOpen();
            Failures.require(request, "a join request");
            String group = GroupKeys.checkGroup(request.group());
            String memberId = request.memberId() == null ? null : GroupKeys.checkMemberId(request.memberId());
            if (request.topics() == null || request.topics().isEmpty()) throw TernException.invalid("a member subscribes to at least one topic");
            for (String t : request.topics()) Names.checkTopic(t);
            ConsumeMode mode = request.mode() == null ? ConsumeMode.CLUSTERING : request.mode();
            if (mode == ConsumeMode.BROADCAST && memberId != null) GroupKeys.member(group, memberId);
            StartPosition start = request.start() == null ? StartPosition.latest() : request.start();
            String clientId = request.clientId() == null ? "" : request.clientId();
            return join(new JoinSpec(group, memberId, clientId, Set.copyOf(request.topics()), mode, start));
        }));
    }

    private CompletableFuture<Membership> join(JoinSpec spec) {
        Group g = groups.computeIfAbsent(spec.group(), Group::new);
        return change(g, spec.topics(), counts -> {
            if (g.removed) return null;
            Member m = spec.memberId() == null ? null : g.members.get(spec.memberId());
            boolean others = g.members.size() > (m == null ? 0 : 1);
            if (others && g.mode != spec.mode()) {
                throw TernException.invalid("group '" + g.name + "' consumes in " + g.mode + " mode; a member cannot join it in " + spec.mode() + " mode");
            }
            if (!others) {
                g.mode = spec.mode();
                g.start = spec.start();
            }
            long now = context.config.clock().millis();
            boolean changed;
            if (m == null) {
                String id = spec.memberId() != null ? spec.memberId() : newMemberId(g, spec);
                checkRoom(g);
                subscribe(spec.topics().size());
                m = new Member(id, spec.clientId(), spec.topics(), spec.start(), now);
                g.members.put(id, m);
                changed = true;
                LOG.debug("member {} ({}) joined group {}", id, spec.clientId(), g.name);
            } else {
                changed = !m.topics.equals(spec.topics());
                subscribe(spec.topics().size() - m.topics.size());
                m.clientId = spec.clientId();
                m.topics = spec.topics();
                m.start = spec.start();
                m.lastHeartbeat = now;
            }
            reassign(g, counts, changed);
            return g.membership(m);
        }).thenCompose(membership -> membership != null
                ? CompletableFuture.completedFuture(membership)
                : join(spec)); // the group emptied and went away meanwhile: join its successor
    }

    /** Under the group's monitor: refuses one member more than {@code group.max.members}. */
    private void checkRoom(Group g) {
        int max = context.config.clientLimits().groupMaxMembers();
        if (g.members.size() >= max) {
            throw new TernException(ErrorCode.LIMIT_EXCEEDED, "group '" + g.name + "' has " + g.members.size()
                    + " live members, the most group.max.members allows");
        }
    }

    /** Counts {@code delta} more live subscriptions, refusing to pass {@code group.max.subscriptions}. */
    private void subscribe(int delta) {
        long max = context.config.clientLimits().groupMaxSubscriptions();
        long now = subscriptions.addAndGet(delta);
        if (delta > 0 && now > max) {
            subscriptions.addAndGet(-delta);
            throw new TernException(ErrorCode.LIMIT_EXCEEDED, "the node has " + (now - delta) + " live subscriptions (member, topic) of"
                    + " consumer groups; " + delta + " more would pass group.max.subscriptions (" + max + ")");
        }
    }

    /** Under the group's monitor: removes a member and its subscriptions. */
    private boolean removeMember(Group g, String memberId) {
        Member m = g.members.remove(memberId);
        if (m == null) return false;
        subscriptions.addAndGet(-m.topics.size());
        return true;
    }

    /** Live subscriptions (member, topic) over all groups (for tests). */
    long subscriptions() {
        return subscriptions.get();
    }

    private String newMemberId(Group g, JoinSpec spec) {
        int max = spec.mode() == ConsumeMode.BROADCAST ? GroupKeys.maxMemberIdLength(g.name) : 64;
        if (max < 12) {
            throw TernException.invalid("group name '" + g.name + "' is too long for broadcast mode: at most "
                    + (Names.MAX_LENGTH - GroupKeys.MEMBER_SEPARATOR.length() - 12) + " characters");
        }
        String prefix = spec.clientId().replaceAll("[^A-Za-z0-9._\\-]", "_");
        prefix = prefix.substring(0, Math.min(prefix.length(), Math.min(24, max - 13)));
        while (true) {
            String suffix = String.format("%012x", ThreadLocalRandom.current().nextLong() & 0xffff_ffff_ffffL);
            String id = prefix.isEmpty() ? suffix : prefix + "-" + suffix;
            if (!g.members.containsKey(id)) return id;
        }
    }

    @Override
    public CompletableFuture<Membership> heartbeat(String group, String memberId) {
        return context.hop(Failures.guard(() -> {
            context.checkOpen();
            GroupKeys.checkGroup(group);
            Failures.require(memberId, "a member id");
            Group g = groups.get(group);
            if (g != null) {
                synchronized (g) {
                    Member m = g.members.get(memberId);
                    long now = context.config.clock().millis();
                    if (m != null && !g.removed && !m.expired(now, context.config.sessionTimeoutMs())) {
                        m.lastHeartbeat = now;
                        return CompletableFuture.completedFuture(g.membership(m));
                    }
                }
            }
            throw unknownMember(group, memberId);
        }));
    }

    @Override
    public CompletableFuture<Void> leave(String group, String memberId) {
        return context.hop(Failures.guard(() -> {
            context.checkOpen();
            GroupKeys.checkGroup(group);
            Failures.require(memberId, "a member id");
            Group g = groups.get(group);
            if (g == null) return CompletableFuture.<Void>completedFuture(null);
            return change(g, Set.of(), counts -> {
                if (removeMember(g, memberId)) {
                    LOG.debug("member {} left group {}", memberId, g.name);
                    reassign(g, counts, true);
                }
                return null;
            });
        }));
    }

    @Override
    public CompletableFuture<Void> commit(String group, String memberId, String topic, int queue, long offset) {
        return context.hop(Failures.guard(() -> {
            context.checkOpen();
            GroupKeys.checkGroup(group);
            Names.checkTopic(topic);
            if (offset < 0) throw TernException.invalid("an offset cannot be negative: " + offset);
            String key = offsetsKey(group, memberId);
            return store.log().range(topic, queue).thenCompose(range -> {
                if (offset > range.nextOffset()) {
                    throw new TernException(ErrorCode.OFFSET_OUT_OF_RANGE, "offset " + offset + " is past the end of topic '" + topic
                            + "' queue " + queue + " (next offset " + range.nextOffset() + ")");
                }
                return store.offsets().commit(key, topic, queue, offset, context.config.defaultDurability());
            });
        }));
    }

    @Override
    public CompletableFuture<Long> position(String group, String memberId, String topic, int queue) {
        return context.hop(Failures.guard(() -> {
            context.checkOpen();
            GroupKeys.checkGroup(group);
            Names.checkTopic(topic);
            String key = offsetsKey(group, memberId);
            StartPosition start = startOf(group, memberId);
            return store.offsets().fetch(key, topic, queue).thenCompose(committed -> {
                if (committed.isPresent()) return CompletableFuture.completedFuture(committed.getAsLong());
                // remember where the group started, so that "latest" means the same on every later call
                return StartPositions.resolve(store, start, topic, queue)
                        .thenCompose(offset -> store.offsets().commit(key, topic, queue, offset, context.config.defaultDurability())
                                .thenApply(v -> offset));
            });
        }));
    }

    @Override
    public CompletableFuture<List<String>> list() {
        return context.hop(Failures.guard(() -> {
            context.checkOpen();
            return store.offsets().groups().thenApply(stored -> {
                TreeSet<String> names = new TreeSet<>();
                for (String s : stored) names.add(GroupKeys.groupOf(s));
                for (Group g : groups.values()) {
                    synchronized (g) {
                        if (!g.removed && !g.members.isEmpty()) names.add(g.name);
                    }
                }
                return List.copyOf(names);
            });
        }));
    }

    @Override
    public CompletableFuture<Optional<GroupDescription>> describe(String group) {
        return context.hop(Failures.guard(() -> {
            context.checkOpen();
            GroupKeys.checkGroup(group);
            return new GroupDescriber(store, snapshot(group)).describe();
        }));
    }

    /** Called when a topic is created or deleted through this engine: groups subscribed to it reassign. */
    void topicChanged(String topic) {
        for (Group g : groups.values()) {
            boolean subscribed;
            synchronized (g) {
                subscribed = g.subscribedTopics().contains(topic);
            }
            if (subscribed) {
                change(g, Set.of(), counts -> reassign(g, counts, false)).exceptionally(e -> {
                    LOG.warn("reassigning group {} after a change of topic {} failed", g.name, topic, e);
                    return false;
                });
            }
        }
    }

    /**
     * Queues a membership change: fetches the queue counts of every topic the group's members subscribe to
     * (plus {@code extraTopics}), then applies {@code mutation} under the group's monitor. A group left
     * empty is removed.
     */
    private <T> CompletableFuture<T> change(Group g, Set<String> extraTopics, Function<Map<String, Integer>, T> mutation) {
        return g.enqueue(() -> {
            Set<String> needed;
            synchronized (g) {
                needed = new HashSet<>(g.subscribedTopics());
            }
            needed.addAll(extraTopics);
            return queueCounts(needed).thenApply(counts -> {
                synchronized (g) {
                    try {
                        return mutation.apply(counts);
                    } finally {
                        if (g.members.isEmpty() && !g.removed) {
                            g.removed = true;
                            groups.remove(g.name, g);
                        }
                    }
                }
            });
        }, context.executor);
    }

    /** Under the group's monitor. */
    private boolean reassign(Group g, Map<String, Integer> counts, boolean membershipChanged) {
        if (!g.reassign(counts, membershipChanged)) return false;
        LOG.debug("group {} generation {}: {}", g.name, g.generation, g.members.keySet());
        try {
            context.metrics.rebalanced(g.name, g.generation);
        } catch (RuntimeException e) {
            LOG.warn("metrics hook failed", e);
        }
        return true;
    }

    private CompletableFuture<Map<String, Integer>> queueCounts(Set<String> names) {
        List<String> list = new ArrayList<>(names);
        List<CompletableFuture<Integer>> counts = new ArrayList<>(list.size());
        for (String t : list) counts.add(topics.get(t).thenApply(info -> info.map(i -> i.queues()).orElse(0)));
        return CompletableFuture.allOf(counts.toArray(CompletableFuture[]::new)).thenApply(v -> {
            Map<String, Integer> out = new HashMap<>();
            for (int i = 0; i < list.size(); i++) out.put(list.get(i), counts.get(i).join());
            return out;
        });
    }

    private void expireMembers() {
        long now = context.config.clock().millis();
        long timeout = context.config.sessionTimeoutMs();
        for (Group g : groups.values()) {
            synchronized (g) {
                if (g.expiryQueued || g.members.values().stream().noneMatch(m -> m.expired(now, timeout))) continue;
                g.expiryQueued = true;
            }
            change(g, Set.of(), counts -> {
                g.expiryQueued = false;
                long at = context.config.clock().millis();
                List<String> gone = g.members.values().stream().filter(m -> m.expired(at, timeout)).map(m -> m.id).toList();
                for (String id : gone) {
                    removeMember(g, id);
                    LOG.info("member {} of group {} missed heartbeats for {} ms: removed", id, g.name, timeout);
                }
                if (!gone.isEmpty()) reassign(g, counts, true);
                return null;
            }).exceptionally(e -> {
                LOG.warn("expiring members of group {} failed", g.name, e);
                synchronized (g) {
                    g.expiryQueued = false;
                }
                return null;
            });
        }
    }

    /**
     * The offsets key a commit or position of (group, memberId) uses. A live BROADCAST group needs a live
     * member's id; a live CLUSTERING group takes null or a live member's id (an expired member is fenced
     * off); a group with no live members takes null only.
     */
    private String offsetsKey(String group, String memberId) {
        Group g = groups.get(group);
        long now = context.config.clock().millis();
        if (g != null) {
            synchronized (g) {
                if (!g.removed && !g.members.isEmpty()) {
                    Member m = memberId == null ? null : g.members.get(memberId);
                    boolean live = m != null && !m.expired(now, context.config.sessionTimeoutMs());
                    if (g.mode == ConsumeMode.BROADCAST) {
                        if (memberId == null) {
                            throw TernException.invalid("group '" + group + "' consumes in BROADCAST mode: give the member id, whose offsets are its own");
                        }
                        if (!live) throw unknownMember(group, memberId);
                        return GroupKeys.member(group, memberId);
                    }
                    if (memberId != null && !live) throw unknownMember(group, memberId);
                    return group;
                }
            }
        }
        if (memberId != null) throw unknownMember(group, memberId);
        return group;
    }

    /** The start position of a member, else of its group, else latest. */
    private StartPosition startOf(String group, String memberId) {
        Group g = groups.get(group);
        if (g == null) return StartPosition.latest();
        synchronized (g) {
            Member m = memberId == null ? null : g.members.get(memberId);
            return m != null ? m.start : g.start;
        }
    }

    private GroupDescriber.Snapshot snapshot(String group) {
        Group g = groups.get(group);
        if (g == null) return GroupDescriber.Snapshot.none(group);
        synchronized (g) {
            if (g.removed || g.members.isEmpty()) return GroupDescriber.Snapshot.none(group);
            List<GroupDescription.Member> members = new ArrayList<>();
            Map<String, Set<String>> subscriptions = new HashMap<>();
            Map<TopicQueue, String> owners = new HashMap<>();
            for (Member m : g.members.values()) {
                members.add(new GroupDescription.Member(m.id, m.clientId, m.assigned, m.lastHeartbeat));
                subscriptions.put(m.id, m.topics);
                for (TopicQueue q : m.assigned) owners.putIfAbsent(q, m.id);
            }
            return new GroupDescriber.Snapshot(group, true, g.mode, g.generation, members, subscriptions, owners);
        }
    }

    private static TernException unknownMember(String group, String memberId) {
        return new TernException(ErrorCode.UNKNOWN_MEMBER,
                "member '" + memberId + "' is not in group '" + group + "' (its session expired or it never joined): join again");
    }

    /** Ends every session and stops the expiry checks. */
    @Override
    public void close() {
        expiry.cancel(false);
        for (Group g : groups.values()) {
            synchronized (g) {
                g.members.clear();
                g.removed = true;
            }
        }
        groups.clear();
        subscriptions.set(0);
    }
}
