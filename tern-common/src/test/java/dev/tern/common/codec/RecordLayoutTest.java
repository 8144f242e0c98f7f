package dev.tern.common.codec;

import dev.tern.common.message.Message;
import dev.tern.common.message.StoredMessage;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The record layout byte for byte (it is the on-disk format and the wire format), and decoding it back. */
class RecordLayoutTest {

    @Test
    void preparedBytesFollowTheDocumentedLayout() {
        Map<String, String> props = new LinkedHashMap<>();
        props.put("p1", "v1");
        props.put("größe", "ünïcode");
        Message m = Message.builder("body".getBytes(StandardCharsets.UTF_8)).keys("k1", "k2").tag("T").properties(props)
                .bornTimestamp(7).producer(9, 11).build();

        byte[] rec = RecordCodec.prepare(m, "topic", 3, 2);

        ByteBuffer expected = ByteBuffer.allocate(rec.length);
        expected.putInt(rec.length).putInt(0).put((byte) 1).put((byte) 0).putInt(3).putInt(2)
                .putLong(0).putLong(7).putLong(0).putLong(9).putLong(11).putLong(0).putLong(0);
        putShortString(expected, "topic");
        putShortString(expected, "T");
        expected.putShort((short) 2);
        putShortString(expected, "k1");
        putShortString(expected, "k2");
        expected.putShort((short) 2);
        for (Map.Entry<String, String> e : props.entrySet()) {
            putShortString(expected, e.getKey());
            byte[] v = e.getValue().getBytes(StandardCharsets.UTF_8);
            expected.putInt(v.length).put(v);
        }
        expected.putInt(4).put("body".getBytes(StandardCharsets.UTF_8));
        assertThat(expected.hasRemaining()).isFalse();
        assertThat(rec).isEqualTo(expected.array());
        assertThat(RecordCodec.prepare(m, RecordCodec.topicBytes("topic"), 3, 2)).isEqualTo(rec);
    }

    @Test
    void decodesFromHeapAndDirectBuffersAlikeWithLongAndNonAsciiStrings() {
        Map<String, String> props = new LinkedHashMap<>();
        props.put("short", "x");
        props.put("long", "ä".repeat(700)); // longer than the decoder's scratch space
        props.put("ключ", "значение");
        Message m = Message.builder(new byte[] {1, 2, 3}).keys("k".repeat(600)).properties(props).build();
        byte[] rec = RecordCodec.prepare(m, "t".repeat(300), 1, 0);
        ByteBuffer direct = ByteBuffer.allocateDirect(rec.length + 5);
        direct.position(5);
        direct.put(rec);

        for (StoredMessage s : List.of(RecordCodec.decode(ByteBuffer.wrap(rec), 0), RecordCodec.decode(direct, 5))) {
            assertThat(s.topic()).isEqualTo("t".repeat(300));
            assertThat(s.keys()).containsExactly("k".repeat(600));
            assertThat(s.tag()).isNull();
            assertThat(s.properties()).containsExactlyEntriesOf(props);
            assertThat(s.body()).containsExactly(1, 2, 3);
        }
        assertThat(RecordCodec.properties(direct, 5)).containsExactlyEntriesOf(props);
        assertThat(RecordCodec.keys(direct, 5)).containsExactly("k".repeat(600));
    }

    @Test
    void recentlyDecodedStringsAreReusedAndNeverConfused() {
        // names and values that collide in the decoder's string table must still come back as themselves
        Map<String, String> props = new LinkedHashMap<>();
        for (int i = 0; i < 2000; i++) props.put("n" + i, "v" + (i % 7));
        Message m = Message.builder(new byte[0]).properties(props).build();
        byte[] rec = RecordCodec.prepare(m, "t", 1, 0);
        assertThat(RecordCodec.prepare(m, "t", 1, 0)).isEqualTo(rec); // the second time from the encoder's table
        ByteBuffer direct = ByteBuffer.allocateDirect(rec.length).put(rec);
        StoredMessage first = RecordCodec.decode(direct, 0);
        StoredMessage second = RecordCodec.decode(direct, 0);
        assertThat(first.properties()).containsExactlyEntriesOf(props);
        assertThat(second.properties()).containsExactlyEntriesOf(props);
        assertThat(second.properties().get("n6")).isSameAs(second.properties().get("n13")); // "v6", decoded once
    }

    private static void putShortString(ByteBuffer b, String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        b.putShort((short) bytes.length).put(bytes);
    }
}
