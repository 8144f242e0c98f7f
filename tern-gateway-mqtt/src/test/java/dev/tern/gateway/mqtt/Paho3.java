package dev.tern.gateway.mqtt;

import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A Paho MQTT 3.1.1 client that collects what it receives, for tests. */
final class Paho3 implements AutoCloseable {
    record Received(String topic, String body, int qos, boolean retained) {
    }

    final MqttClient client;
    final LinkedBlockingQueue<Received> received = new LinkedBlockingQueue<>();

    Paho3(String uri, String clientId) throws MqttException {
        client = new MqttClient(uri, clientId, new MemoryPersistence());
        client.setCallback(new MqttCallback() {
            @Override
            public void connectionLost(Throwable cause) {
            }

            @Override
            public void messageArrived(String topic, MqttMessage message) {
                received.add(new Received(topic, new String(message.getPayload(), StandardCharsets.UTF_8), message.getQos(), message.isRetained()));
            }

            @Override
            public void deliveryComplete(IMqttDeliveryToken token) {
            }
        });
    }

    static Paho3 connect(String uri, String clientId, boolean clean) throws MqttException {
        Paho3 p = new Paho3(uri, clientId);
        MqttConnectOptions o = options(clean);
        try {
            p.client.connect(o);
        } catch (MqttException e) {
            // Paho reads the WebSocket handshake answer with a fixed 1 s socket timeout; a node's first
            // handshake on a loaded 2-core machine (cold classes, JIT) can take longer. Once more, then fail.
            if (!uri.startsWith("ws") || !(e.getCause() instanceof java.net.SocketTimeoutException)) throw e;
            p.client.connect(o);
        }
        return p;
    }

    static MqttConnectOptions options(boolean clean) {
        MqttConnectOptions o = new MqttConnectOptions();
        o.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        o.setCleanSession(clean);
        o.setAutomaticReconnect(false);
        o.setConnectionTimeout(10);
        o.setKeepAliveInterval(30);
        o.setMaxInflight(1000);
        return o;
    }

    void publish(String topic, String body, int qos, boolean retained) throws MqttException {
        client.publish(topic, body.getBytes(StandardCharsets.UTF_8), qos, retained);
    }

    Received next() throws InterruptedException {
        Received r = received.poll(20, TimeUnit.SECONDS);
        if (r == null) throw new AssertionError("nothing received within 20 s");
        return r;
    }

    Received poll(long ms) throws InterruptedException {
        return received.poll(ms, TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() throws MqttException {
        if (client.isConnected()) client.disconnect(2000);
        client.close(true);
    }
}
