package dev.tern.gateway.mqtt;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageIdAndPropertiesVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttSubAckMessage;
import io.netty.handler.codec.mqtt.MqttSubAckPayload;
import io.netty.handler.codec.mqtt.MqttSubscribeMessage;
import io.netty.handler.codec.mqtt.MqttTopicSubscription;
import io.netty.handler.codec.mqtt.MqttUnsubscribeMessage;

import dev.tern.common.error.TernException;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * SUBSCRIBE and UNSUBSCRIBE. A subscription goes into the trie at once and is acknowledged once the reader
 * of its Tern topic has fixed its start (creating the topic if needed and allowed), so everything published after
 * the SUBACK reaches it; retained messages follow the SUBACK as the retain-handling option asks. A session holds
 * at most {@code mqtt.max.subscriptions}; a persistent session's subscriptions are in the store (SYNC) before the SUBACK.
 */
final class SubscribeFlow {
    private SubscribeFlow() {
    }

    static void subscribe(GatewayContext gw, MqttConnection conn, ChannelHandlerContext ctx, Session s, MqttSubscribeMessage m) {
        int packetId = m.idAndPropertiesVariableHeader().messageId();
        int subId = ConnectFlow.intProp(m.idAndPropertiesVariableHeader().properties(), MqttProperties.SUBSCRIPTION_IDENTIFIER, 0);
        List<CompletableFuture<Integer>> codes = new ArrayList<>();
        List<Subscription> retainedFor = new java.util.concurrent.CopyOnWriteArrayList<>();
        List<String> refusals = new java.util.concurrent.CopyOnWriteArrayList<>();
        int max = gw.config().limits().maxSubscriptions();
        for (MqttTopicSubscription t : m.payload().topicSubscriptions()) {
            Subscription sub = parse(t, subId);
            if (sub == null) {
                codes.add(CompletableFuture.completedFuture(s.mqtt5 ? ReasonCodes.TOPIC_FILTER_INVALID & 0xff : 0x80));
                continue;
            }
            if (s.subscriptions.size() >= max && !s.subscriptions.containsKey(sub.clientFilter())) {
                refusals.add(t.topicFilter() + ": the session holds " + max + " subscriptions, the limit (mqtt.max.subscriptions)");
                codes.add(CompletableFuture.completedFuture(s.mqtt5 ? ReasonCodes.QUOTA_EXCEEDED & 0xff : 0x80));
                continue;
            }
            boolean existed = s.subscriptions.put(sub.clientFilter(), sub) != null;
            gw.sessions().addRoute(s, sub);
            if (sub.shareGroup() == null && (sub.retainHandling() == 0 || (sub.retainHandling() == 1 && !existed))) retainedFor.add(sub);
            CompletableFuture<?> ready = SysTopics.isSys(sub.filter()) ? CompletableFuture.completedFuture(null)
                    : TopicNames.rootWildcard(sub.filter()) ? gw.readers().ensureAll()
                    : gw.readers().ensure(TopicMapping.ternTopic(sub.filter()));
            codes.add(ready.handle((v, e) -> {
                if (e == null) return sub.qos();
                // the first level cannot be a Tern topic (too long, say), may not be created or hit a limit: take it back
                s.subscriptions.remove(sub.clientFilter(), sub);
                gw.sessions().removeRoute(s, sub);
                retainedFor.remove(sub);
                TernException te = ReasonCodes.failure(e);
                refusals.add(t.topicFilter() + ": " + te.code() + ": " + te.getMessage());
                if (!s.mqtt5) return 0x80;
                byte reason = ReasonCodes.forFailure(te.code());
                return (reason == ReasonCodes.QUOTA_EXCEEDED ? reason : ReasonCodes.TOPIC_FILTER_INVALID) & 0xff;
            }));
        }
        CompletableFuture.allOf(codes.toArray(CompletableFuture[]::new)).whenComplete((v, e) -> ctx.executor().execute(() -> {
            int[] granted = codes.stream().mapToInt(CompletableFuture::join).toArray();
            // a persistent session's subscriptions are in the store before the SUBACK says they are taken
            SessionEnd.checkpoint(gw, s).whenComplete((saved, err) ->
                    ctx.executor().execute(() -> acknowledge(gw, ctx, s, packetId, granted, retainedFor, refusals)));
        }));
    }

    /** SUBACK, then the retained messages the new subscriptions asked for. */
    private static void acknowledge(GatewayContext gw, ChannelHandlerContext ctx, Session s, int packetId, int[] granted,
                                    List<Subscription> retainedFor, List<String> refusals) {
        MqttProperties props = s.mqtt5 && !refusals.isEmpty() ? Packets.reasonString(String.join("; ", refusals)) : MqttProperties.NO_PROPERTIES;
        ctx.writeAndFlush(new MqttSubAckMessage(new MqttFixedHeader(MqttMessageType.SUBACK, false, MqttQoS.AT_MOST_ONCE, false, 0),
                new MqttMessageIdAndPropertiesVariableHeader(packetId, props), new MqttSubAckPayload(granted)));
        for (Subscription sub : retainedFor) {
            List<Integer> ids = sub.identifier() > 0 ? List.of(sub.identifier()) : List.of();
            for (Delivery d : gw.retained().matching(sub.filter())) {
                if (sub.noLocal() && s.clientId.equals(d.publisher())) continue;
                s.outbox.offer(d, Math.min(sub.qos(), d.qos()), true, ids);
            }
        }
    }

    static void unsubscribe(GatewayContext gw, ChannelHandlerContext ctx, Session s, MqttUnsubscribeMessage m) {
        MqttMessageBuilders.UnsubAckBuilder ack = MqttMessageBuilders.unsubAck().packetId(m.idAndPropertiesVariableHeader().messageId());
        for (String f : m.payload().topics()) {
            Subscription removed = s.subscriptions.remove(f);
            if (removed != null) gw.sessions().removeRoute(s, removed);
            ack.addReasonCode((short) (removed != null ? ReasonCodes.SUCCESS : ReasonCodes.NO_SUBSCRIPTION_EXISTED));
        }
        // like a SUBACK, the UNSUBACK follows the save: an acknowledged unsubscription does not come back after a crash
        SessionEnd.checkpoint(gw, s).whenComplete((saved, err) -> ctx.executor().execute(() -> ctx.writeAndFlush(ack.build())));
    }

    /** The subscription a SUBSCRIBE entry asks for, or null when its filter is invalid. */
    private static Subscription parse(MqttTopicSubscription t, int subId) {
        String filter = t.topicFilter();
        String group = null;
        if (filter.startsWith("$share/")) {
            String rest = filter.substring("$share/".length());
            int slash = rest.indexOf('/');
            if (slash <= 0) return null;
            group = rest.substring(0, slash);
            filter = rest.substring(slash + 1);
            if (group.contains("+") || group.contains("#")) return null;
        }
        if (!TopicNames.validFilter(filter)) return null;
        var o = t.option();
        int qos = Math.min(o.qos().value(), 2);
        return new Subscription(filter, group, qos, o.isNoLocal(), o.isRetainAsPublished(), o.retainHandling().value(), subId);
    }
}
