package dev.tern.gateway.mqtt;

import dev.tern.testsupport.Await;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A subscriber that cannot keep up falls behind and catches up from the log ({@link CatchUp}): every message,
 * in order, once — whether its socket is backed up (QoS 0) or its queue full (QoS 1), across hand-overs to live
 * routing while publishing goes on, and for persistent sessions across reconnects.
 */
@Timeout(60)
class SlowSubscriberTest {
    private static final int PUBLISH = 3;
    private static final int PUBACK = 4;
    private static final int SUBACK = 9;

    @TempDir
    Path dir;
    private GatewayFixture node;

    @AfterEach
    void tearDown() {
        if (node != null) node.close();
    }

    /** In flight 10 and 20 queued per connection: a subscriber that stops acknowledging is full at once. */
    private static MqttGatewayConfig smallQueues() {
        return new MqttGatewayConfig("127.0.0.1", 0, -1, "/mqtt", 4, 1 << 20, 3600, 10, 20, 10_000,
                Authenticator.ANONYMOUS, id -> true, 0, dev.tern.store.api.Durability.ASYNC, MqttLimits.defaults());
    }

    private RawMqtt connect(int version, String clientId, boolean clean) throws IOException {
        return RawMqtt.connected(node.port(), version, clientId, clean);
    }

    private static void subscribe(RawMqtt c, int version, int packetId, String filter, int options, int subscriptionId) throws IOException {
        c.send(RawMqtt.subscribe(version, packetId, filter, options, subscriptionId));
        RawMqtt.Packet ack = c.read();
        assertThat(ack.type()).isEqualTo(SUBACK);
        assertThat(ack.body()[ack.body().length - 1] & 0xff).as("granted").isLessThan(0x80);
    }

    private static String body(int seq, int size) {
        StringBuilder b = new StringBuilder(size).append(seq).append(':');
        while (b.length() < size) b.append('x');
        return b.toString();
    }

    private static int seq(RawMqtt.Publish p) {
        return Integer.parseInt(p.payload().substring(0, p.payload().indexOf(':')));
    }

    /** QoS 0 publishes of bodies {@code from..to-1} in one write, then a QoS 1 one whose PUBACK says all are stored. */
    private static void publishQos0(RawMqtt pub, String topic, int from, int to, int size) throws IOException {
        byte[] name = topic.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream burst = new ByteArrayOutputStream();
        for (int i = from; i < to; i++) {
            burst.writeBytes(RawMqtt.publish(4, name, 0, new byte[0], body(i, size)));
            if (burst.size() > 1 << 20) {
                pub.send(burst.toByteArray());
                burst.reset();
            }
        }
        pub.send(burst.toByteArray());
        pub.send(RawMqtt.publish(4, "fence".getBytes(StandardCharsets.UTF_8), 1, 1, new byte[0], "fence"));
        assertThat(pub.read().type()).isEqualTo(PUBACK);
    }

    /** QoS 1 publishes of bodies {@code from..to-1}, ten unacknowledged at most (the gateway's receive maximum here). */
    private static void publishQos1(RawMqtt pub, String topic, int from, int to) throws IOException {
        byte[] name = topic.getBytes(StandardCharsets.UTF_8);
        for (int i = from; i < to; i += 10) {
            ByteArrayOutputStream window = new ByteArrayOutputStream();
            int n = Math.min(10, to - i);
            for (int k = 0; k < n; k++) window.writeBytes(RawMqtt.publish(4, name, 1, k + 1, new byte[0], body(i + k, 16)));
            pub.send(window.toByteArray());
            for (int k = 0; k < n; k++) assertThat(pub.read().type()).isEqualTo(PUBACK);
        }
    }

    /** Reads {@code n} PUBLISH packets (acknowledging QoS 1 ones) and answers them in arrival order. */
    private static List<RawMqtt.Publish> receive(RawMqtt c, int version, int n) throws IOException {
        List<RawMqtt.Publish> got = new ArrayList<>(n);
        while (got.size() < n) {
            RawMqtt.Packet p = c.read();
            assertThat(p.type()).as("a PUBLISH after %d", got.size()).isEqualTo(PUBLISH);
            RawMqtt.Publish m = RawMqtt.publishOf(p, version);
            if (m.qos() == 1) c.send(RawMqtt.pubAck(m.packetId()));
            got.add(m);
        }
        return got;
    }

    private static List<Integer> range(int from, int to) {
        List<Integer> l = new ArrayList<>(to - from);
        for (int i = from; i < to; i++) l.add(i);
        return l;
    }

    private static List<Integer> seqs(List<RawMqtt.Publish> got) {
        return got.stream().map(SlowSubscriberTest::seq).toList();
    }

