package dev.tern.gateway.mqtt;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttEncoder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The hand-written 3.1.1 PUBLISH encoding gives the bytes Netty's MqttEncoder gives. */
class PublishEncodingTest {

    @ParameterizedTest
    @CsvSource({"a/b, 0, false, 0, 10", "sensors/ü/温度, 1, true, 65535, 300", "x, 1, false, 7, 20000", "t, 0, true, 0, 0"})
    void sameBytesAsNettysEncoder(String topic, int qos, boolean retain, int id, int size) {
        byte[] payload = new byte[size];
        for (int i = 0; i < size; i++) payload[i] = (byte) i;
        Delivery d = new Delivery(topic, payload, qos, retain, Map.of(), "t", 0, 0, null, 0);

        EmbeddedChannel ch = new EmbeddedChannel(MqttEncoder.INSTANCE);
        // no version set on the channel: the encoder writes 3.1.1
        ch.writeOutbound(PublishMapper.toPublish(d, qos, retain, id, false, List.of(), 0));
        ByteBuf expected = ch.readOutbound();
        ByteBuf actual = PublishMapper.encode311(UnpooledByteBufAllocator.DEFAULT, d, qos, retain, id);
        try {
            assertThat(ByteBufUtil.hexDump(actual)).isEqualTo(ByteBufUtil.hexDump(expected));
        } finally {
            expected.release();
            actual.release();
            ch.finishAndReleaseAll();
        }
    }
}
