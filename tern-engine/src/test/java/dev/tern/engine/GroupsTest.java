package dev.tern.engine;

import dev.tern.common.Clock;
import dev.tern.common.error.ErrorCode;
import dev.tern.testsupport.ManualClock;
import dev.tern.testsupport.TestMessages;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.tern.testsupport.Await.await;
import static dev.tern.testsupport.Await.result;
import static org.assertj.core.api.Assertions.assertThat;

@ParameterizedClass
@EnumSource(StoreKind.class)
@Timeout(60)
class GroupsTest {
    @Parameter
    StoreKind kind;
    @TempDir
    Path dir;
    EngineHarness h;
    final ManualClock clock = new ManualClock(1_000_000);

    @BeforeEach
    void open() {
        h = new EngineHarness(kind, dir, Clock.SYSTEM, EngineConfig.defaults().withClock(clock).withSessionTimeoutMs(1000), EngineMetrics.NONE);
    }

    @AfterEach
    void close() {
        h.close();
    }

    private GroupCoordinator groups() {
        return h.engine().groups();
    }

    private Membership join(String group, String memberId, ConsumeMode mode, StartPosition start, String... topics) {
        return result(groups().join(new JoinRequest(group, memberId, "client", Set.of(topics), mode, start)));
    }

    private Membership join(String group, String... topics) {
        return join(group, null, ConsumeMode.CLUSTERING, StartPosition.earliest(), topics);
    }

    private Membership heartbeat(Membership m) {
        return result(groups().heartbeat(m.group(), m.memberId()));
    }

    /** The members' current assignments split every queue of the topics between them, with no overlap. */
    private static void assertPartition(List<Membership> members, Set<TopicQueue> all) {
        Set<TopicQueue> seen = new HashSet<>();
        int min = Integer.MAX_VALUE, max = 0;
        for (Membership m : members) {
            for (TopicQueue q : m.assigned()) assertThat(seen.add(q)).as(q + " assigned twice").isTrue();
            min = Math.min(min, m.assigned().size());
            max = Math.max(max, m.assigned().size());
        }
        assertThat(seen).isEqualTo(all);
        assertThat(max - min).as("even spread").isLessThanOrEqualTo(1);
        assertThat(members.stream().map(Membership::generation).distinct()).as("one generation").hasSize(1);
    }

    private static Set<TopicQueue> queues(String topic, int n) {
        Set<TopicQueue> out = new HashSet<>();
        for (int q = 0; q < n; q++) out.add(new TopicQueue(topic, q));
        return out;
    }

    @Test
    void threeMembersSplitTheQueuesAndALeaverIsReassigned() {
        String a = h.topic(4), b = h.topic(3);
        Set<TopicQueue> all = new HashSet<>(queues(a, 4));
        all.addAll(queues(b, 3));
        Membership m1 = join("g", a, b);
        assertThat(m1.assigned()).hasSize(7);
        Membership m2 = join("g", a, b);
        Membership m3 = join("g", a, b);
        assertThat(m3.generation()).isGreaterThan(m1.generation());
        List<Membership> now = List.of(heartbeat(m1), heartbeat(m2), heartbeat(m3));
        assertPartition(now, all);

        long before = now.getFirst().generation();
        result(groups().leave("g", m2.memberId()));
        List<Membership> after = List.of(heartbeat(m1), heartbeat(m3));
        assertPartition(after, all);
        assertThat(after.getFirst().generation()).isGreaterThan(before);
        Expect.fails(groups().heartbeat("g", m2.memberId()), ErrorCode.UNKNOWN_MEMBER);
        result(groups().leave("g", m2.memberId())); // leaving twice is harmless
    }

    @Test
    void aMemberThatStopsHeartbeatingExpiresAfterTheSessionTimeout() {
        String t = h.topic(4);
        Membership alive = join("g", t);
        Membership silent = join("g", t);
        long generation = heartbeat(alive).generation();
        assertThat(heartbeat(alive).assigned()).hasSize(2);

        clock.advance(600);
        heartbeat(alive);
        clock.advance(600); // silent: 1200 ms since its last heartbeat, over the 1000 ms timeout
        Expect.fails(groups().heartbeat("g", silent.memberId()), ErrorCode.UNKNOWN_MEMBER);
        await().untilAsserted(() -> {
            Membership m = heartbeat(alive);
            assertThat(m.assigned()).hasSize(4);
            assertThat(m.generation()).isGreaterThan(generation);
        });
        GroupDescription d = result(groups().describe("g")).orElseThrow();
        assertThat(d.members()).extracting(GroupDescription.Member::memberId).containsExactly(alive.memberId());

        // it can come back by joining again with its id
        Membership back = join("g", silent.memberId(), ConsumeMode.CLUSTERING, StartPosition.earliest(), t);
        assertThat(back.memberId()).isEqualTo(silent.memberId());
        assertPartition(List.of(heartbeat(alive), heartbeat(back)), queues(t, 4));
    }

