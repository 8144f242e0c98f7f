package dev.tern.engine;

import dev.tern.common.error.ErrorCode;
import dev.tern.store.api.GroupOffset;
import dev.tern.store.api.MessageStore;
import dev.tern.store.api.QueueRange;
import dev.tern.store.api.TopicInfo;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;

/**
 * Builds a {@link GroupDescription} from the group's live state (a snapshot) and its committed offsets:
 * one {@link GroupDescription.QueueLag} per queue of every topic the group subscribes to or has offsets
 * for — per consumer in BROADCAST mode, where each member has offsets of its own.
 */
final class GroupDescriber {

    /** The live part of a group, copied under its monitor. */
    record Snapshot(String group, boolean live, ConsumeMode mode, long generation, List<GroupDescription.Member> members,
                    Map<String, Set<String>> subscriptions, Map<TopicQueue, String> owners) {
        static Snapshot none(String group) {
            return new Snapshot(group, false, ConsumeMode.CLUSTERING, 0, List.of(), Map.of(), Map.of());
        }
    }

    private final MessageStore store;
    private final Snapshot live;

    GroupDescriber(MessageStore store, Snapshot live) {
        this.store = store;
        this.live = live;
    }

    CompletableFuture<Optional<GroupDescription>> describe() {
        CompletableFuture<List<GroupOffset>> own = store.offsets().list(live.group());
        CompletableFuture<Map<String, List<GroupOffset>>> perMember = memberOffsets();
        return own.thenCombine(perMember, (clustering, broadcast) -> {
            if (!live.live() && clustering.isEmpty() && broadcast.isEmpty()) return Optional.<ConsumerOffsets>empty();
            ConsumeMode mode = live.live() ? live.mode()
                    : clustering.isEmpty() ? ConsumeMode.BROADCAST : ConsumeMode.CLUSTERING;
            return Optional.of(new ConsumerOffsets(mode, clustering, broadcast));
        }).thenCompose(found -> found.isEmpty()
                ? CompletableFuture.completedFuture(Optional.<GroupDescription>empty())
                : build(found.get()).thenApply(Optional::of));
    }

    private record ConsumerOffsets(ConsumeMode mode, List<GroupOffset> clustering, Map<String, List<GroupOffset>> broadcast) {
    }

    /** member id → offsets, for the broadcast members of this group that committed any. */
    private CompletableFuture<Map<String, List<GroupOffset>>> memberOffsets() {
        return store.offsets().groups().thenCompose(all -> {
            Map<String, CompletableFuture<List<GroupOffset>>> lists = new TreeMap<>();
            for (String stored : all) {
                GroupKeys.splitMember(stored).filter(p -> p[0].equals(live.group()))
                        .ifPresent(p -> lists.put(p[1], store.offsets().list(stored)));
            }
            return CompletableFuture.allOf(lists.values().toArray(CompletableFuture[]::new)).thenApply(v -> {
                Map<String, List<GroupOffset>> out = new TreeMap<>();
                lists.forEach((member, f) -> out.put(member, f.join()));
                return out;
            });
        });
    }

    /** One consumer of queues: the group itself (CLUSTERING) or one member (BROADCAST). */
    private record Consumer(String owner, Set<String> topics, Map<TopicQueue, Long> committed) {
    }

    private CompletableFuture<GroupDescription> build(ConsumerOffsets offsets) {
        List<Consumer> consumers = new ArrayList<>();
        if (offsets.mode() == ConsumeMode.CLUSTERING) {
            Set<String> topics = new TreeSet<>();
            live.subscriptions().values().forEach(topics::addAll);
            consumers.add(consumer(null, topics, offsets.clustering()));
        } else {
            Set<String> ids = new TreeSet<>(live.subscriptions().keySet());
            ids.addAll(offsets.broadcast().keySet());
            for (String id : ids) {
                consumers.add(consumer(id, new TreeSet<>(live.subscriptions().getOrDefault(id, Set.of())),
                        offsets.broadcast().getOrDefault(id, List.of())));
            }
        }
        Set<String> topics = new TreeSet<>();
        for (Consumer c : consumers) topics.addAll(c.topics());
        return ranges(topics).thenApply(ranges -> {
            List<GroupDescription.QueueLag> lags = new ArrayList<>();
            for (Consumer c : consumers) {
                for (String topic : c.topics()) {
                    List<QueueRange> qs = ranges.get(topic);
                    if (qs == null) continue; // deleted
                    for (int q = 0; q < qs.size(); q++) {
                        TopicQueue tq = new TopicQueue(topic, q);
                        String owner = c.owner() != null ? c.owner() : live.owners().get(tq);
                        lags.add(lag(tq, owner, c.committed().getOrDefault(tq, -1L), qs.get(q)));
                    }
                }
            }
            lags.sort(Comparator.comparing(GroupDescription.QueueLag::topic).thenComparingInt(GroupDescription.QueueLag::queue)
                    .thenComparing(l -> l.owner() == null ? "" : l.owner()));
            List<GroupDescription.Member> members = live.members().stream().sorted(Comparator.comparing(GroupDescription.Member::memberId)).toList();
            return new GroupDescription(live.group(), offsets.mode(), live.generation(), members, List.copyOf(lags));
        });
    }

    private static Consumer consumer(String owner, Set<String> topics, List<GroupOffset> offsets) {
        Map<TopicQueue, Long> committed = new HashMap<>();
        for (GroupOffset o : offsets) {
            committed.put(new TopicQueue(o.topic(), o.queue()), o.offset());
            topics.add(o.topic());
        }
        return new Consumer(owner, topics, committed);
    }

    /** Lag counts only messages still kept: what retention removed can no longer be consumed. */
    private static GroupDescription.QueueLag lag(TopicQueue tq, String owner, long committed, QueueRange range) {
        long lag = committed < 0 ? range.count() : Math.max(0, range.nextOffset() - Math.max(committed, range.minOffset()));
        return new GroupDescription.QueueLag(tq.topic(), tq.queue(), owner, committed, range.nextOffset(), lag);
    }

    /** topic → range of each queue, for the topics that exist. */
    private CompletableFuture<Map<String, List<QueueRange>>> ranges(Set<String> topics) {
        Map<String, CompletableFuture<Optional<List<QueueRange>>>> all = new TreeMap<>();
        for (String t : topics) all.put(t, store.topics().describe(t).thenCompose(this::rangesOf));
        return CompletableFuture.allOf(all.values().toArray(CompletableFuture[]::new)).thenApply(v -> {
            Map<String, List<QueueRange>> out = new HashMap<>();
            all.forEach((t, f) -> f.join().ifPresent(r -> out.put(t, r)));
            return out;
        });
    }

    private CompletableFuture<Optional<List<QueueRange>>> rangesOf(Optional<TopicInfo> info) {
        if (info.isEmpty()) return CompletableFuture.completedFuture(Optional.empty());
        List<CompletableFuture<QueueRange>> rs = new ArrayList<>();
        for (int q = 0; q < info.get().queues(); q++) rs.add(store.log().range(info.get().name(), q));
        return CompletableFuture.allOf(rs.toArray(CompletableFuture[]::new))
                .thenApply(v -> Optional.of(rs.stream().map(CompletableFuture::join).toList()))
                .exceptionally(e -> {
                    if (Failures.is(e, ErrorCode.TOPIC_NOT_FOUND)) return Optional.empty();
                    throw Failures.unwrap(e);
                });
    }
}
