package dev.tern.gateway.mqtt;

import dev.tern.common.message.Message;
import dev.tern.common.message.PropertyMap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttPublishVariableHeader;
import io.netty.handler.codec.mqtt.MqttQoS;

import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** MQTT PUBLISH packets to Tern messages and stored messages back to PUBLISH packets (the property mapping). */
final class PublishMapper {
    private PublishMapper() {
    }

    /** The Tern message for an inbound PUBLISH whose topic (alias resolved) is {@code topic}. */
    static Message toMessage(String topic, MqttPublishMessage p, String clientId, long now) {
        int q = p.fixedHeader().qosLevel().value();
        String qos = q < QOS_NAMES.length ? QOS_NAMES[q] : Integer.toString(q);
        boolean retain = p.fixedHeader().isRetain();
        MqttProperties mp = p.variableHeader().properties();
        Map<String, String> props;
        if ((mp == null || mp.isEmpty()) && clientId != null) {
            // the usual packet: an immutable map built once (Message keeps it as it is, no copy)
            props = retain ? PropertyMap.ofDistinct(TopicMapping.TOPIC, topic, TopicMapping.QOS, qos, TopicMapping.CLIENT_ID, clientId, TopicMapping.RETAIN, "true")
                    : PropertyMap.ofDistinct(TopicMapping.TOPIC, topic, TopicMapping.QOS, qos, TopicMapping.CLIENT_ID, clientId);
        } else {
            props = new HashMap<>();
            props.put(TopicMapping.TOPIC, topic);
            props.put(TopicMapping.QOS, qos);
            if (retain) props.put(TopicMapping.RETAIN, "true");
            if (clientId != null) props.put(TopicMapping.CLIENT_ID, clientId);
            mqtt5Properties(mp, props, now);
        }
        return Message.builder(ByteBufUtil.getBytes(p.payload())).properties(props).bornTimestamp(now).build();
    }

    private static final String[] QOS_NAMES = {"0", "1", "2"};

    /** Copies MQTT 5 publish properties into message properties. */
    static void mqtt5Properties(MqttProperties mp, Map<String, String> props, long now) {
        if (mp == null || mp.isEmpty()) return;
        if (mp.getProperty(MqttProperties.PUBLICATION_EXPIRY_INTERVAL) instanceof MqttProperties.IntegerProperty e)
            props.put(TopicMapping.EXPIRES_AT, Long.toString(now + (e.value() & 0xffffffffL) * 1000));
        if (mp.getProperty(MqttProperties.RESPONSE_TOPIC) instanceof MqttProperties.StringProperty r)
            props.put(TopicMapping.RESPONSE_TOPIC, r.value());
        if (mp.getProperty(MqttProperties.CORRELATION_DATA) instanceof MqttProperties.BinaryProperty c)
            props.put(TopicMapping.CORRELATION, Base64.getEncoder().encodeToString(c.value()));
        if (mp.getProperty(MqttProperties.CONTENT_TYPE) instanceof MqttProperties.StringProperty ct)
            props.put(TopicMapping.CONTENT_TYPE, ct.value());
        if (mp.getProperty(MqttProperties.PAYLOAD_FORMAT_INDICATOR) instanceof MqttProperties.IntegerProperty pf)
            props.put(TopicMapping.PAYLOAD_FORMAT, Integer.toString(pf.value()));
        for (MqttProperties.MqttProperty<?> u : mp.getProperties(MqttProperties.USER_PROPERTY)) {
            if (u instanceof MqttProperties.UserProperties ups) {
                for (MqttProperties.StringPair pair : ups.value()) props.put(TopicMapping.USER_PREFIX + pair.key, pair.value);
            } else if (u instanceof MqttProperties.UserProperty up) {
                props.put(TopicMapping.USER_PREFIX + up.value().key, up.value().value);
            }
        }
    }

    /** The PUBLISH for a delivery at {@code qos} with {@code packetId} (0 for QoS 0). */
    static MqttPublishMessage toPublish(Delivery d, int qos, boolean retain, int packetId, boolean mqtt5,
                                        List<Integer> subscriptionIds, long now) {
        MqttProperties props = mqtt5 ? outboundProperties(d, subscriptionIds, now) : MqttProperties.NO_PROPERTIES;
        // built directly: MqttMessageBuilders copies the payload into a new buffer, here it is wrapped as it is
        return new MqttPublishMessage(new MqttFixedHeader(MqttMessageType.PUBLISH, false, MqttQoS.valueOf(qos), retain, 0),
                new MqttPublishVariableHeader(d.mqttTopic(), packetId, props), Unpooled.wrappedBuffer(d.payload()));
    }

