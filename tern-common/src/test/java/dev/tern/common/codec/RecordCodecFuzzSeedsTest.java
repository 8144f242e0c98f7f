package dev.tern.common.codec;

import dev.tern.common.message.Message;
import dev.tern.common.message.MessageId;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * The seed corpus of {@link RecordCodecFuzzTest}, which Jazzer runs as regression inputs in every build
 * (src/test/resources/.../RecordCodecFuzzTestInputs/METHOD/NAME): valid records, and corrupt ones, some
 * with a CRC that matches so that the decoder itself has to notice. This test keeps the committed files
 * equal to what is generated here ({@link FuzzSeeds}).
 */
class RecordCodecFuzzSeedsTest {
    private static final Path INPUTS = Path.of("src/test/resources/dev/tern/common/codec/RecordCodecFuzzTestInputs");

    @Test
    void theCommittedSeedsAreTheGeneratedOnes() throws IOException {
        FuzzSeeds.check(INPUTS.resolve("arbitraryBytesAreDecodedOrRejectedAsCorrupt"), recordSeeds());
        FuzzSeeds.check(INPUTS.resolve("aValidRecordWithFuzzedBytesNeverPassesAsAnotherMessage"), noiseSeeds());
    }

    private static byte[] record(Message m, String topic, long offset) {
        byte[] r = RecordCodec.prepare(m, topic, 3, 1);
        RecordCodec.stamp(r, offset, 1_700_000_000_000L, new MessageId(1_700_000_000_000L, 4096 + offset), new CRC32C());
        return r;
    }

    /** The record of the fuzz test's second method: the input there is pairs of (position, xor) flips of it. */
    private static final Message FULL = Message.builder("body".getBytes(StandardCharsets.UTF_8)).keys("k1", "k2").tag("T")
            .properties(Map.of("a", "1")).build();

    private static Map<String, byte[]> recordSeeds() {
        Map<String, byte[]> s = new LinkedHashMap<>();
        byte[] minimal = record(Message.builder(new byte[0]).build(), "t", 0);
        byte[] full = record(Message.builder("hello, tern".getBytes(StandardCharsets.UTF_8)).keys("order-1", "customer-7").tag("TagA")
                .properties(ordered("region", "eu", "amount", "120")).producer(77, 5).bornTimestamp(1_700_000_000_000L).build(), "orders", 42);
        byte[] utf8 = record(Message.builder("zürich → 東京".getBytes(StandardCharsets.UTF_8)).keys("ключ").tag("été")
                .properties(Map.of("名前", "値")).build(), "тема/подтема", 7);
        byte[] large = record(Message.builder("x".repeat(4096).getBytes(StandardCharsets.UTF_8)).build(), "big", 1);
        s.put("valid-minimal", minimal);
        s.put("valid-keys-tag-properties", full);
        s.put("valid-utf8", utf8);
        s.put("valid-4k-body", large);
        s.put("valid-two-records", concat(full, minimal));
        s.put("end-of-segment-marker", ByteBuffer.allocate(4).putInt(RecordCodec.END_OF_SEGMENT).array());
        s.put("zeros", new byte[128]);
        s.put("torn-half-record", java.util.Arrays.copyOf(full, full.length / 2));
        s.put("torn-header-only", java.util.Arrays.copyOf(full, RecordCodec.HEADER_SIZE));
        byte[] flipped = full.clone();
        flipped[flipped.length - 3] ^= 0x20;
        s.put("bad-crc-body-byte", flipped);
        s.put("size-beyond-input", withInt(full, RecordCodec.OFF_SIZE, Integer.MAX_VALUE));
        s.put("size-below-header", withInt(full, RecordCodec.OFF_SIZE, 12));
        s.put("size-negative", withInt(full, RecordCodec.OFF_SIZE, -2));
        // corrupt, yet with a CRC that matches: only the decoder's own bounds checks stand in the way
        byte[] version = full.clone();
        version[RecordCodec.OFF_VERSION] = 2;
        s.put("crc-ok-version-2", restamp(version));
        int topicLen = RecordCodec.HEADER_SIZE;
        s.put("crc-ok-topic-length-beyond-record", restamp(withShort(full, topicLen, 0xFFFF)));
        int tagLen = topicLen + 2 + "orders".length();
        s.put("crc-ok-tag-length-beyond-record", restamp(withShort(full, tagLen, 0x7FFF)));
        int keyCount = tagLen + 2 + "TagA".length();
        s.put("crc-ok-key-count-65535", restamp(withShort(full, keyCount, 0xFFFF)));
        s.put("crc-ok-body-length-negative", restamp(withInt(full, full.length - 4 - "hello, tern".length(), -1)));
        s.put("crc-ok-body-length-too-long", restamp(withInt(full, full.length - 4 - "hello, tern".length(), 1 << 30)));
        byte[] shrunk = java.util.Arrays.copyOf(full, full.length - 5);
        s.put("crc-ok-record-shorter-than-its-fields", restamp(withInt(shrunk, RecordCodec.OFF_SIZE, shrunk.length)));
        return s;
    }

    private static Map<String, byte[]> noiseSeeds() {
        int length = record(FULL, "topic", 42).length;
        Map<String, byte[]> s = new LinkedHashMap<>();
        s.put("no-flip", new byte[0]);
        s.put("flip-crc", new byte[] {(byte) RecordCodec.OFF_CRC, 0x01});
        s.put("flip-size", new byte[] {(byte) (RecordCodec.OFF_SIZE + 3), 0x40});
        s.put("flip-version", new byte[] {(byte) RecordCodec.OFF_VERSION, 0x03});
        s.put("flip-last-body-byte", new byte[] {(byte) (length - 1), (byte) 0x80});
        s.put("flip-key-byte", new byte[] {(byte) (RecordCodec.HEADER_SIZE + 2 + "topic".length() + 2 + 1 + 2 + 2), 0x01});
        // the same flip twice undoes itself: the record passes its CRC and must decode as the original
        s.put("flip-and-undo", new byte[] {(byte) (RecordCodec.HEADER_SIZE + 3), 0x55, (byte) (RecordCodec.HEADER_SIZE + 3), 0x55});
        s.put("flip-many", new byte[] {10, 1, 20, 2, 30, 4, 40, 8, 50, 16, 60, 32, 70, 64, 80, (byte) 128});
        return s;
    }

    /** Map.of would iterate in an order that changes from one JVM to the next, and so would the record's bytes. */
    private static Map<String, String> ordered(String... pairs) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) m.put(pairs[i], pairs[i + 1]);
        return m;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        return ByteBuffer.allocate(a.length + b.length).put(a).put(b).array();
    }

    private static byte[] withInt(byte[] r, int at, int value) {
        byte[] c = r.clone();
        ByteBuffer.wrap(c).putInt(at, value);
        return c;
    }

    private static byte[] withShort(byte[] r, int at, int value) {
        byte[] c = r.clone();
        ByteBuffer.wrap(c).putShort(at, (short) value);
        return c;
    }

    /** A new CRC over the (altered) record, so that it passes {@link RecordCodec#check}'s CRC. */
    private static byte[] restamp(byte[] r) {
        CRC32C crc = new CRC32C();
        crc.update(r, RecordCodec.OFF_VERSION, r.length - RecordCodec.OFF_VERSION);
        ByteBuffer.wrap(r).putInt(RecordCodec.OFF_CRC, (int) crc.getValue());
        return r;
    }
}
