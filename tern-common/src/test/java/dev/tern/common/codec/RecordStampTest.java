package dev.tern.common.codec;

import dev.tern.common.message.Message;
import dev.tern.common.message.MessageId;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.Map;
import java.util.zip.CRC32C;

import static org.assertj.core.api.Assertions.assertThat;

/** The two ways the writer fields are stamped (in a buffer, in the prepared array) give the same record. */
class RecordStampTest {

    @Test
    void stampingThePreparedArrayGivesTheSameBytesAsStampingABufferAndTheRecordChecksValid() {
        Message m = Message.builder("body".getBytes()).keys("k").tag("T").properties(Map.of("a", "1", "b", "2")).bornTimestamp(5).build();
        byte[] inArray = RecordCodec.prepare(m, "topic", 3, 1);
        ByteBuffer direct = ByteBuffer.allocateDirect(inArray.length + 16);
        direct.position(16);
        direct.put(inArray.clone());
        MessageId id = new MessageId(1_800_000_000_000L, 4096);

        RecordCodec.stamp(inArray, 42, 1_800_000_000_000L, id, new CRC32C());
        RecordCodec.stamp(direct, 16, 42, 1_800_000_000_000L, id, new CRC32C());

        byte[] fromBuffer = new byte[inArray.length];
        direct.get(16, fromBuffer);
        assertThat(inArray).isEqualTo(fromBuffer);
        assertThat(RecordCodec.check(ByteBuffer.wrap(inArray), 0, inArray.length, new CRC32C())).isEqualTo(RecordCodec.Check.VALID);
        assertThat(RecordCodec.check(direct, 16, 16 + inArray.length, new CRC32C())).isEqualTo(RecordCodec.Check.VALID);
        assertThat(RecordCodec.decode(ByteBuffer.wrap(inArray), 0).queueOffset()).isEqualTo(42);
        assertThat(RecordCodec.messageId(ByteBuffer.wrap(inArray), 0)).isEqualTo(id);
    }
}
