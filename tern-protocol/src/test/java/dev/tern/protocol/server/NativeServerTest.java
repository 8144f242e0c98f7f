package dev.tern.protocol.server;

import dev.tern.common.message.Message;
import dev.tern.common.message.StoredMessage;
import dev.tern.engine.ConsumeMode;
import dev.tern.engine.EngineConfig;
import dev.tern.engine.GroupDescription;
import dev.tern.engine.QueueTarget;
import dev.tern.engine.StartPosition;
import dev.tern.protocol.Request;
import dev.tern.protocol.Response;
import dev.tern.protocol.fixture.FaultyEngine;
import dev.tern.protocol.fixture.RawConnection;
import dev.tern.protocol.fixture.ServerFixture;
import dev.tern.store.api.ReadResult;
import dev.tern.testsupport.Await;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;

/** The server's behaviour over real sockets: pipelining, long polls, group sessions per connection, idleness, shutdown. */
class NativeServerTest {
    @TempDir
    Path dir;
    private ServerFixture node;

    @AfterEach
    void tearDown() {
        if (node != null) node.close();
    }

    private ServerFixture start(NativeServerConfig config) {
        node = ServerFixture.start(dir, EngineConfig.defaults(), config, UnaryOperator.identity());
        return node;
    }

    @Test
    void pipelinedRequestsAreAnsweredAsTheyCompleteNotInOrder() throws IOException {
        start(NativeServerConfig.ephemeral());
        try (RawConnection c = new RawConnection(node.port())) {
            c.call(1, new Request.CreateTopic("t", 1, Map.of()));
            c.send(2, new Request.Pull("t", 0, 0, 10, 1 << 20, 10_000, null)); // waits: the queue is empty
            for (int id = 3; id < 53; id++) c.send(id, new Request.Ping());
            for (int id = 3; id < 53; id++) {
                RawConnection.Reply r = c.read();
                assertThat(r.requestId()).isEqualTo(id);
                assertThat(r.response()).isInstanceOf(Response.Pong.class);
            }
            c.send(60, new Request.Send("t", QueueTarget.queue(0), null, List.of(Message.of("wakes the pull"))));
            Map<Integer, Response> replies = new HashMap<>();
            for (int i = 0; i < 2; i++) {
                RawConnection.Reply r = c.read();
                replies.put(r.requestId(), r.response());
            }
            assertThat(replies.get(60)).isInstanceOf(Response.Sent.class);
            Response.Pulled pulled = (Response.Pulled) replies.get(2);
            assertThat(pulled.messages()).extracting(StoredMessage::bodyAsString).containsExactly("wakes the pull");
        }
    }

    @Test
    void pulledRecordsArriveIntactAcrossManyResponses() throws IOException {
        start(NativeServerConfig.ephemeral());
        try (RawConnection c = new RawConnection(node.port())) {
            c.call(1, new Request.CreateTopic("t", 1, Map.of()));
            List<Message> batch = new ArrayList<>();
            for (int i = 0; i < 500; i++) {
                batch.add(Message.builder(("body-" + i).repeat(1 + i % 50).getBytes()).keys("k" + i).tag(i % 2 == 0 ? "even" : "odd")
                        .properties(Map.of("i", String.valueOf(i))).build());
            }
            c.call(2, new Request.Send("t", QueueTarget.queue(0), null, batch));
            long offset = 0;
            List<StoredMessage> all = new ArrayList<>();
            for (int id = 3; offset < 500; id++) {
                Response.Pulled p = (Response.Pulled) c.call(id, new Request.Pull("t", 0, offset, 64, 16 * 1024, 0, null));
                assertThat(p.status()).isEqualTo(ReadResult.Status.FOUND);
                all.addAll(p.messages());
                offset = p.nextOffset();
            }
            assertThat(all).hasSize(500);
            for (int i = 0; i < 500; i++) {
                StoredMessage m = all.get(i);
                assertThat(m.queueOffset()).isEqualTo(i);
                assertThat(m.body()).isEqualTo(batch.get(i).body());
                assertThat(m.keys()).containsExactly("k" + i);
                assertThat(m.properties()).containsEntry("i", String.valueOf(i));
            }
        }
    }

