package dev.tern.store.local;

import dev.tern.common.codec.FuzzSeeds;
import dev.tern.common.codec.RecordCodec;
import dev.tern.common.message.Message;
import dev.tern.common.message.MessageId;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.zip.CRC32C;

/**
 * The seed corpus of {@link TornTailFuzzTest} (src/test/resources/.../TornTailFuzzTestInputs/METHOD/NAME),
 * which Jazzer runs as regression inputs in every build: what a torn or garbled tail looks like — a record
 * cut short, a record failing its CRC, impossible sizes, the end-of-segment marker, zeros, noise. This test
 * keeps the committed files equal to what is generated here ({@link FuzzSeeds}).
 */
class TornTailFuzzSeedsTest {
    private static final Path INPUTS = Path.of("src/test/resources/dev/tern/store/local/TornTailFuzzTestInputs");

    @Test
    void theCommittedSeedsAreTheGeneratedOnes() throws IOException {
        FuzzSeeds.check(INPUTS.resolve("garbageAfterTheLastRecordIsCutAndEverythingBeforeItKept"), seeds());
    }

    private static Map<String, byte[]> seeds() {
        // the next record the fuzz test's store would have written: topic "t", queue 0, offset 10
        byte[] next = RecordCodec.prepare(Message.builder("m20".getBytes(StandardCharsets.UTF_8)).keys("k").tag("T").build(), "t", 1, 0);
        RecordCodec.stamp(next, 10, 1_700_000_000_000L, new MessageId(1_700_000_000_000L, 4096), new CRC32C());
        Map<String, byte[]> s = new LinkedHashMap<>();
        s.put("torn-record", Arrays.copyOf(next, next.length * 2 / 3));
        s.put("torn-size-field", Arrays.copyOf(next, 2));
        byte[] flipped = next.clone();
        flipped[flipped.length - 1] ^= 0x01;
        s.put("record-failing-its-crc", flipped);
        s.put("size-beyond-the-segment", ByteBuffer.allocate(64).putInt(1 << 30).array());
        s.put("size-below-a-header", ByteBuffer.allocate(64).putInt(20).array());
        s.put("end-of-segment-marker-mid-segment", ByteBuffer.allocate(4).putInt(RecordCodec.END_OF_SEGMENT).array());
        byte[] ones = new byte[4096];
        Arrays.fill(ones, (byte) 0xFF);
        s.put("ff-4k", ones);
        s.put("zeros-4k", new byte[4096]);
        byte[] noise = new byte[1024];
        new Random(20261203).nextBytes(noise);
        s.put("noise-1k", noise);
        return s;
    }
}
