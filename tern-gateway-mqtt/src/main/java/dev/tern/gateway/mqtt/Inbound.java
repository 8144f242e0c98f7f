package dev.tern.gateway.mqtt;

import dev.tern.common.error.TernException;
import dev.tern.common.message.Message;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPublishMessage;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PUBLISH from a client (topic aliases resolved, checked, stored, then acknowledged: PUBACK for QoS 1,
 * PUBREC for QoS 2) and PUBREL (PUBCOMP). A QoS 2 packet id stays known from its PUBLISH until its PUBREL,
 * so a re-sent PUBLISH is not stored twice; a persistent session records it in the {@link ReleaseStore}
 * after the message is stored and before the PUBREC, and forgets it there before the PUBCOMP, so this holds
 * across a node restart too. The receive maximum counts QoS 1 until its PUBACK and QoS 2 until its PUBCOMP.
 * I/O thread only.
 */
final class Inbound {
    private static final Logger log = LoggerFactory.getLogger(Inbound.class);
    /**
     * Bounds of one engine batch. Each batch is one store append (a write of the log and of the consume
     * queue), so a publisher sending faster than it is read gets few large appends rather than many small ones.
     */
    private static final int MAX_BATCH = 1024;
    private static final int MAX_BATCH_BYTES = 512 * 1024;
    private final GatewayContext gw;
    private final MqttConnection conn;
    private final Map<Integer, String> aliases = new HashMap<>();
    private int inFlight;
    /** The topic name of the last publish that passed the checks (a publisher mostly repeats one name), and whether it is under $SYS. */
    private String lastTopic;
    private boolean lastTopicSys;
    /** Publishes of one topic name read but not yet sent: sent as one engine batch at the end of a read. */
    private final List<Pending> batch = new ArrayList<>();
    private String batchTopic;
    private boolean batchRetain;
    private int batchBytes;
    /** QoS 1/2 publishes in the batch (each waits for the append, then gets its acknowledgement). */
    private int batchAcks;

    /** Completes once every batch sent so far is stored (or failed) and its QoS 2 ids recorded. */
    private CompletableFuture<Void> settled = CompletableFuture.completedFuture(null);

    private record Pending(Message msg, boolean retain, int qos, int id) {
    }

    Inbound(GatewayContext gw, MqttConnection conn) {
        this.gw = gw;
        this.conn = conn;
    }

    void publish(ChannelHandlerContext ctx, Session s, MqttPublishMessage p) {
        int qos = p.fixedHeader().qosLevel().value();
        int id = p.variableHeader().packetId();
        String topic = resolveAlias(ctx, s, p);
        if (topic == null) return;
        if (topic.equals(lastTopic)) {
            // the name of the previous publish: checked already, and one String downstream (hash, bytes cached)
            topic = lastTopic;
        } else {
            if (!TopicNames.validUtf8String(topic)) {
                conn.violation(ctx, ReasonCodes.MALFORMED_PACKET, "topic name is not valid UTF-8");
                return;
            }
            if (!TopicNames.validName(topic)) {
                conn.violation(ctx, ReasonCodes.TOPIC_NAME_INVALID, "invalid topic name");
                return;
            }
            lastTopic = topic;
            lastTopicSys = SysTopics.isSys(topic);
        }
        if (lastTopicSys) {
            // $SYS/ belongs to the broker: 5.0 says so in the acknowledgement, 3.1.1 has no way to and drops it
            if (qos == 1) ctx.writeAndFlush(Packets.pubAck(id, s.mqtt5 ? ReasonCodes.NOT_AUTHORIZED : 0, s.mqtt5, "$SYS is read-only"));
            if (qos == 2) ctx.writeAndFlush(Packets.pubRec(id, s.mqtt5 ? ReasonCodes.NOT_AUTHORIZED : 0, s.mqtt5, "$SYS is read-only"));
            return;
        }
        if (qos == 2) {
            CompletableFuture<Void> known = s.awaitingRelease.get(id);
            if (known != null) {
                // sent again (DUP) before its PUBREL, maybe after a restart: PUBREC once the first copy is stored, no second copy
                known.whenComplete((v, e) -> {
                    if (e == null) ctx.executor().execute(() -> ctx.writeAndFlush(Packets.pubRec(id, ReasonCodes.SUCCESS, s.mqtt5, null)));
                });
                return;
            }
        }
        if (qos > 0 && inFlight + s.awaitingRelease.size() >= gw.config().receiveMaximum()) {
            conn.violation(ctx, ReasonCodes.RECEIVE_MAXIMUM_EXCEEDED, "receive maximum exceeded");
            return;
        }
        Message msg = PublishMapper.toMessage(topic, p, s.clientId, System.currentTimeMillis());
        if (qos == 1) inFlight++;
        if (qos == 2) s.awaitingRelease.put(id, new CompletableFuture<>());
        boolean retain = p.fixedHeader().isRetain();
        // a batch is stored or refused whole: retained publishes (which a retained-message limit may refuse) go apart
        if (batchTopic != null && (!batchTopic.equals(topic) || batchRetain != retain)) flush(ctx, s);
        batchTopic = topic;
        batchRetain = retain;
        batch.add(new Pending(msg, retain, qos, id));
        batchBytes += msg.body().length;
        if (qos > 0) batchAcks++;
        if (batch.size() >= MAX_BATCH || batchBytes >= MAX_BATCH_BYTES) flush(ctx, s);
    }