    /**
     * The encoded 3.1.1 PUBLISH for a delivery at {@code qos} with {@code packetId}, written straight into one
     * buffer: the same bytes {@code MqttEncoder} makes of {@link #toPublish}, without the packet object, the
     * payload wrapper and the encoder's intermediate list (3.1.1 packets have no properties).
     */
    static ByteBuf encode311(ByteBufAllocator alloc, Delivery d, int qos, boolean retain, int packetId) {
        int remaining = remaining311(d, qos);
        int size = size311(remaining);
        ByteBuf b = alloc.directBuffer(size, size);
        encode311(b, d, qos, retain, packetId, remaining);
        return b;
    }

    /** The remaining length of the 3.1.1 PUBLISH for {@code d} at {@code qos}: what follows its fixed header. */
    static int remaining311(Delivery d, int qos) {
        return 2 + ByteBufUtil.utf8Bytes(d.mqttTopic()) + (qos > 0 ? 2 : 0) + d.payload().length;
    }

    /** The size of a whole 3.1.1 packet whose remaining length is {@code remaining}. */
    static int size311(int remaining) {
        return 1 + (remaining < 128 ? 1 : remaining < 16_384 ? 2 : remaining < 2_097_152 ? 3 : 4) + remaining;
    }

    /**
     * Appends the encoded 3.1.1 PUBLISH to {@code b}, which must have {@link #size311} bytes of room;
     * {@code remaining} is its {@link #remaining311} (computed once by the caller, who sized the room with it).
     */
    static void encode311(ByteBuf b, Delivery d, int qos, boolean retain, int packetId, int remaining) {
        String topic = d.mqttTopic();
        int topicBytes = remaining - 2 - (qos > 0 ? 2 : 0) - d.payload().length;
        b.writeByte(0x30 | qos << 1 | (retain ? 1 : 0));
        for (int left = remaining; ; ) {
            int digit = left & 0x7f;
            left >>>= 7;
            if (left == 0) {
                b.writeByte(digit);
                break;
            }
            b.writeByte(digit | 0x80);
        }
        b.writeShort(topicBytes);
        ByteBufUtil.reserveAndWriteUtf8(b, topic, topicBytes);
        if (qos > 0) b.writeShort(packetId);
        b.writeBytes(d.payload());
    }

    private static MqttProperties outboundProperties(Delivery d, List<Integer> subscriptionIds, long now) {
        MqttProperties mp = new MqttProperties();
        Map<String, String> p = d.properties();
        if (d.expiresAt() > 0) {
            mp.add(new MqttProperties.IntegerProperty(MqttProperties.PUBLICATION_EXPIRY_INTERVAL,
                    (int) Math.max(1, (d.expiresAt() - now + 999) / 1000)));
        }
        String rt = p.get(TopicMapping.RESPONSE_TOPIC);
        if (rt != null) mp.add(new MqttProperties.StringProperty(MqttProperties.RESPONSE_TOPIC, rt));
        String corr = p.get(TopicMapping.CORRELATION);
        if (corr != null) mp.add(new MqttProperties.BinaryProperty(MqttProperties.CORRELATION_DATA, Base64.getDecoder().decode(corr)));
        String ct = p.get(TopicMapping.CONTENT_TYPE);
        if (ct != null) mp.add(new MqttProperties.StringProperty(MqttProperties.CONTENT_TYPE, ct));
        String pf = p.get(TopicMapping.PAYLOAD_FORMAT);
        if ("1".equals(pf)) mp.add(new MqttProperties.IntegerProperty(MqttProperties.PAYLOAD_FORMAT_INDICATOR, 1));
        MqttProperties.UserProperties users = new MqttProperties.UserProperties();
        p.forEach((k, v) -> {
            // properties set natively (no mqtt. prefix) reach MQTT 5 subscribers as user properties too
            if (k.startsWith(TopicMapping.USER_PREFIX)) users.add(k.substring(TopicMapping.USER_PREFIX.length()), v);
            else if (!k.startsWith("mqtt.")) users.add(k, v);
        });
        if (!users.value().isEmpty()) mp.add(users);
        for (int id : subscriptionIds) mp.add(new MqttProperties.IntegerProperty(MqttProperties.SUBSCRIPTION_IDENTIFIER, id));
        return mp;
    }
}
