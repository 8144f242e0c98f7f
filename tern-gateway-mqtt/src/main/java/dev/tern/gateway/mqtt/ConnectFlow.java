package dev.tern.gateway.mqtt;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttConnectPayload;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttConnectVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.timeout.IdleStateHandler;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * CONNECT: client id (assigned when empty), authentication, keep-alive, session take-over and
 * restoration, will, and the CONNACK (with the 5.0 properties that announce the gateway's limits).
 */
final class ConnectFlow {
    static final int TOPIC_ALIAS_MAXIMUM = 64;

    private ConnectFlow() {
    }

    static void connect(GatewayContext gw, MqttConnection conn, ChannelHandlerContext ctx, MqttConnectMessage m) {
        MqttConnectVariableHeader vh = m.variableHeader();
        MqttConnectPayload pl = m.payload();
        boolean v5 = vh.version() == 5;
        String asked = pl.clientIdentifier();
        boolean assigned = asked == null || asked.isEmpty();
        String id = admit(gw, ctx, vh, pl, assigned ? "tern-" + UUID.randomUUID() : asked);
        if (id == null) return;
        MqttProperties props = vh.properties();
        long expiry = v5 ? expiry(intProp(props, MqttProperties.SESSION_EXPIRY_INTERVAL, 0)) : (vh.isCleanSession() ? 0 : -1);
        int clientReceiveMax = v5 ? intProp(props, MqttProperties.RECEIVE_MAXIMUM, 65535) : gw.config().receiveMaximum();
        long clientMaxPacket = v5 ? intProp(props, MqttProperties.MAXIMUM_PACKET_SIZE, 0) & 0xffffffffL : 0;
        Channel ch = ctx.channel();
        Outbox outbox = new Outbox(ch, v5, Math.min(clientReceiveMax, gw.config().receiveMaximum()),
                clientMaxPacket == 0 ? Long.MAX_VALUE : clientMaxPacket, gw.config().maxQueued(), gw.sessions().droppedCounter());
        Session s = new Session(gw, id, ch, v5, expiry, outbox);
        s.will = will(vh, pl);
        int keepAlive = keepAlive(ctx, vh.keepAliveTimeSeconds(), gw.config().maxKeepAliveSecs());
        Session old = gw.sessions().register(s);
        conn.registered(s);
        // the previous session of the id is saved (or deleted) before this one loads or deletes it
        CompletableFuture<Void> prior = old == null ? gw.sessions().ending(id) : takeOver(old);
        boolean cleanStart = vh.isCleanSession();
        prior.thenCompose(v -> cleanStart ? gw.sessionStore().delete(id).thenApply(x -> Resumed.NONE) : resume(gw, id))
                .whenComplete((resumed, e) -> ch.eventLoop().execute(() -> {
                    if (e != null) {
                        s.expirySeconds = 0;
                        s.will = null;
                        refuse(ctx, v5, MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE, "session store: " + e.getMessage());
                        return;
                    }
                    if (expiry != 0 && !gw.sessionStore().admits(id, gw.config().limits().maxSessions())) {
                        // refused: its end saves nothing and publishes no will
                        s.expirySeconds = 0;
                        s.will = null;
                        refuse(ctx, v5, v5 ? MqttConnectReturnCode.CONNECTION_REFUSED_QUOTA_EXCEEDED
                                : MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE, gw.sessionStore().count()
                                + " persistent sessions kept, the limit (mqtt.max.sessions)");
                        return;
                    }
                    Optional<SessionStore.Saved> live = resumed.live(expiry, System.currentTimeMillis());
                    if (live.isEmpty() && !resumed.awaitingRelease().isEmpty()) gw.releases().clear(id); // of an expired session
                    live.ifPresent(x -> SessionRestore.awaitRelease(s, resumed.awaitingRelease()));
                    ctx.writeAndFlush(connAck(v5, live.isPresent(), assigned ? id : null, keepAlive,
                            vh.keepAliveTimeSeconds(), gw.config()));
                    conn.connected(ctx);
                    live.ifPresent(x -> SessionRestore.restore(gw, s, x));
                }));
    }

    /** What the store holds of a session resumed without clean start: the saved session, its QoS 2 ids awaiting release. */
    private record Resumed(Optional<SessionStore.Saved> saved, Set<Integer> awaitingRelease) {
        static final Resumed NONE = new Resumed(Optional.empty(), Set.of());

        /**
         * The session to restore, if any: the saved one unless expired; with no saved one but QoS 2 ids awaiting
         * release, the node stopped before the session's first save (it had no subscription yet), and the session
         * is there all the same, empty.
         */
        Optional<SessionStore.Saved> live(long expiry, long now) {
            if (saved.isEmpty() && !awaitingRelease.isEmpty()) return Optional.of(new SessionStore.Saved(expiry, now, List.of(), Map.of()));
            return saved.filter(x -> !x.expired(now));
        }
    }

    private static CompletableFuture<Resumed> resume(GatewayContext gw, String id) {
        return gw.sessionStore().load(id).thenCombine(gw.releases().load(id), Resumed::new);
    }

    /**
     * The checks before a session exists: client id, UTF-8, credentials, connection limit. Answers the
     * client id to use, or null after refusing the connection with the CONNACK code the version needs.
     */
    private static String admit(GatewayContext gw, ChannelHandlerContext ctx, MqttConnectVariableHeader vh,
                                MqttConnectPayload pl, String id) {
        boolean v5 = vh.version() == 5;
        boolean empty = pl.clientIdentifier() == null || pl.clientIdentifier().isEmpty();
        // [MQTT-3.1.3-8] 3.1.1 accepts an empty id only with a clean session
        if (empty && !v5 && !vh.isCleanSession()) {
            refuse(ctx, false, MqttConnectReturnCode.CONNECTION_REFUSED_IDENTIFIER_REJECTED, null);
            return null;
        }
        if (!TopicNames.validUtf8String(id) || (pl.userName() != null && !TopicNames.validUtf8String(pl.userName()))) {
            refuse(ctx, v5, v5 ? MqttConnectReturnCode.CONNECTION_REFUSED_MALFORMED_PACKET
                    : MqttConnectReturnCode.CONNECTION_REFUSED_IDENTIFIER_REJECTED, "invalid UTF-8");
            return null;
        }
        if (!empty && !gw.config().clientIdPolicy().test(id)) {
            refuse(ctx, v5, v5 ? MqttConnectReturnCode.CONNECTION_REFUSED_CLIENT_IDENTIFIER_NOT_VALID
                    : MqttConnectReturnCode.CONNECTION_REFUSED_IDENTIFIER_REJECTED, "client id not allowed");
            return null;
        }
        if (!gw.config().authenticator().authenticate(id, pl.userName(), pl.passwordInBytes())) {
            refuse(ctx, v5, v5 ? MqttConnectReturnCode.CONNECTION_REFUSED_BAD_USERNAME_OR_PASSWORD
                    : MqttConnectReturnCode.CONNECTION_REFUSED_BAD_USER_NAME_OR_PASSWORD, "bad user name or password");
            return null;
        }
        if (gw.sessions().connected() >= gw.config().maxConnections()) {
            refuse(ctx, v5, v5 ? MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_BUSY
                    : MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE, "too many connections");
            return null;
        }
        return id;
    }

    /** 5.0 session expiry: 0 ends with the connection, 0xFFFFFFFF never expires (stored as -1). */
    static long expiry(int value) {
        return value == -1 ? -1 : value & 0xffffffffL;
    }

    private static CompletableFuture<Void> takeOver(Session old) {
        if (old.mqtt5) old.channel.writeAndFlush(Packets.disconnect(ReasonCodes.SESSION_TAKEN_OVER, "session taken over"));
        old.channel.close();
        return old.ended;
    }

    /** Installs the keep-alive timer; answers the keep-alive in force (the server's when it lowered the client's). */
    private static int keepAlive(ChannelHandlerContext ctx, int asked, int max) {
        int granted = asked == 0 ? 0 : Math.min(asked, max);
        if (ctx.pipeline().get("connect-timeout") != null) ctx.pipeline().remove("connect-timeout");
        if (granted > 0) {
            ctx.pipeline().addFirst("keep-alive", new IdleStateHandler(granted * 1500L, 0, 0, TimeUnit.MILLISECONDS));
        }
        return granted;
    }

    private static Will will(MqttConnectVariableHeader vh, MqttConnectPayload pl) {
        if (!vh.isWillFlag()) return null;
        Map<String, String> props = new HashMap<>();
        props.put(TopicMapping.TOPIC, pl.willTopic());
        props.put(TopicMapping.QOS, Integer.toString(vh.willQos()));
        if (vh.isWillRetain()) props.put(TopicMapping.RETAIN, "true");
        props.put(TopicMapping.CLIENT_ID, pl.clientIdentifier());
        MqttProperties wp = pl.willProperties();
        long delay = intProp(wp, MqttProperties.WILL_DELAY_INTERVAL, 0) & 0xffffffffL;
        PublishMapper.mqtt5Properties(wp, props, System.currentTimeMillis());
        byte[] payload = pl.willMessageInBytes() == null ? new byte[0] : pl.willMessageInBytes();
        return new Will(pl.willTopic(), payload, vh.willQos(), vh.isWillRetain(), props, delay);
    }

    private static io.netty.handler.codec.mqtt.MqttConnAckMessage connAck(boolean v5, boolean present, String assignedId,
                                                                          int keepAlive, int asked, MqttGatewayConfig c) {
        MqttProperties p = new MqttProperties();
        if (v5) {
            if (assignedId != null) p.add(new MqttProperties.StringProperty(MqttProperties.ASSIGNED_CLIENT_IDENTIFIER, assignedId));
            if (keepAlive != asked) p.add(new MqttProperties.IntegerProperty(MqttProperties.SERVER_KEEP_ALIVE, keepAlive));
            p.add(new MqttProperties.IntegerProperty(MqttProperties.RECEIVE_MAXIMUM, c.receiveMaximum()));
            p.add(new MqttProperties.IntegerProperty(MqttProperties.TOPIC_ALIAS_MAXIMUM, TOPIC_ALIAS_MAXIMUM));
            p.add(new MqttProperties.IntegerProperty(MqttProperties.MAXIMUM_PACKET_SIZE, c.maxPacketBytes()));
            p.add(new MqttProperties.IntegerProperty(MqttProperties.RETAIN_AVAILABLE, 1));
            p.add(new MqttProperties.IntegerProperty(MqttProperties.WILDCARD_SUBSCRIPTION_AVAILABLE, 1));
            p.add(new MqttProperties.IntegerProperty(MqttProperties.SUBSCRIPTION_IDENTIFIER_AVAILABLE, 1));
            p.add(new MqttProperties.IntegerProperty(MqttProperties.SHARED_SUBSCRIPTION_AVAILABLE, 1));
        }
        return MqttMessageBuilders.connAck().returnCode(MqttConnectReturnCode.CONNECTION_ACCEPTED).sessionPresent(present)
                .properties(p).build();
    }

    private static void refuse(ChannelHandlerContext ctx, boolean v5, MqttConnectReturnCode code, String why) {
        MqttProperties p = v5 ? Packets.reasonString(why) : MqttProperties.NO_PROPERTIES;
        ctx.writeAndFlush(MqttMessageBuilders.connAck().returnCode(code).sessionPresent(false).properties(p).build())
                .addListener(ChannelFutureListener.CLOSE);
    }

    static int intProp(MqttProperties p, int id, int def) {
        if (p == null) return def;
        return p.getProperty(id) instanceof MqttProperties.IntegerProperty i ? i.value() : def;
    }
}