    @Test
    void heartbeatsOfUnknownMembersFail() {
        String t = h.topic(1);
        Expect.fails(groups().heartbeat("nobody", "m1"), ErrorCode.UNKNOWN_MEMBER);
        join("g", t);
        Expect.fails(groups().heartbeat("g", "m1"), ErrorCode.UNKNOWN_MEMBER);
    }

    @Test
    void joinsAreValidated() {
        String t = h.topic(1);
        Expect.fails(groups().join(new JoinRequest("g", null, "c", Set.of(), ConsumeMode.CLUSTERING, null)), ErrorCode.INVALID_ARGUMENT);
        Expect.fails(groups().join(new JoinRequest("a%%b", null, "c", Set.of(t), ConsumeMode.CLUSTERING, null)), ErrorCode.INVALID_ARGUMENT);
        Expect.fails(groups().join(new JoinRequest("bad group", null, "c", Set.of(t), ConsumeMode.CLUSTERING, null)), ErrorCode.INVALID_ARGUMENT);
        Expect.fails(groups().join(new JoinRequest("g", "bad id", "c", Set.of(t), ConsumeMode.CLUSTERING, null)), ErrorCode.INVALID_ARGUMENT);
        Expect.fails(groups().join(new JoinRequest("g", null, "c", Set.of("bad topic"), ConsumeMode.CLUSTERING, null)), ErrorCode.INVALID_ARGUMENT);
        Expect.fails(groups().join(null), ErrorCode.INVALID_ARGUMENT);
        join("g", t);
        assertThat(Expect.fails(groups().join(new JoinRequest("g", null, "c", Set.of(t), ConsumeMode.BROADCAST, null)), ErrorCode.INVALID_ARGUMENT))
                .hasMessageContaining("CLUSTERING");
        assertThat(result(groups().describe("g")).orElseThrow().members()).hasSize(1);
    }

    @Test
    void aTopicCreatedAfterTheJoinIsAssignedWhenItAppears() {
        Membership m = join("g", "later");
        assertThat(m.assigned()).isEmpty();
        result(h.engine().topics().create("later", 2, Map.of()));
        await().untilAsserted(() -> {
            Membership now = heartbeat(m);
            assertThat(now.assigned()).containsExactly(new TopicQueue("later", 0), new TopicQueue("later", 1));
            assertThat(now.generation()).isGreaterThan(m.generation());
        });
    }

    @Test
    void broadcastMembersGetEveryQueueAndOffsetsOfTheirOwn() {
        String t = h.topic(3);
        for (int i = 0; i < 5; i++) h.send(t, 0, TestMessages.text("m" + i));
        Membership m1 = join("b", null, ConsumeMode.BROADCAST, StartPosition.earliest(), t);
        Membership m2 = join("b", null, ConsumeMode.BROADCAST, StartPosition.earliest(), t);
        assertThat(heartbeat(m1).assigned()).containsExactlyElementsOf(new java.util.TreeSet<>(queues(t, 3)));
        assertThat(heartbeat(m2).assigned()).isEqualTo(heartbeat(m1).assigned());

        assertThat(result(groups().position("b", m1.memberId(), t, 0))).isZero();
        result(groups().commit("b", m1.memberId(), t, 0, 5));
        assertThat(result(groups().position("b", m1.memberId(), t, 0))).isEqualTo(5);
        assertThat(result(groups().position("b", m2.memberId(), t, 0))).isZero();
        Expect.fails(groups().commit("b", null, t, 0, 1), ErrorCode.INVALID_ARGUMENT);
        Expect.fails(groups().commit("b", "stranger", t, 0, 1), ErrorCode.UNKNOWN_MEMBER);

        GroupDescription d = result(groups().describe("b")).orElseThrow();
        assertThat(d.mode()).isEqualTo(ConsumeMode.BROADCAST);
        assertThat(d.queues()).filteredOn(l -> l.queue() == 0 && l.owner().equals(m1.memberId()))
                .singleElement().satisfies(l -> assertThat(l.lag()).isZero());
        assertThat(d.queues()).filteredOn(l -> l.queue() == 0 && l.owner().equals(m2.memberId()))
                .singleElement().satisfies(l -> assertThat(l.lag()).isEqualTo(5));
        assertThat(d.queues()).hasSize(6);
        assertThat(result(groups().list())).containsExactly("b");
    }

    @Test
    void startPositionsEarliestLatestAndTime() {
        ManualClock storeClock = new ManualClock(1_000_000);
        h.close();
        h = new EngineHarness(kind, dir.resolve("time"), storeClock, EngineConfig.defaults().withClock(clock), EngineMetrics.NONE);
        String t = h.topic(1);
        for (int i = 0; i < 3; i++) h.send(t, 0, TestMessages.text("early" + i));
        storeClock.advance(10_000);
        for (int i = 0; i < 2; i++) h.send(t, 0, TestMessages.text("late" + i));

        Membership e = join("earliest", null, ConsumeMode.CLUSTERING, StartPosition.earliest(), t);
        Membership l = join("latest", null, ConsumeMode.CLUSTERING, StartPosition.latest(), t);
        Membership at = join("time", null, ConsumeMode.CLUSTERING, StartPosition.at(1_005_000), t);
        assertThat(result(groups().position("earliest", e.memberId(), t, 0))).isZero();
        assertThat(result(groups().position("latest", l.memberId(), t, 0))).isEqualTo(5);
        assertThat(result(groups().position("time", at.memberId(), t, 0))).isEqualTo(3);

        // "latest" was remembered: later messages are still ahead of the group
        h.send(t, 0, TestMessages.text("after"));
        assertThat(result(groups().position("latest", null, t, 0))).isEqualTo(5);
        // a group that never joined starts at the latest offset
        assertThat(result(groups().position("fresh", null, t, 0))).isEqualTo(6);
    }

