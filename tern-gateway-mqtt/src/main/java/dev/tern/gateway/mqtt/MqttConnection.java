package dev.tern.gateway.mqtt;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttIdentifierRejectedException;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttPubReplyMessageVariableHeader;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttReasonCodeAndPropertiesVariableHeader;
import io.netty.handler.codec.mqtt.MqttSubscribeMessage;
import io.netty.handler.codec.mqtt.MqttUnacceptableProtocolVersionException;
import io.netty.handler.codec.mqtt.MqttUnsubscribeMessage;
import io.netty.handler.timeout.IdleStateEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * One MQTT connection: the protocol's state machine in front of a {@link Session}. The first packet must
 * be CONNECT; packets that arrive while the CONNECT is being processed wait their turn. A protocol
 * violation ends the connection — in 5.0 with a DISCONNECT carrying the reason code — and touches nothing
 * else. Runs on the connection's I/O thread.
 */
final class MqttConnection extends SimpleChannelInboundHandler<MqttMessage> {
    private static final Logger log = LoggerFactory.getLogger(MqttConnection.class);

    private static final int MAX_EARLY = 1000;

    private final GatewayContext gw;
    private Session session;
    private boolean ready;
    private boolean connectSeen;
    private boolean mqtt5;
    private boolean normalDisconnect;
    private List<MqttMessage> early;
    final Inbound inbound;

    MqttConnection(GatewayContext gw) {
        this.gw = gw;
        this.inbound = new Inbound(gw, this);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, MqttMessage msg) {
        if (msg.decoderResult().isFailure()) {
            badPacket(ctx, msg.decoderResult().cause());
            return;
        }
        if (!connectSeen) {
            // [MQTT-3.1.0-1] the first packet must be CONNECT; anything else closes the connection
            if (!(msg instanceof MqttConnectMessage connect)) {
                ctx.close();
                return;
            }
            connectSeen = true;
            mqtt5 = connect.variableHeader().version() == 5;
            ConnectFlow.connect(gw, this, ctx, connect);
            return;
        }
        if (!ready) {
            if (early == null) early = new ArrayList<>();
            // packets pipelined behind a CONNECT wait for it; a flood before the CONNACK is not a client
            if (early.size() >= MAX_EARLY) {
                violation(ctx, ReasonCodes.RECEIVE_MAXIMUM_EXCEEDED, "too many packets before CONNACK");
                return;
            }
            io.netty.util.ReferenceCountUtil.retain(msg);
            early.add(msg);
            return;
        }
        handle(ctx, msg);
    }

    /** Called by {@link ConnectFlow} on the I/O thread when the session is registered (before CONNACK). */
    void registered(Session s) {
        this.session = s;
    }

    /** Called by {@link ConnectFlow} on the I/O thread once CONNACK is written. */
    void connected(ChannelHandlerContext ctx) {
        ready = true;
        List<MqttMessage> waiting = early;
        early = null;
        if (waiting == null) return;
        for (MqttMessage m : waiting) {
            try {
                if (ctx.channel().isActive()) handle(ctx, m);
            } finally {
                io.netty.util.ReferenceCountUtil.release(m);
            }
        }
        if (session != null) inbound.flush(ctx, session);
    }

