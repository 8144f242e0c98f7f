package dev.tern.engine;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(10)
class AssignorTest {

    private static Member member(String id, String... topics) {
        return new Member(id, id, Set.of(topics), StartPosition.earliest(), 0);
    }

    @Test
    void everyoneSubscribedToEverythingIsRoundRobinOverSortedIds() {
        var out = Assignor.assign(ConsumeMode.CLUSTERING, List.of(member("c", "t"), member("a", "t"), member("b", "t")), Map.of("t", 5));
        assertThat(out.get("a")).containsExactly(new TopicQueue("t", 0), new TopicQueue("t", 3));
        assertThat(out.get("b")).containsExactly(new TopicQueue("t", 1), new TopicQueue("t", 4));
        assertThat(out.get("c")).containsExactly(new TopicQueue("t", 2));
    }

    @Test
    void queuesGoOnlyToSubscribersAndEveryQueueHasOneOwner() {
        var members = List.of(member("a", "x", "y"), member("b", "y"), member("c", "x"));
        var out = Assignor.assign(ConsumeMode.CLUSTERING, members, Map.of("x", 4, "y", 4));
        Set<TopicQueue> seen = new HashSet<>();
        for (var e : out.entrySet()) {
            for (TopicQueue q : e.getValue()) {
                assertThat(seen.add(q)).isTrue();
                assertThat(members.stream().filter(m -> m.id.equals(e.getKey())).findFirst().orElseThrow().topics).contains(q.topic());
            }
        }
        assertThat(seen).hasSize(8);
        assertThat(out.values()).allSatisfy(qs -> assertThat(qs.size()).isBetween(2, 3));
        assertThat(Assignor.assign(ConsumeMode.CLUSTERING, members, Map.of("x", 4, "y", 4))).isEqualTo(out);
    }

    @Test
    void broadcastGivesEveryMemberEveryQueueOfItsTopics() {
        var out = Assignor.assign(ConsumeMode.BROADCAST, List.of(member("a", "x"), member("b", "x", "y")), Map.of("x", 2, "y", 1));
        assertThat(out.get("a")).containsExactly(new TopicQueue("x", 0), new TopicQueue("x", 1));
        assertThat(out.get("b")).containsExactly(new TopicQueue("x", 0), new TopicQueue("x", 1), new TopicQueue("y", 0));
    }

    @Test
    void missingTopicsHaveNoQueues() {
        var out = Assignor.assign(ConsumeMode.CLUSTERING, List.of(member("a", "ghost")), Map.of());
        assertThat(out.get("a")).isEmpty();
    }
}