    /**
     * Sends the publishes gathered during this read as one batch (one append instead of one per packet),
     * then acknowledges each. Called at the end of every read, before a DISCONNECT and when the topic changes.
     */
    void flush(ChannelHandlerContext ctx, Session s) {
        if (batch.isEmpty()) return;
        Pending[] items = batch.toArray(Pending[]::new);
        String topic = batchTopic;
        boolean anyAck = batchAcks > 0;
        batch.clear();
        batchTopic = null;
        batchBytes = 0;
        batchAcks = 0;
        List<Message> msgs = new ArrayList<>(items.length);
        boolean[] retain = new boolean[items.length];
        List<Integer> qos2 = new ArrayList<>(0);
        for (int i = 0; i < items.length; i++) {
            msgs.add(items[i].msg());
            retain[i] = items[i].retain();
            if (items[i].qos() == 2) qos2.add(items[i].id());
        }
        // a persistent session's QoS 2 ids are recorded once their messages are stored, before the PUBRECs
        boolean record = !qos2.isEmpty() && s.persistent();
        if (record) s.stored = true;
        CompletableFuture<Void> stored = gw.publisher().publishBatch(topic, msgs, retain)
                .thenCompose(r -> record ? gw.releases().add(s.clientId, qos2) : CompletableFuture.completedFuture(null));
        settled = CompletableFuture.allOf(settled, stored.handle((r, e) -> null));
        stored.whenComplete((r, e) -> {
            // QoS 0 has nothing to acknowledge and no way to report a failure: no trip to the event loop
            if (!anyAck) {
                if (e != null) log.debug("mqtt {}: QoS 0 publishes to {} not stored: {}", s.clientId, topic, e.toString());
                return;
            }
            ctx.executor().execute(() -> {
                for (Pending p : items) {
                    if (p.qos() == 1) inFlight--;
                    acknowledge(ctx, s, p.qos(), p.id(), record, e);
                }
                ctx.flush(); // one flush for the batch's acknowledgements
            });
        });
    }

    /** Completes once the publishes sent so far are settled (stored or failed, QoS 2 ids recorded). */
    CompletableFuture<Void> settled() {
        return settled;
    }

    void release(ChannelHandlerContext ctx, Session s, int id) {
        CompletableFuture<Void> stored = s.awaitingRelease.get(id);
        if (stored != null && !stored.isDone()) {
            // PUBREL before its PUBREC left (the client did not wait): released once the message is stored
            stored.whenComplete((v, e) -> ctx.executor().execute(() -> release(ctx, s, id)));
            return;
        }
        s.awaitingRelease.remove(id);
        if (!s.recordedReleases.remove(id)) {
            ctx.writeAndFlush(Packets.pubComp(id, stored != null || !s.mqtt5 ? ReasonCodes.SUCCESS : ReasonCodes.PACKET_ID_NOT_FOUND, s.mqtt5));
            return;
        }
        // forgotten in the store before the PUBCOMP: after it the client may use the id for a new message
        gw.releases().remove(s.clientId, id).whenComplete((v, e) -> ctx.executor().execute(() -> {
            if (e == null) {
                ctx.writeAndFlush(Packets.pubComp(id, ReasonCodes.SUCCESS, s.mqtt5));
                return;
            }
            // no PUBCOMP: the client sends the PUBREL again on its next connection
            log.warn("mqtt {}: QoS 2 packet id {} not released in the store: {}", s.clientId, id, e.toString());
            ctx.close();
        }));
    }

    private void acknowledge(ChannelHandlerContext ctx, Session s, int qos, int id, boolean recorded, Throwable e) {
        if (e == null) {
            if (qos == 1) ctx.write(Packets.pubAck(id, ReasonCodes.SUCCESS, s.mqtt5, null));
            if (qos == 2) {
                if (recorded) s.recordedReleases.add(id);
                CompletableFuture<Void> stored = s.awaitingRelease.get(id);
                if (stored != null) stored.complete(null);
                ctx.write(Packets.pubRec(id, ReasonCodes.SUCCESS, s.mqtt5, null));
            }
            return;
        }
        if (qos == 2) {
            CompletableFuture<Void> stored = s.awaitingRelease.remove(id);
            if (stored != null) stored.completeExceptionally(e);
        }
        TernException te = ReasonCodes.failure(e);
        if (!s.mqtt5) {
            // 3.1.1 has no negative acknowledgement: closing tells the client the message was not taken
            if (qos > 0) ctx.close();
            return;
        }
        byte reason = ReasonCodes.forFailure(te.code());
        if (qos == 1) ctx.writeAndFlush(Packets.pubAck(id, reason, true, te.code() + ": " + te.getMessage()));
        if (qos == 2) ctx.writeAndFlush(Packets.pubRec(id, reason, true, te.code() + ": " + te.getMessage()));
    }

    /** The topic of a PUBLISH after 5.0 topic aliases, or null when the connection was closed for a bad alias. */
    private String resolveAlias(ChannelHandlerContext ctx, Session s, MqttPublishMessage p) {
        String topic = p.variableHeader().topicName();
        if (!s.mqtt5) return topic;
        int alias = ConnectFlow.intProp(p.variableHeader().properties(), MqttProperties.TOPIC_ALIAS, -1);
        if (alias == -1) return topic;
        if (alias == 0 || alias > ConnectFlow.TOPIC_ALIAS_MAXIMUM) {
            conn.violation(ctx, ReasonCodes.TOPIC_ALIAS_INVALID, "topic alias " + alias + " out of range");
            return null;
        }
        if (topic == null || topic.isEmpty()) {
            String known = aliases.get(alias);
            if (known == null) conn.violation(ctx, ReasonCodes.PROTOCOL_ERROR, "unknown topic alias " + alias);
            return known;
        }
        aliases.put(alias, topic);
        return topic;
    }

}
