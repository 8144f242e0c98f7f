package dev.tern.common.codec;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.tern.common.error.ErrorCode;
import dev.tern.common.error.TernException;
import dev.tern.common.message.Message;
import dev.tern.common.message.MessageId;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzzes the record decoder, which reads bytes that come from disk and from the network. Whatever the
 * bytes, {@code check} answers without throwing and {@code decode} either returns a message or fails with
 * CORRUPT_RECORD — never another exception, never a huge allocation. Runs its seeds as a regular test;
 * {@code JAZZER_FUZZ=1 mvn test -pl tern-common -Dtest=RecordCodecFuzzTest} fuzzes for real.
 */
class RecordCodecFuzzTest {

    @FuzzTest(maxDuration = "60s")
    void arbitraryBytesAreDecodedOrRejectedAsCorrupt(byte[] data) {
        ByteBuffer buf = ByteBuffer.wrap(data);
        RecordCodec.Check c = RecordCodec.check(buf, 0, data.length, new CRC32C());
        assertThat(c).isNotNull();
        try {
            RecordCodec.decode(buf, 0);
        } catch (TernException e) {
            assertThat(e.code()).isEqualTo(ErrorCode.CORRUPT_RECORD);
        }
    }

    @FuzzTest(maxDuration = "60s")
    void aValidRecordWithFuzzedBytesNeverPassesAsAnotherMessage(byte[] noise) {
        byte[] record = RecordCodec.prepare(Message.builder("body".getBytes()).keys("k1", "k2").tag("T")
                .properties(Map.of("a", "1")).build(), "topic", 7, 1);
        ByteBuffer buf = ByteBuffer.wrap(record);
        RecordCodec.stamp(buf, 0, 42, 1000, new MessageId(1, 2), new CRC32C());
        for (int i = 0; i + 1 < noise.length; i += 2) {
            int at = Byte.toUnsignedInt(noise[i]) % record.length;
            record[at] ^= noise[i + 1];
        }
        if (RecordCodec.check(buf, 0, record.length, new CRC32C()) == RecordCodec.Check.VALID) {
            // CRC32C catches every change of up to 3 bits and all burst errors shorter than 32 bits; the
            // fuzzer only gets here by undoing its own flips, so the message must be the original
            assertThat(RecordCodec.decode(buf, 0).keys()).isEqualTo(List.of("k1", "k2"));
        }
    }
}