    @Test
    void qos0SubscriberThatStopsReadingGetsEveryMessageInOrderFromTheLog() throws Exception {
        node = new GatewayFixture(dir);
        int total = 60_000;
        try (RawMqtt sub = connect(4, "slow0", true); RawMqtt pub = connect(4, "pub0", true)) {
            subscribe(sub, 4, 1, "lag0/a", 0, 0);
            // 30 MB at QoS 0 to a subscriber that reads nothing: far beyond the 1 MiB high-water mark and the socket buffers
            publishQos0(pub, "lag0/a", 0, total, 512);
            Await.await().until(() -> node.gateway().stats().behind() == 1);
            List<RawMqtt.Publish> got = receive(sub, 4, total);
            assertThat(seqs(got)).as("every message, in order, once").isEqualTo(range(0, total));
            assertThat(got).allSatisfy(p -> assertThat(p.topic()).isEqualTo("lag0/a"));
            assertThat(sub.readWithin(300)).as("nothing more").isNull();
        }
        MqttStats stats = node.gateway().stats();
        assertThat(stats.dropped()).isZero();
        assertThat(stats.caughtUp()).isPositive();
        assertThat(stats.behind()).as("caught up and back to live").isZero();
    }

    @Test
    void qos1SubscriberWithAFullQueueGetsEveryMessageInOrderFromTheLog() throws Exception {
        node = new GatewayFixture(dir, smallQueues());
        int total = 2_000;
        try (RawMqtt sub = connect(4, "slow1", true); RawMqtt pub = connect(4, "pub1", true)) {
            subscribe(sub, 4, 1, "lag1/#", 1, 0);
            publishQos1(pub, "lag1/a", 0, total);
            Await.await().until(() -> node.gateway().stats().behind() == 1);
            List<RawMqtt.Publish> got = receive(sub, 4, total);
            assertThat(seqs(got)).isEqualTo(range(0, total));
            assertThat(got).allSatisfy(p -> assertThat(p.qos()).isEqualTo(1));
            assertThat(sub.readWithin(300)).isNull();
            Await.await().until(() -> node.gateway().stats().behind() == 0);
        }
        assertThat(node.gateway().stats().dropped()).isZero();
        assertThat(node.gateway().stats().caughtUp()).isPositive();
    }

    @Test
    void handOverBetweenLogAndLiveLosesAndRepeatsNothingWhilePublishingGoesOn() throws Exception {
        // readers answer late: the log is often ahead of live routing, which the catch-up must not read past
        node = new GatewayFixture(dir, smallQueues(), e -> new DelayedPullEngine(e, 5, 0));
        int total = 3_000;
        AtomicReference<Throwable> failed = new AtomicReference<>();
        try (RawMqtt sub = connect(4, "bursty", true); RawMqtt pub = connect(4, "streamer", true)) {
            subscribe(sub, 4, 1, "lag3/a", 1, 0);
            Thread publisher = new Thread(() -> {
                try {
                    for (int i = 0; i < total; i += 50) {
                        publishQos1(pub, "lag3/a", i, i + 50);
                        Thread.sleep(15);
                    }
                } catch (Throwable t) {
                    failed.set(t);
                }
            }, "streamer");
            publisher.start();
            List<RawMqtt.Publish> got = new ArrayList<>();
            int behindSeen = 0;
            int liveSeen = 0;
            boolean wasBehind = false;
            while (got.size() < total) {
                // a pause: nothing read or acknowledged, the queue fills, the session falls behind
                Thread.sleep(150);
                if (node.gateway().stats().behind() == 1 && !wasBehind) {
                    behindSeen++;
                    wasBehind = true;
                }
                // a burst: read what comes within 150 ms
                long until = System.nanoTime() + 150_000_000L;
                while (got.size() < total && System.nanoTime() < until) {
                    RawMqtt.Packet p = sub.readWithin(20);
                    if (p == null) continue;
                    RawMqtt.Publish m = RawMqtt.publishOf(p, 4);
                    sub.send(RawMqtt.pubAck(m.packetId()));
                    got.add(m);
                }
                if (node.gateway().stats().behind() == 0 && wasBehind) {
                    liveSeen++;
                    wasBehind = false;
                }
                assertThat(failed.get()).isNull();
            }
            publisher.join(10_000);
            assertThat(failed.get()).isNull();
            assertThat(seqs(got)).as("gap-free and duplicate-free").isEqualTo(range(0, total));
            assertThat(sub.readWithin(300)).isNull();
            assertThat(behindSeen).as("fell behind in several pauses").isGreaterThanOrEqualTo(2);
            assertThat(liveSeen).as("caught up and went live in several bursts").isGreaterThanOrEqualTo(1);
        }
        assertThat(node.gateway().stats().dropped()).isZero();
    }

