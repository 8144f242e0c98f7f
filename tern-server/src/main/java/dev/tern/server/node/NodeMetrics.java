package dev.tern.server.node;

import dev.tern.common.error.ErrorCode;
import dev.tern.engine.Engine;
import dev.tern.engine.EngineMetrics;
import dev.tern.engine.GroupDescription;
import dev.tern.engine.TopicDescription;
import dev.tern.store.api.MessageStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The node's metrics in Micrometer, scraped in the Prometheus format at {@code /metrics}: message and
 * byte rates per topic, send latency, rebalances (all pushed by the engine through {@link EngineMetrics}),
 * and, computed at each scrape, messages and bytes kept per topic and lag per group and queue.
 * <p>
 * Cardinality is bounded: meters are tagged only with topics that exist (a send is counted per topic once
 * stored; failures are counted per error code, never per name a client made up), a deleted topic's meters
 * are removed, and at most {@code metrics.max.tag.values} topics and as many groups get meters of their
 * own ({@link TagValues}).
 */
public final class NodeMetrics implements EngineMetrics {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final MultiGauge storedMessages;
    private final MultiGauge storedBytes;
    private final MultiGauge groupLag;
    private final TagValues topicTags;
    private final TagValues groupTags;
    private final Map<ErrorCode, Counter> sendErrors = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile Engine engine;
    private volatile MessageStore store;

    /** With the default cap of 10,000 topics and groups that get their own meters. */
    public NodeMetrics() {
        this(DEFAULT_MAX_TAG_VALUES);
    }

    public static final int DEFAULT_MAX_TAG_VALUES = 10_000;

    /** @param maxTagValues topics, and groups, that get meters of their own ({@code metrics.max.tag.values}) */
    public NodeMetrics(int maxTagValues) {
        topicTags = new TagValues(maxTagValues);
        groupTags = new TagValues(maxTagValues);
        storedMessages = MultiGauge.builder("tern.topic.messages").description("messages kept per topic (all queues)").register(registry);
        storedBytes = MultiGauge.builder("tern.topic.bytes").description("bytes of the stored records kept per topic").baseUnit("bytes")
                .register(registry);
        groupLag = MultiGauge.builder("tern.group.lag").description("messages not yet consumed by a group, per queue").register(registry);
    }

    /** Binds the MQTT gateway's counters: connections, messages published, delivered, dropped and caught up, sessions behind, retained messages, refusals. */
    public void bindMqtt(dev.tern.gateway.mqtt.MqttGateway mqtt) {
        io.micrometer.core.instrument.Gauge.builder("tern.mqtt.connections", mqtt, g -> g.stats().connections())
                .description("MQTT sessions connected now").register(registry);
        io.micrometer.core.instrument.FunctionCounter.builder("tern.mqtt.messages.published", mqtt, g -> g.stats().published())
                .description("messages stored from MQTT publishes and wills").register(registry);
        io.micrometer.core.instrument.FunctionCounter.builder("tern.mqtt.messages.delivered", mqtt, g -> g.stats().delivered())
                .description("messages routed to MQTT sessions").register(registry);
        io.micrometer.core.instrument.FunctionCounter.builder("tern.mqtt.messages.dropped", mqtt, g -> g.stats().dropped())
                .description("deliveries to MQTT sessions given up (expired, too large, gone from the log before a lagging session read them; "
                        + "shared subscriptions: backed-up socket or full queue); the messages stay stored").register(registry);
        io.micrometer.core.instrument.FunctionCounter.builder("tern.mqtt.messages.caught.up", mqtt, g -> g.stats().caughtUp())
                .description("deliveries read from the log for MQTT sessions that were behind (slow subscribers, reconnecting persistent sessions)")
                .register(registry);
        io.micrometer.core.instrument.Gauge.builder("tern.mqtt.sessions.behind", mqtt, g -> g.stats().behind())
                .description("MQTT sessions behind on at least one queue now, catching up from the log").register(registry);
        io.micrometer.core.instrument.Gauge.builder("tern.mqtt.retained", mqtt, g -> g.stats().retained())
                .description("retained MQTT messages kept").register(registry);
        io.micrometer.core.instrument.FunctionCounter.builder("tern.mqtt.retained.refused", mqtt, g -> g.stats().retainedRefused())
                .description("retained MQTT publishes refused by mqtt.retained.max.count or mqtt.retained.max.bytes").register(registry);
        io.micrometer.core.instrument.FunctionCounter.builder("tern.mqtt.topics.refused", mqtt, g -> g.stats().topicsRefused())
                .description("MQTT publishes and subscriptions refused because their Tern topic was missing and not created "
                        + "(mqtt.topic.auto.create off, or a topic limit of the engine)").register(registry);
    }

    /** Binds the native server's connection and back-pressure figures. */
    public void bindNative(dev.tern.protocol.server.NativeServer server) {
        io.micrometer.core.instrument.Gauge.builder("tern.native.connections", server, s -> s.connections())
                .description("native connections open now").register(registry);
        io.micrometer.core.instrument.FunctionCounter.builder("tern.native.connections.refused", server, s -> s.refusedConnections())
                .description("native connections refused because native.max.connections were open").register(registry);
        io.micrometer.core.instrument.Gauge.builder("tern.native.inflight.bytes", server, s -> s.inflightBytes()).baseUnit("bytes")
                .description("request bytes the native server holds now (frames read, replies pending), with 1 KiB per request").register(registry);
        io.micrometer.core.instrument.FunctionCounter.builder("tern.native.read.pauses", server, s -> s.readPauses())
                .description("times a native connection stopped being read because native.max.inflight.bytes(.total) was spent").register(registry);
    }

