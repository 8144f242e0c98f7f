package dev.tern.gateway.mqtt;

import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPubReplyMessageVariableHeader;
import io.netty.handler.codec.mqtt.MqttQoS;

/** Builders of the small control packets, in the form each protocol version needs. */
final class Packets {
    private Packets() {
    }

    static MqttMessage pubAck(int packetId, byte reason, boolean mqtt5, String reasonString) {
        return reply(MqttMessageType.PUBACK, packetId, reason, mqtt5, reasonString);
    }

    static MqttMessage pubRec(int packetId, byte reason, boolean mqtt5, String reasonString) {
        return reply(MqttMessageType.PUBREC, packetId, reason, mqtt5, reasonString);
    }

    static MqttMessage pubRel(int packetId, byte reason, boolean mqtt5) {
        return reply(MqttMessageType.PUBREL, packetId, reason, mqtt5, null);
    }

    static MqttMessage pubComp(int packetId, byte reason, boolean mqtt5) {
        return reply(MqttMessageType.PUBCOMP, packetId, reason, mqtt5, null);
    }

    static MqttMessage pingResp() {
        return new MqttMessage(new MqttFixedHeader(MqttMessageType.PINGRESP, false, MqttQoS.AT_MOST_ONCE, false, 0));
    }

    static MqttMessage disconnect(byte reason, String reasonString) {
        return MqttMessageBuilders.disconnect().reasonCode(reason).properties(reasonString(reasonString)).build();
    }

    static MqttProperties reasonString(String s) {
        if (s == null) return MqttProperties.NO_PROPERTIES;
        MqttProperties p = new MqttProperties();
        p.add(new MqttProperties.StringProperty(MqttProperties.REASON_STRING, s));
        return p;
    }

    private static MqttMessage reply(MqttMessageType type, int packetId, byte reason, boolean mqtt5, String reasonString) {
        MqttQoS q = type == MqttMessageType.PUBREL ? MqttQoS.AT_LEAST_ONCE : MqttQoS.AT_MOST_ONCE;
        MqttFixedHeader fh = new MqttFixedHeader(type, false, q, false, 0);
        if (!mqtt5) return new MqttMessage(fh, MqttMessageIdVariableHeader.from(packetId));
        return new MqttMessage(fh, new MqttPubReplyMessageVariableHeader(packetId, reason, reasonString(reasonString)));
    }
}