    @Test
    void membersLeaveTheirGroupWhenTheirConnectionCloses() throws IOException {
        start(NativeServerConfig.ephemeral());
        try (RawConnection admin = new RawConnection(node.port())) {
            admin.call(1, new Request.CreateTopic("t", 4, Map.of()));
            RawConnection member = new RawConnection(node.port());
            Response.Joined joined = (Response.Joined) member.call(2, new Request.JoinGroup("g", null, "raw",
                    List.of("t"), ConsumeMode.CLUSTERING, StartPosition.earliest()));
            assertThat(joined.membership().assigned()).hasSize(4);
            assertThat(members(admin, 3)).hasSize(1);
            member.close();
            Await.await().until(() -> members(admin, 4).isEmpty());
        }
    }

    @Test
    void aLeaveOverTheConnectionIsImmediateAndUnknownMembersAreReported() throws IOException {
        start(NativeServerConfig.ephemeral());
        try (RawConnection c = new RawConnection(node.port())) {
            c.call(1, new Request.CreateTopic("t", 2, Map.of()));
            Response.Joined joined = (Response.Joined) c.call(2, new Request.JoinGroup("g", null, null,
                    List.of("t"), ConsumeMode.CLUSTERING, StartPosition.latest()));
            String id = joined.membership().memberId();
            assertThat(c.call(3, new Request.LeaveGroup("g", id))).isInstanceOf(Response.Ack.class);
            Response hb = c.call(4, new Request.Heartbeat("g", id));
            assertThat(hb).isInstanceOfSatisfying(Response.Error.class,
                    e -> assertThat(e.errorCode()).isEqualTo(dev.tern.common.error.ErrorCode.UNKNOWN_MEMBER));
        }
    }

    @Test
    void silentConnectionsAreClosedAndPingingOnesKept() throws Exception {
        start(NativeServerConfig.ephemeral().withIdleTimeoutMs(400));
        try (RawConnection silent = new RawConnection(node.port()); RawConnection pinging = new RawConnection(node.port())) {
            long end = System.nanoTime() + 1_500_000_000L;
            int id = 1;
            while (System.nanoTime() < end) {
                assertThat(pinging.call(id++, new Request.Ping())).isInstanceOf(Response.Pong.class);
                Thread.sleep(100);
            }
            assertThat(silent.closedByServer()).isTrue();
            assertThat(pinging.call(id, new Request.Ping())).isInstanceOf(Response.Pong.class);
        }
    }

    @Test
    void aClosedConnectionGivesUpItsWaitingPulls() throws IOException {
        java.util.concurrent.atomic.AtomicReference<FaultyEngine> seam = new java.util.concurrent.atomic.AtomicReference<>();
        node = ServerFixture.start(dir, EngineConfig.defaults(), NativeServerConfig.ephemeral(), engine -> {
            seam.set(new FaultyEngine(engine));
            return seam.get();
        });
        try (RawConnection c = new RawConnection(node.port())) {
            c.call(1, new Request.CreateTopic("t", 1, Map.of()));
            c.send(2, new Request.Pull("t", 0, 0, 10, 1 << 20, 30_000, null));
            Await.await().until(() -> seam.get().pulls().size() == 1);
        }
        Await.await().until(() -> seam.get().pulls().getFirst().isCancelled());
        try (RawConnection other = new RawConnection(node.port())) {
            assertThat(other.call(3, new Request.Ping())).isInstanceOf(Response.Pong.class);
        }
    }

    @Test
    void closingTheServerClosesItsConnections() throws IOException {
        start(NativeServerConfig.ephemeral());
        try (RawConnection c = new RawConnection(node.port())) {
            assertThat(c.call(1, new Request.Ping())).isInstanceOf(Response.Pong.class);
            Await.await().until(() -> node.server().connections() == 1);
            node.server().close();
            assertThat(c.closedByServer()).isTrue();
        }
    }

    private static List<GroupDescription.Member> members(RawConnection c, int id) throws IOException {
        Response.GroupDescribed d = (Response.GroupDescribed) c.call(id, new Request.DescribeGroup("g"));
        return d.group().map(GroupDescription::members).orElse(List.of());
    }
}