    @Test
    void persistentSessionThatMissedMoreThanItsQueueGetsEverythingOnReconnect() throws Exception {
        node = new GatewayFixture(dir, smallQueues());
        int total = 500;
        try (RawMqtt sub = connect(4, "away", false)) {
            subscribe(sub, 4, 1, "lag4/#", 1, 0);
        }
        Await.await().until(() -> node.gateway().stats().connections() == 0);
        try (RawMqtt pub = connect(4, "pub4", true)) {
            publishQos1(pub, "lag4/a", 0, total);
            // QoS 0 published while the session was away is not delivered; what comes after the reconnect is
            publishQos0(pub, "lag4/a", total, total + 5, 16);
        }
        try (RawMqtt sub = connect(4, "away", false)) {
            List<RawMqtt.Publish> got = receive(sub, 4, total);
            assertThat(seqs(got)).isEqualTo(range(0, total));
            assertThat(sub.readWithin(300)).as("the QoS 0 messages of the absence are not queued").isNull();
            try (RawMqtt pub = connect(4, "pub4", true)) {
                publishQos0(pub, "lag4/a", 1000, 1003, 16);
            }
            assertThat(seqs(receive(sub, 4, 3))).containsExactly(1000, 1001, 1002);
            Await.await().until(() -> node.gateway().stats().behind() == 0);
        }
        assertThat(node.gateway().stats().caughtUp()).isGreaterThanOrEqualTo(total);
    }

    @Test
    void persistentSessionThatLeavesWhileBehindResumesWhereItStood() throws Exception {
        node = new GatewayFixture(dir, smallQueues());
        int total = 300;
        try (RawMqtt sub = connect(4, "leaver", false); RawMqtt pub = connect(4, "pub5", true)) {
            subscribe(sub, 4, 1, "lag5/a", 1, 0);
            publishQos1(pub, "lag5/a", 0, total);
            Await.await().until(() -> node.gateway().stats().behind() == 1);
            // 15 received and acknowledged, then the connection drops with the rest in flight, queued or in the log
            assertThat(seqs(receive(sub, 4, 15))).isEqualTo(range(0, 15));
        }
        // the session is saved after its routes leave (connections drops first): wait for the save at the end
        SessionStore saved = new SessionStore(node.metadata(), null, dev.tern.store.api.Durability.ASYNC, null); // loads only
        Await.await().until(() -> saved.load("leaver").join().map(x -> x.positions().values().stream().anyMatch(v -> v > 0)).orElse(false));
        try (RawMqtt pub = connect(4, "pub5", true)) {
            publishQos1(pub, "lag5/a", total, total + 20);
        }
        try (RawMqtt sub = connect(4, "leaver", false)) {
            List<RawMqtt.Publish> got = receive(sub, 4, total + 20 - 15);
            assertThat(seqs(got)).as("from the first unacknowledged one on, none lost").isEqualTo(range(15, total + 20));
            assertThat(sub.readWithin(300)).isNull();
        }
    }

    @Test
    void persistentSessionThatLeavesBehindWithNothingUnacknowledgedResumesWhereItsCatchUpStood() throws Exception {
        // the catch-up's reads answer a second late: the client can acknowledge all it got and leave meanwhile
        node = new GatewayFixture(dir, smallQueues(), e -> new DelayedPullEngine(e, 0, 1000));
        int total = 300;
        try (RawMqtt sub = connect(4, "quick-leaver", false); RawMqtt pub = connect(4, "pub9", true)) {
            subscribe(sub, 4, 1, "lag9/a", 1, 0);
            publishQos1(pub, "lag9/a", 0, total);
            Await.await().until(() -> node.gateway().stats().behind() == 1);
            // in flight and queued: 30; all received and acknowledged, then gone while the log read is pending
            assertThat(seqs(receive(sub, 4, 30))).isEqualTo(range(0, 30));
        }
        SessionStore saved = new SessionStore(node.metadata(), null, dev.tern.store.api.Durability.ASYNC, null); // loads only
        Await.await().until(() -> saved.load("quick-leaver").join().map(x -> x.positions().values().stream().anyMatch(v -> v > 0)).orElse(false));
        assertThat(saved.load("quick-leaver").join().orElseThrow().positions().values()).as("where the catch-up stood").contains(30L);
        ((DelayedPullEngine) node.engine()).catchUpDelay(0);
        try (RawMqtt sub = connect(4, "quick-leaver", false)) {
            assertThat(seqs(receive(sub, 4, total - 30))).isEqualTo(range(30, total));
            assertThat(sub.readWithin(300)).isNull();
        }
    }

