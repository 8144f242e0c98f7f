package dev.tern.gateway.mqtt;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** A bare socket speaking hand-built MQTT packets, for the bad-input and slow-subscriber tests. */
final class RawMqtt implements AutoCloseable {
    /** A packet read back: first byte and body. */
    record Packet(int header, byte[] body) {
        int type() {
            return header >> 4;
        }
    }

    private final Socket socket;
    private final DataInputStream in;

    /** A PUBLISH read back, decoded (3.1.1 or 5.0; of the 5.0 properties only subscription identifiers are kept). */
    record Publish(String topic, int qos, int packetId, String payload, List<Integer> subscriptionIds) {
    }

    /**
     * Connects with MQTT {@code version} ({@code clean} false: a persistent session) and checks that the CONNACK
     * accepted it; answers the client and the CONNACK's session-present flag through {@link #sessionPresent}.
     */
    static RawMqtt connected(int port, int version, String clientId, boolean clean) throws IOException {
        RawMqtt c = new RawMqtt(port);
        c.send(connect(version, clientId, 60, clean));
        Packet ack = c.read();
        if (ack.type() != 2 || ack.body()[1] != 0) {
            c.close();
            throw new AssertionError("connect of " + clientId + " not accepted: packet type " + ack.type() + ", code " + ack.body()[1]);
        }
        c.sessionPresent = (ack.body()[0] & 1) == 1;
        return c;
    }

    /** Whether the CONNACK of {@link #connected} said the session was present. */
    boolean sessionPresent;

    RawMqtt(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(10_000);
        in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
    }

    static byte[] connect(int version, String clientId, int keepAlive) {
        return connect(version, clientId, keepAlive, true);
    }

