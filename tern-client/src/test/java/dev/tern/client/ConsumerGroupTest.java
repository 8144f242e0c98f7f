package dev.tern.client;

import dev.tern.common.message.Message;
import dev.tern.engine.ConsumeMode;
import dev.tern.engine.EngineConfig;
import dev.tern.engine.GroupDescription;
import dev.tern.engine.StartPosition;
import dev.tern.engine.TopicQueue;
import dev.tern.protocol.fixture.ServerFixture;
import dev.tern.protocol.server.NativeServerConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;
import java.util.stream.IntStream;

import static dev.tern.testsupport.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

/** Consumer groups over the wire: rebalancing while messages flow, and broadcast. */
class ConsumerGroupTest {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(ConsumerGroupTest.class);
    private static final int QUEUES = 6;

    @TempDir
    Path dir;
    private ServerFixture node;
    private TernClient client;
    private final List<GroupMember> members = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final java.util.concurrent.atomic.AtomicInteger produced = new java.util.concurrent.atomic.AtomicInteger();
    /** What members that left the group received. */
    private final Set<String> retired = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private volatile int retiredDeliveries;

    @BeforeEach
    void setUp() {
        node = ServerFixture.start(dir, EngineConfig.defaults().withSessionTimeoutMs(3_000), NativeServerConfig.ephemeral(),
                UnaryOperator.identity());
        client = TernClient.connect(node.address());
        client.admin().createTopic("flow", QUEUES);
    }

    @AfterEach
    void tearDown() throws InterruptedException {
        for (GroupMember m : members) m.close();
        client.close();
        node.close();
    }

    private GroupMember member(String name, ConsumerConfig config) {
        GroupMember m = new GroupMember(name, client.consumer(config.withClientId(name)), "flow");
        members.add(m);
        return m;
    }

    /** Closes a member (it commits and leaves) and keeps what it received. */
    private void retire(GroupMember m) throws InterruptedException {
        m.close();
        retired.addAll(bodiesOf(m));
        retiredDeliveries += m.received.size();
        members.remove(m);
    }

    private static ConsumerConfig clustering() {
        return ConsumerConfig.group("workers").withStart(StartPosition.earliest()).withHeartbeatIntervalMs(200)
                .withAutoCommitIntervalMs(100).withPullMaxWaitMs(500);
    }

    @Test
    @Timeout(120)
    void membersJoiningAndLeavingWhileMessagesFlowLoseNothingAndShareNothingWhenStable() throws Exception {
        int total = 4_000;
        CompletableFuture<Void> flow = CompletableFuture.runAsync(() -> produce("flow-", total, 4));
        GroupMember first = member("first", clustering());
        await().until(() -> produced.get() >= 1_000 && !received().isEmpty());
        member("second", clustering());
        await().until(() -> produced.get() >= 2_000);
        member("third", clustering());
        await().until(() -> produced.get() >= 3_000);
        retire(first);
        flow.join();
        await().until(() -> received().containsAll(bodies("flow-", total)));
        log.info("{} deliveries of {} messages while members joined and left", deliveries(), total);

        awaitStableAssignment();
        Map<String, Integer> before = new HashMap<>();
        for (GroupMember m : members) before.put(m.name, m.received.size());
        produce("stable-", 600, 0);
        await().until(() -> received().containsAll(bodies("stable-", 600)));

        List<String> stableDeliveries = new ArrayList<>();
        for (GroupMember m : members) {
            for (ReceivedMessage r : m.received.subList(before.get(m.name), m.received.size())) {
                if (r.bodyAsString().startsWith("stable-")) stableDeliveries.add(r.bodyAsString());
            }
        }
        assertThat(stableDeliveries).as("each message to one member while the group is stable")
                .hasSize(600).doesNotHaveDuplicates();
    }

    @Test
    @Timeout(60)
    void broadcastGivesEveryMemberEveryMessage() {
        ConsumerConfig broadcast = clustering().withMode(ConsumeMode.BROADCAST);
        GroupMember a = member("a", broadcast.withMemberId("member-a"));
        GroupMember b = member("b", broadcast.withMemberId("member-b"));
        await().until(() -> a.consumer.assignment().size() == QUEUES && b.consumer.assignment().size() == QUEUES);
        produce("all-", 300, 0);
        await().until(() -> bodiesOf(a).containsAll(bodies("all-", 300)) && bodiesOf(b).containsAll(bodies("all-", 300)));
        assertThat(a.received).hasSize(300);
        assertThat(b.received).hasSize(300);
    }

    /** Every live member reads exactly the queues the server gave it, and together they read every queue once. */
    private void awaitStableAssignment() {
        await().until(() -> {
            GroupDescription d = client.admin().describeGroup("workers").orElseThrow();
            if (d.members().size() != members.size()) return false;
            Map<String, Set<TopicQueue>> serverSide = new HashMap<>();
            d.members().forEach(m -> serverSide.put(m.clientId(), new HashSet<>(m.assigned())));
            Set<TopicQueue> union = new HashSet<>();
            int sum = 0;
            for (GroupMember m : members) {
                Set<TopicQueue> mine = m.consumer.assignment();
                if (!mine.equals(serverSide.get(m.name))) return false;
                union.addAll(mine);
                sum += mine.size();
            }
            return union.size() == QUEUES && sum == QUEUES;
        });
    }

    private void produce(String prefix, int count, int pauseEvery100Ms) {
        try (Producer producer = client.producer()) {
            List<CompletableFuture<?>> sent = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                sent.add(producer.sendAsync("flow", Message.builder((prefix + i).getBytes()).keys("k" + (i % 40)).build()));
                produced.incrementAndGet();
                if (pauseEvery100Ms > 0 && i % 100 == 99) sleep(pauseEvery100Ms * 10L);
            }
            sent.forEach(CompletableFuture::join);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms); // paces the producer so that rebalances happen while messages flow
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private int deliveries() {
        return retiredDeliveries + members.stream().mapToInt(m -> m.received.size()).sum();
    }

    private Set<String> received() {
        Set<String> all = new HashSet<>();
        for (GroupMember m : members) all.addAll(bodiesOf(m));
        all.addAll(retired);
        return all;
    }

    private static Set<String> bodiesOf(GroupMember m) {
        Set<String> s = new HashSet<>();
        for (ReceivedMessage r : m.received) s.add(r.bodyAsString());
        return s;
    }

    private static List<String> bodies(String prefix, int count) {
        return IntStream.range(0, count).mapToObj(i -> prefix + i).toList();
    }
}