    /** Binds the scrape-time gauges to the engine and its store once they exist. */
    public void bind(Engine engine, MessageStore store) {
        this.engine = engine;
        this.store = store;
        io.micrometer.core.instrument.Gauge.builder("tern.pop.waiting", engine, e -> e.acks().waitingPops())
                .description("long-polling pops waiting for messages now").register(registry);
        io.micrometer.core.instrument.Gauge.builder("tern.store.read.only", store, s -> s.readOnlyReason().isPresent() ? 1 : 0)
                .description("1 when the store refuses writes after a failed fsync or an I/O error it could not undo (restart the node)")
                .register(registry);
    }

    public String scrape() {
        refreshGauges();
        return registry.scrape();
    }

    private void refreshGauges() {
        Engine e = engine;
        if (e == null) return;
        try {
            List<TopicDescription> topics = e.topics().list().get(5, TimeUnit.SECONDS);
            List<MultiGauge.Row<?>> rows = new ArrayList<>();
            List<MultiGauge.Row<?>> bytes = new ArrayList<>();
            for (TopicDescription t : topics) {
                rows.add(MultiGauge.Row.of(Tags.of("topic", t.name()), t.messages()));
                bytes.add(MultiGauge.Row.of(Tags.of("topic", t.name()), store.log().storedBytes(t.name()).get(5, TimeUnit.SECONDS)));
            }
            storedMessages.register(rows, true);
            storedBytes.register(bytes, true);
            List<MultiGauge.Row<?>> lags = new ArrayList<>();
            for (String g : e.groups().list().get(5, TimeUnit.SECONDS)) {
                if (TagValues.OTHER.equals(groupTags.of(g))) continue; // past the cap: no lag rows of its own
                GroupDescription d = e.groups().describe(g).get(5, TimeUnit.SECONDS).orElse(null);
                if (d == null) continue;
                for (GroupDescription.QueueLag q : d.queues()) {
                    lags.add(MultiGauge.Row.of(Tags.of("group", g, "topic", q.topic(), "queue", Integer.toString(q.queue())), q.lag()));
                }
            }
            groupLag.register(lags, true);
        } catch (Exception ex) {
            // a scrape must answer even if the engine is busy or closing: keep the last values
        }
    }

    /** The meters of one topic, looked up once: registering on every send would cost more than the send. */
    private record TopicMeters(Counter sent, Counter sentBytes, Counter consumed, Counter consumedBytes) {
    }

    private final Map<String, TopicMeters> topics = new ConcurrentHashMap<>();
    private final Timer sendLatency = Timer.builder("tern.send.latency").description("from receiving a send to its durable store, per batch")
            .publishPercentileHistogram().minimumExpectedValue(Duration.ofNanos(20_000)).maximumExpectedValue(Duration.ofSeconds(10))
            .register(registry);

    private TopicMeters meters(String topic) {
        return topics.computeIfAbsent(topicTags.of(topic), t -> new TopicMeters(
                Counter.builder("tern.messages.sent").description("messages stored").tag("topic", t).register(registry),
                Counter.builder("tern.bytes.sent").description("payload bytes stored").baseUnit("bytes").tag("topic", t).register(registry),
                Counter.builder("tern.messages.consumed").description("messages handed to consumers").tag("topic", t).register(registry),
                Counter.builder("tern.bytes.consumed").description("record bytes handed to consumers").baseUnit("bytes").tag("topic", t)
                        .register(registry)));
    }

    @Override
    public void sent(String topic, int messages, long bodyBytes, long latencyNanos) {
        TopicMeters m = meters(topic);
        m.sent.increment(messages);
        m.sentBytes.increment(bodyBytes);
        sendLatency.record(latencyNanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void sendFailed(String topic, ErrorCode code) {
        sendErrors.computeIfAbsent(code, c -> Counter.builder("tern.send.errors").description("failed sends by error code")
                .tag("code", c.name()).register(registry)).increment();
    }

    @Override
    public void topicDeleted(String topic) {
        topics.remove(topic);
        List<Meter> tagged = new ArrayList<>();
        registry.forEachMeter(m -> { // the per-topic gauges are the scrape's: it drops the rows of topics that are gone
            if (!(m instanceof io.micrometer.core.instrument.Gauge) && topic.equals(m.getId().getTag("topic"))) tagged.add(m);
        });
        for (Meter m : tagged) registry.remove(m);
        topicTags.forget(topic);
    }

    /** Meters in the registry now (for tests of cardinality). */
    public int meterCount() {
        return registry.getMeters().size();
    }

    @Override
    public void pulled(String topic, int messages, long recordBytes) {
        TopicMeters m = meters(topic);
        m.consumed.increment(messages);
        m.consumedBytes.increment(recordBytes);
    }

    @Override
    public void rebalanced(String group, long generation) {
        Counter.builder("tern.group.rebalances").description("assignment changes").tag("group", groupTags.of(group)).register(registry).increment();
    }

    @Override
    public void transactionPrepared(String topic) {
        Counter.builder("tern.txn.prepared").description("transactions prepared (half messages kept)").tag("topic", topicTags.of(topic))
                .register(registry).increment();
    }

    @Override
    public void transactionEnded(String topic, dev.tern.engine.Transactions.Outcome outcome, boolean byBroker) {
        Counter.builder("tern.txn.ended").description("transactions committed or rolled back, by their producer or by the broker")
                .tag("topic", topicTags.of(topic)).tag("outcome", outcome == dev.tern.engine.Transactions.Outcome.COMMIT ? "commit" : "rollback")
                .tag("by", byBroker ? "broker" : "producer").register(registry).increment();
    }

    @Override
    public void transactionChecks(String producerGroup, int count) {
        Counter.builder("tern.txn.checks").description("check-backs handed out to producers").tag("group", groupTags.of(producerGroup))
                .register(registry).increment(count);
    }
}