    @Test
    void subscriptionIdentifiersAndNoLocalHoldForMessagesReadFromTheLog() throws Exception {
        node = new GatewayFixture(dir, smallQueues());
        try (RawMqtt sub = connect(5, "self", true); RawMqtt pub = connect(4, "other", true)) {
            subscribe(sub, 5, 1, "sid/+", 0x04 | 1, 7); // no-local, QoS 1, identifier 7
            subscribe(sub, 5, 2, "sid/a", 1, 9);        // QoS 1, identifier 9
            publishQos1(pub, "sid/a", 0, 100);
            publishQos1(pub, "sid/b", 100, 200);
            Await.await().until(() -> node.gateway().stats().behind() == 1); // behind before its own publishes
            // its own publishes (QoS 0: no acknowledgement to read): sid/b only matches the no-local filter
            ByteArrayOutputStream own = new ByteArrayOutputStream();
            for (int i = 0; i < 20; i++) {
                own.writeBytes(RawMqtt.publish(5, "sid/a".getBytes(StandardCharsets.UTF_8), 0, new byte[0], body(1000 + i, 16)));
                own.writeBytes(RawMqtt.publish(5, "sid/b".getBytes(StandardCharsets.UTF_8), 0, new byte[0], body(2000 + i, 16)));
            }
            sub.send(own.toByteArray());
            publishQos1(pub, "sid/b", 200, 220);
            Map<String, List<Integer>> byTopic = new HashMap<>();
            for (RawMqtt.Publish p : receive(sub, 5, 100 + 120 + 20)) {
                byTopic.computeIfAbsent(p.topic(), k -> new ArrayList<>()).add(seq(p));
                int s = seq(p);
                if (s >= 2000) throw new AssertionError("no-local: its own sid/b message " + s + " came back");
                if (s >= 1000) {
                    assertThat(p.qos()).isZero();
                    assertThat(p.subscriptionIds()).as("own sid/a %d", s).containsExactly(9);
                } else if (p.topic().equals("sid/a")) {
                    assertThat(p.qos()).isEqualTo(1);
                    assertThat(Set.copyOf(p.subscriptionIds())).as("sid/a %d", s).isEqualTo(Set.of(7, 9));
                } else {
                    assertThat(p.subscriptionIds()).as("sid/b %d", s).containsExactly(7);
                }
            }
            List<Integer> a = byTopic.get("sid/a");
            assertThat(a.stream().filter(s -> s < 1000).toList()).isEqualTo(range(0, 100));
            assertThat(a.stream().filter(s -> s >= 1000).toList()).isEqualTo(range(1000, 1020));
            assertThat(byTopic.get("sid/b")).isEqualTo(range(100, 220));
            assertThat(sub.readWithin(300)).isNull();
        }
        assertThat(node.gateway().stats().caughtUp()).isPositive();
    }

    @Test
    void sharedSubscriptionKeepsItsBehaviourBesideADirectOneThatCatchesUp() throws Exception {
        node = new GatewayFixture(dir, smallQueues());
        try (RawMqtt sub = connect(4, "mixed", true); RawMqtt pub = connect(4, "pub7", true)) {
            subscribe(sub, 4, 1, "$share/g/shr/#", 1, 0);
            subscribe(sub, 4, 2, "lagd/#", 1, 0);
            // the share group's engine member gets its queues (at once, or at its next heartbeat)
            Await.await().until(() -> Await.result(node.engine().groups().describe("mqtt-share-g"))
                    .map(g -> g.members().size() == 1 && !g.members().get(0).assigned().isEmpty()).orElse(false));
            publishQos1(pub, "lagd/a", 0, 200);
            Await.await().until(() -> node.gateway().stats().behind() == 1);
            // the group member offers the shared ones to a full connection: dropped, as before (not read from the log)
            publishQos1(pub, "shr/a", 500, 700);
            Await.await().until(() -> node.gateway().stats().dropped() >= 200);
            List<RawMqtt.Publish> got = receive(sub, 4, 200);
            assertThat(seqs(got)).isEqualTo(range(0, 200));
            assertThat(got).allSatisfy(p -> assertThat(p.topic()).isEqualTo("lagd/a"));
            assertThat(sub.readWithin(300)).as("no shared message comes from the log").isNull();
            Await.await().until(() -> node.gateway().stats().behind() == 0);
            publishQos1(pub, "shr/a", 700, 705);
            List<RawMqtt.Publish> shared = receive(sub, 4, 5);
            assertThat(seqs(shared)).isEqualTo(range(700, 705));
        }
        // an engine group may hand a message over again after a rebalance: at least the 200, never fewer
        assertThat(node.gateway().stats().dropped()).isGreaterThanOrEqualTo(200);
    }
}