    private void handle(ChannelHandlerContext ctx, MqttMessage msg) {
        switch (msg.fixedHeader().messageType()) {
            case CONNECT -> violation(ctx, ReasonCodes.PROTOCOL_ERROR, "a second CONNECT");
            case PUBLISH -> inbound.publish(ctx, session, (MqttPublishMessage) msg);
            case PUBACK -> session.outbox.onPubAck(packetId(msg));
            case PUBREC -> session.outbox.onPubRec(packetId(msg), failedReply(msg));
            case PUBCOMP -> session.outbox.onPubComp(packetId(msg));
            case PUBREL -> inbound.release(ctx, session, packetId(msg));
            case SUBSCRIBE -> SubscribeFlow.subscribe(gw, this, ctx, session, (MqttSubscribeMessage) msg);
            case UNSUBSCRIBE -> SubscribeFlow.unsubscribe(gw, ctx, session, (MqttUnsubscribeMessage) msg);
            case PINGREQ -> ctx.writeAndFlush(Packets.pingResp());
            case DISCONNECT -> disconnect(ctx, msg);
            default -> violation(ctx, ReasonCodes.PROTOCOL_ERROR, "unexpected " + msg.fixedHeader().messageType());
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) throws Exception {
        if (ready) inbound.flush(ctx, session);
        super.channelReadComplete(ctx);
    }

    private void disconnect(ChannelHandlerContext ctx, MqttMessage msg) {
        inbound.flush(ctx, session);
        byte reason = 0;
        if (msg.variableHeader() instanceof MqttReasonCodeAndPropertiesVariableHeader h) {
            reason = h.reasonCode();
            if (h.properties().getProperty(io.netty.handler.codec.mqtt.MqttProperties.SESSION_EXPIRY_INTERVAL)
                    instanceof io.netty.handler.codec.mqtt.MqttProperties.IntegerProperty e) {
                session.expirySeconds = ConnectFlow.expiry(e.value());
            }
        }
        // a normal DISCONNECT discards the will, except 5.0's "disconnect with will message"
        normalDisconnect = reason != ReasonCodes.DISCONNECT_WITH_WILL;
        ctx.close();
    }

    /** Ends the connection for a protocol violation: 5.0 gets a DISCONNECT with {@code reason} first. */
    void violation(ChannelHandlerContext ctx, byte reason, String why) {
        log.debug("mqtt {} closed: {}", ctx.channel().remoteAddress(), why);
        if (mqtt5 && session != null) {
            ctx.writeAndFlush(Packets.disconnect(reason, why)).addListener(ChannelFutureListener.CLOSE);
        } else {
            ctx.close();
        }
    }

    private void badPacket(ChannelHandlerContext ctx, Throwable cause) {
        if (!connectSeen) {
            // a CONNECT the decoder refused: CONNACK with the matching code where the spec has one
            MqttConnectReturnCode code = cause instanceof MqttUnacceptableProtocolVersionException
                    ? MqttConnectReturnCode.CONNECTION_REFUSED_UNACCEPTABLE_PROTOCOL_VERSION
                    : cause instanceof MqttIdentifierRejectedException ? MqttConnectReturnCode.CONNECTION_REFUSED_IDENTIFIER_REJECTED : null;
            connectSeen = true;
            if (code == null) ctx.close();
            else ctx.writeAndFlush(connAck(code)).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        violation(ctx, reasonFor(cause), String.valueOf(cause.getMessage()));
    }

    private static MqttConnAckMessage connAck(MqttConnectReturnCode code) {
        return MqttMessageBuilders.connAck().returnCode(code).sessionPresent(false).build();
    }

    static byte reasonFor(Throwable cause) {
        if (cause instanceof TooLongFrameException) return ReasonCodes.PACKET_TOO_LARGE;
        String m = cause.getMessage() == null ? "" : cause.getMessage();
        if (cause instanceof DecoderException && m.contains("topic name")) return ReasonCodes.TOPIC_NAME_INVALID;
        return ReasonCodes.MALFORMED_PACKET;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof IdleStateEvent) {
            // [MQTT-3.1.2-24] nothing within 1.5 keep-alive periods (or no CONNECT in time): close
            violation(ctx, ReasonCodes.KEEP_ALIVE_TIMEOUT, "keep-alive timeout");
            return;
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
        // a session behind on some queue reads on from the log once the socket takes more
        if (session != null && ctx.channel().isWritable()) session.catchUp.wake();
        super.channelWritabilityChanged(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (early != null) {
            early.forEach(io.netty.util.ReferenceCountUtil::release);
            early = null;
        }
        if (session != null) {
            // publishes read just before the connection dropped were received: store them
            if (ready) inbound.flush(ctx, session);
            SessionEnd.end(gw, session, normalDisconnect, inbound.settled());
        }
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("mqtt {}: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }

    private static int packetId(MqttMessage msg) {
        return ((MqttMessageIdVariableHeader) msg.variableHeader()).messageId();
    }

    private static boolean failedReply(MqttMessage msg) {
        return msg.variableHeader() instanceof MqttPubReplyMessageVariableHeader h && (h.reasonCode() & 0x80) != 0;
    }
}