    /** CONNECT; {@code clean} false asks for a persistent session (5.0: session expiry 300 s). */
    static byte[] connect(int version, String clientId, int keepAlive, boolean clean) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        str(b, "MQTT");
        b.write(version);
        b.write(clean ? 0x02 : 0x00); // clean session / clean start
        b.write(keepAlive >> 8);
        b.write(keepAlive);
        if (version == 5 && clean) b.write(0); // no properties
        if (version == 5 && !clean) b.writeBytes(new byte[]{5, 0x11, 0, 0, 1, 44}); // session expiry interval 300 s
        str(b, clientId);
        return packet(0x10, b.toByteArray());
    }

    /** A 5.0 CONNECT with a QoS 1 will message delayed by {@code delaySeconds}, session expiry {@code expirySeconds}. */
    static byte[] connectWithWill(String clientId, String willTopic, String willPayload, int delaySeconds, int expirySeconds) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        str(b, "MQTT");
        b.write(5);
        b.write(0x02 | 0x04 | 0x08); // clean start, will, will QoS 1
        b.write(0);
        b.write(60);
        b.writeBytes(new byte[]{5, 0x11, (byte) (expirySeconds >> 24), (byte) (expirySeconds >> 16), (byte) (expirySeconds >> 8),
                (byte) expirySeconds}); // connect properties: session expiry interval
        str(b, clientId);
        b.write(5); // will properties: will delay interval (0x18), four bytes
        b.write(0x18);
        b.write(delaySeconds >> 24);
        b.write(delaySeconds >> 16);
        b.write(delaySeconds >> 8);
        b.write(delaySeconds);
        str(b, willTopic);
        str(b, willPayload);
        return packet(0x10, b.toByteArray());
    }

    /** PUBLISH with a raw topic (bytes, so tests can send invalid UTF-8), QoS in the header. */
    static byte[] publish(int version, byte[] topic, int qos, byte[] properties, String payload) {
        return publish(version, topic, qos, 1, properties, payload);
    }

    /** PUBLISH with packet id {@code id} (used at QoS 1 and 2). */
    static byte[] publish(int version, byte[] topic, int qos, int id, byte[] properties, String payload) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(topic.length >> 8);
        b.write(topic.length);
        b.writeBytes(topic);
        if (qos > 0) {
            b.write(id >> 8);
            b.write(id);
        }
        if (version == 5) {
            b.write(properties.length);
            b.writeBytes(properties);
        }
        b.writeBytes(payload.getBytes(StandardCharsets.UTF_8));
        return packet(0x30 | (qos << 1), b.toByteArray());
    }

    static byte[] subscribe(int version, String filter, int qos) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(0);
        b.write(1);
        if (version == 5) b.write(0);
        str(b, filter);
        b.write(qos);
        return packet(0x82, b.toByteArray());
    }

    /** SUBSCRIBE of one filter with its options byte (QoS, 5.0 no-local 0x04 ...) and a 5.0 subscription identifier (0: none). */
    static byte[] subscribe(int version, int packetId, String filter, int options, int subscriptionId) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(packetId >> 8);
        b.write(packetId);
        if (version == 5) {
            ByteArrayOutputStream props = new ByteArrayOutputStream();
            if (subscriptionId > 0) {
                props.write(0x0B);
                varInt(props, subscriptionId);
            }
            varInt(b, props.size());
            b.writeBytes(props.toByteArray());
        }
        str(b, filter);
        b.write(options);
        return packet(0x82, b.toByteArray());
    }

    static byte[] pubAck(int packetId) {
        return packet(0x40, new byte[]{(byte) (packetId >> 8), (byte) packetId});
    }

    /** Decodes a PUBLISH packet. */
    static Publish publishOf(RawMqtt.Packet p, int version) {
        if (p.type() != 3) throw new AssertionError("not a PUBLISH: type " + p.type());
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(p.body());
        int qos = (p.header() >> 1) & 3;
        byte[] topic = new byte[b.getShort() & 0xffff];
        b.get(topic);
        int id = qos > 0 ? b.getShort() & 0xffff : 0;
        List<Integer> ids = new ArrayList<>();
        if (version == 5) {
            int end = varInt(b);
            end += b.position();
            while (b.position() < end) {
                int prop = b.get() & 0xff;
                switch (prop) {
                    case 0x0B -> ids.add(varInt(b));
                    case 0x01 -> b.get();
                    case 0x02 -> b.getInt();
                    case 0x23 -> b.getShort();
                    case 0x03, 0x08, 0x09 -> b.position(b.position() + (b.getShort() & 0xffff));
                    case 0x26 -> {
                        b.position(b.position() + (b.getShort() & 0xffff));
                        b.position(b.position() + (b.getShort() & 0xffff));
                    }
                    default -> throw new AssertionError("unexpected property " + prop);
                }
            }
        }
        byte[] payload = new byte[b.remaining()];
        b.get(payload);
        return new Publish(new String(topic, StandardCharsets.UTF_8), qos, id, new String(payload, StandardCharsets.UTF_8), ids);
    }

    private static void varInt(ByteArrayOutputStream b, int v) {
        do {
            int d = v % 128;
            v /= 128;
            b.write(v > 0 ? d | 0x80 : d);
        } while (v > 0);
    }

    private static int varInt(java.nio.ByteBuffer b) {
        int v = 0;
        int mult = 1;
        int d;
        do {
            d = b.get() & 0xff;
            v += (d & 0x7f) * mult;
            mult *= 128;
        } while ((d & 0x80) != 0);
        return v;
    }

    static byte[] packet(int header, byte[] body) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(header);
        int len = body.length;
        do {
            int d = len % 128;
            len /= 128;
            b.write(len > 0 ? d | 0x80 : d);
        } while (len > 0);
        b.writeBytes(body);
        return b.toByteArray();
    }

    private static void str(ByteArrayOutputStream b, String s) {
        byte[] u = s.getBytes(StandardCharsets.UTF_8);
        b.write(u.length >> 8);
        b.write(u.length);
        b.writeBytes(u);
    }

    void send(byte[] bytes) throws IOException {
        socket.getOutputStream().write(bytes);
        socket.getOutputStream().flush();
    }

    Packet read() throws IOException {
        return rest(in.readUnsignedByte());
    }

    /** The remaining length and body of a packet whose first byte was {@code header}. */
    private Packet rest(int header) throws IOException {
        int len = 0;
        int mult = 1;
        int d;
        do {
            d = in.readUnsignedByte();
            len += (d & 0x7f) * mult;
            mult *= 128;
        } while ((d & 0x80) != 0);
        byte[] body = new byte[len];
        in.readFully(body);
        return new Packet(header, body);
    }

    /** The next packet if one starts within {@code millis}, else null (nothing is consumed then). */
    Packet readWithin(int millis) throws IOException {
        socket.setSoTimeout(millis);
        int first;
        try {
            first = in.read();
        } catch (SocketTimeoutException e) {
            return null;
        } finally {
            socket.setSoTimeout(10_000);
        }
        if (first == -1) throw new EOFException("closed by the server");
        return rest(first);
    }

    /** True when the server closed the connection (within the socket timeout) with nothing more to read. */
    boolean closedByServer() throws IOException {
        try {
            return in.read() == -1;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (EOFException | java.net.SocketException e) {
            return true;
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