    @Test
    void commitsAreValidated() {
        String t = h.topic(2);
        for (int i = 0; i < 3; i++) h.send(t, 0, TestMessages.text("m" + i));
        result(groups().commit("c", null, t, 0, 2));
        assertThat(result(groups().position("c", null, t, 0))).isEqualTo(2);
        result(groups().commit("c", null, t, 0, 3));
        result(groups().commit("c", null, t, 0, 1)); // moving back is allowed (a reset)
        assertThat(result(groups().position("c", null, t, 0))).isEqualTo(1);
        Expect.fails(groups().commit("c", null, t, 0, 4), ErrorCode.OFFSET_OUT_OF_RANGE);
        Expect.fails(groups().commit("c", null, t, 0, -1), ErrorCode.INVALID_ARGUMENT);
        Expect.fails(groups().commit("c", null, t, 2, 0), ErrorCode.QUEUE_NOT_FOUND);
        Expect.fails(groups().commit("c", null, "missing", 0, 0), ErrorCode.TOPIC_NOT_FOUND);
        Expect.fails(groups().commit("bad group", null, t, 0, 0), ErrorCode.INVALID_ARGUMENT);
        Expect.fails(groups().commit("c", "ghost", t, 0, 0), ErrorCode.UNKNOWN_MEMBER);
        Expect.fails(groups().position("c", null, "missing", 0), ErrorCode.TOPIC_NOT_FOUND);
    }

    @Test
    void describeShowsMembersAssignmentsAndLag() {
        String t = h.topic(2);
        for (int i = 0; i < 5; i++) h.send(t, 0, TestMessages.text("a" + i));
        for (int i = 0; i < 3; i++) h.send(t, 1, TestMessages.text("b" + i));
        Membership m = join("d", t);
        result(groups().commit("d", m.memberId(), t, 0, 2));

        GroupDescription d = result(groups().describe("d")).orElseThrow();
        assertThat(d.group()).isEqualTo("d");
        assertThat(d.mode()).isEqualTo(ConsumeMode.CLUSTERING);
        assertThat(d.generation()).isEqualTo(m.generation());
        assertThat(d.members()).singleElement().satisfies(member -> {
            assertThat(member.memberId()).isEqualTo(m.memberId());
            assertThat(member.clientId()).isEqualTo("client");
            assertThat(member.assigned()).hasSize(2);
            assertThat(member.lastHeartbeat()).isEqualTo(clock.millis());
        });
        assertThat(d.queues()).containsExactly(
                new GroupDescription.QueueLag(t, 0, m.memberId(), 2, 5, 3),
                new GroupDescription.QueueLag(t, 1, m.memberId(), -1, 3, 3));
        assertThat(d.totalLag()).isEqualTo(6);

        // after the last member leaves, the group is still known by its offsets
        result(groups().leave("d", m.memberId()));
        GroupDescription offline = result(groups().describe("d")).orElseThrow();
        assertThat(offline.members()).isEmpty();
        assertThat(offline.queues()).extracting(GroupDescription.QueueLag::committed).containsExactly(2L, -1L);
        assertThat(offline.queues()).extracting(GroupDescription.QueueLag::owner).containsOnlyNulls();
        assertThat(result(groups().list())).contains("d");
        assertThat(result(groups().describe("unknown"))).isEmpty();
    }

    @Test
    void listShowsLiveGroupsAndGroupsWithOffsets() {
        String t = h.topic(1);
        join("live", t);
        result(groups().commit("stored", null, t, 0, 0));
        assertThat(result(groups().list())).containsExactly("live", "stored");
    }

    @Test
    void concurrentJoinsEndInOnePartition() throws Exception {
        String t = h.topic(12);
        List<java.util.concurrent.CompletableFuture<Membership>> joins = new ArrayList<>();
        for (int i = 0; i < 10; i++) joins.add(groups().join(new JoinRequest("many", null, "c" + i, Set.of(t), ConsumeMode.CLUSTERING, null)));
        List<Membership> joined = new ArrayList<>();
        for (var j : joins) joined.add(result(j));
        // the membership is stable once every join has returned: heartbeats now show one generation
        List<Membership> members = new ArrayList<>();
        for (Membership m : joined) members.add(heartbeat(m));
        assertThat(members).extracting(Membership::memberId).doesNotHaveDuplicates();
        assertPartition(members, queues(t, 12));
    }
}
