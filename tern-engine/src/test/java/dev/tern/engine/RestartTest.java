package dev.tern.engine;

import dev.tern.testsupport.TestMessages;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Set;

import static dev.tern.testsupport.Await.result;
import static org.assertj.core.api.Assertions.assertThat;

/** What must survive a restart lives in the store: only the local store keeps it. */
@Timeout(60)
class RestartTest {
    @TempDir
    Path dir;
    EngineHarness h;

    @BeforeEach
    void open() {
        h = new EngineHarness(StoreKind.LOCAL, dir);
    }

    @AfterEach
    void close() {
        h.close();
    }

    @Test
    void committedOffsetsSurviveARestartOfEngineAndStore() {
        String t = h.topic(2);
        for (int i = 0; i < 10; i++) h.send(t, 0, TestMessages.text("m" + i));
        Membership m = result(h.engine().groups().join(new JoinRequest("g", null, "c", Set.of(t), ConsumeMode.CLUSTERING, StartPosition.earliest())));
        result(h.engine().groups().commit("g", m.memberId(), t, 0, 7));
        Membership b = result(h.engine().groups().join(new JoinRequest("bc", "member-1", "c", Set.of(t), ConsumeMode.BROADCAST, StartPosition.earliest())));
        result(h.engine().groups().commit("bc", b.memberId(), t, 0, 4));
        // "latest" resolved on first position is remembered too
        Membership l = result(h.engine().groups().join(new JoinRequest("late", null, "c", Set.of(t), ConsumeMode.CLUSTERING, StartPosition.latest())));
        assertThat(result(h.engine().groups().position("late", l.memberId(), t, 0))).isEqualTo(10);

        h.restart();
        h.send(t, 0, TestMessages.text("after restart"));

        assertThat(result(h.engine().groups().list())).containsExactly("bc", "g", "late");
        assertThat(result(h.engine().groups().position("g", null, t, 0))).isEqualTo(7);
        assertThat(result(h.engine().groups().position("late", null, t, 0))).isEqualTo(10);
        GroupDescription d = result(h.engine().groups().describe("g")).orElseThrow();
        assertThat(d.members()).isEmpty();
        assertThat(d.queues().getFirst()).isEqualTo(new GroupDescription.QueueLag(t, 0, null, 7, 11, 4));

        // a broadcast member that re-joins with its id finds its own offsets
        Membership again = result(h.engine().groups().join(new JoinRequest("bc", "member-1", "c", Set.of(t), ConsumeMode.BROADCAST, StartPosition.earliest())));
        assertThat(result(h.engine().groups().position("bc", again.memberId(), t, 0))).isEqualTo(4);
        assertThat(result(h.engine().topics().describe(t)).orElseThrow().queues().getFirst().nextOffset()).isEqualTo(11);
    }
}
