package dev.tern.testsupport.contract;

import dev.tern.common.error.ErrorCode;
import dev.tern.store.api.Durability;
import dev.tern.store.api.MetadataStore.Entry;
import dev.tern.store.api.MetadataStore.Op;
import dev.tern.store.api.MetadataStore;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

import static dev.tern.testsupport.Await.result;
import static dev.tern.testsupport.StoreAssertions.assertFails;
import static org.assertj.core.api.Assertions.assertThat;

/** {@link MetadataStore}: put, get, delete, atomic ordered batches and scans in unsigned byte order. */
public interface MetadataContract extends StoreContract {

    @Test
    default void putGetAndDelete() {
        MetadataStore md = store().metadata();
        assertThat(result(md.get(bytes("k")))).isEmpty();

        result(md.put(bytes("k"), bytes("v1"), Durability.SYNC));
        assertThat(result(md.get(bytes("k")))).hasValueSatisfying(v -> assertThat(v).isEqualTo(bytes("v1")));
        result(md.put(bytes("k"), bytes("v2"), Durability.ASYNC));
        assertThat(result(md.get(bytes("k")))).hasValueSatisfying(v -> assertThat(v).isEqualTo(bytes("v2")));
        result(md.put(bytes("empty"), new byte[0], Durability.ASYNC));
        assertThat(result(md.get(bytes("empty")))).as("a value may be empty").hasValueSatisfying(v -> assertThat(v).isEmpty());

        result(md.delete(bytes("k"), Durability.SYNC));
        assertThat(result(md.get(bytes("k")))).isEmpty();
        result(md.delete(bytes("never"), Durability.ASYNC));
    }

    @Test
    default void nullAndEmptyKeysAndNullValuesAreRejectedEverywhere() {
        MetadataStore md = store().metadata();
        result(md.put(bytes("kept"), bytes("v"), Durability.SYNC));

        for (byte[] bad : new byte[][] {null, new byte[0]}) {
            assertFails(ErrorCode.INVALID_ARGUMENT, () -> md.put(bad, bytes("v"), Durability.SYNC));
            assertFails(ErrorCode.INVALID_ARGUMENT, () -> md.get(bad));
            assertFails(ErrorCode.INVALID_ARGUMENT, () -> md.delete(bad, Durability.ASYNC));
            assertFails(ErrorCode.INVALID_ARGUMENT, () -> md.write(List.of(Op.put(bad, bytes("v"))), Durability.SYNC));
            assertFails(ErrorCode.INVALID_ARGUMENT, () -> md.write(List.of(Op.delete(bad)), Durability.SYNC));
        }
        assertFails(ErrorCode.INVALID_ARGUMENT, () -> md.put(bytes("k"), null, Durability.ASYNC));

        assertThat(scanAll(md)).extracting(e -> text(e.key()) + "=" + text(e.value())).containsExactly("kept=v");
    }

    @Test
    default void writeAppliesOpsInOrder() {
        MetadataStore md = store().metadata();
        result(md.put(bytes("old"), bytes("x"), Durability.ASYNC));
        result(md.put(bytes("stays"), bytes("y"), Durability.ASYNC));
        result(md.put(bytes("back"), bytes("z"), Durability.ASYNC));

        result(md.write(List.of(
                Op.put(bytes("a"), bytes("1")),
                Op.put(bytes("b"), bytes("2")),
                Op.delete(bytes("old")),
                Op.put(bytes("a"), bytes("3")),
                Op.put(bytes("c"), bytes("gone")),
                Op.delete(bytes("c")),
                Op.delete(bytes("back")),
                Op.put(bytes("back"), bytes("again")),
                Op.delete(bytes("never-was"))), Durability.SYNC));

        assertThat(scanAll(md)).extracting(e -> text(e.key()) + "=" + text(e.value()))
                .containsExactly("a=3", "b=2", "back=again", "stays=y");
    }

    @Test
    default void writeWithABadOpFailsAndAppliesNothing() {
        MetadataStore md = store().metadata();
        result(md.put(bytes("old"), bytes("x"), Durability.ASYNC));
        Op good = Op.put(bytes("a"), bytes("1"));
        Op deleteOld = Op.delete(bytes("old"));
        List<List<Op>> bad = List.of(
                Arrays.asList(good, null, deleteOld),
                List.of(good, deleteOld, Op.put(bytes("b"), null)),
                List.of(good, deleteOld, Op.put(null, bytes("2"))),
                List.of(good, deleteOld, Op.put(new byte[0], bytes("2"))),
                List.of(good, deleteOld, Op.delete(null)),
                List.of(good, deleteOld, Op.delete(new byte[0])));

        for (List<Op> ops : bad) {
            for (Durability d : Durability.values()) {
                assertFails(ErrorCode.INVALID_ARGUMENT, () -> md.write(ops, d));
            }
        }
        assertFails(ErrorCode.INVALID_ARGUMENT, () -> md.write(null, Durability.SYNC));

        assertThat(scanAll(md)).extracting(e -> text(e.key()) + "=" + text(e.value())).containsExactly("old=x");
    }

    @Test
    default void anEmptyWriteChangesNothing() {
        MetadataStore md = store().metadata();
        result(md.put(bytes("k"), bytes("v"), Durability.ASYNC));

        result(md.write(List.of(), Durability.SYNC));
        result(md.write(new ArrayList<>(), Durability.ASYNC));

        assertThat(scanAll(md)).extracting(e -> text(e.key())).containsExactly("k");
    }

    @Test
    default void scanWalksKeysInUnsignedByteOrder() {
        MetadataStore md = store().metadata();
        byte[][] keys = {{(byte) 0xFF}, {0x01}, {(byte) 0x80}, {0x7F}, {(byte) 0xFF, 0x00}, {0x01, 0x00}, {0x00}};
        for (byte[] k : keys) result(md.put(k, new byte[] {(byte) k.length}, Durability.ASYNC));

        assertThat(result(md.scan(new byte[] {0x00}, new byte[] {(byte) 0xFF}, 100))).extracting(Entry::key)
                .containsExactly(new byte[] {0x00}, new byte[] {0x01}, new byte[] {0x01, 0x00}, new byte[] {0x7F},
                        new byte[] {(byte) 0x80});
        assertThat(result(md.scan(new byte[] {(byte) 0x80}, new byte[] {(byte) 0xFF, 0x01}, 100))).extracting(Entry::key)
                .containsExactly(new byte[] {(byte) 0x80}, new byte[] {(byte) 0xFF}, new byte[] {(byte) 0xFF, 0x00});
        assertThat(result(md.scan(new byte[0], new byte[] {0x01}, 100))).extracting(Entry::key)
                .as("an empty from is before every key").containsExactly(new byte[] {0x00});
        assertThat(result(md.scan(new byte[] {0x01, 0x00}, new byte[] {0x7F}, 100))).singleElement()
                .satisfies(e -> assertThat(e.value()).containsExactly(2));
    }

    @Test
    default void scanWithANullBoundIsOpenOnThatSide() {
        MetadataStore md = store().metadata();
        byte[][] keys = {{0x00}, {0x00, 0x00}, {0x10}, {(byte) 0xFF}, {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF}};
        for (byte[] k : keys) result(md.put(k, new byte[] {(byte) k.length}, Durability.ASYNC));

        assertThat(result(md.scan(null, null, 100))).as("everything").extracting(Entry::key)
                .containsExactly(keys);
        assertThat(result(md.scan(null, new byte[] {0x10}, 100))).as("from the first key").extracting(Entry::key)
                .containsExactly(new byte[] {0x00}, new byte[] {0x00, 0x00});
        assertThat(result(md.scan(new byte[] {0x10}, null, 100))).as("to the last key, included").extracting(Entry::key)
                .containsExactly(keys[2], keys[3], keys[4]);
        assertThat(result(md.scan(null, null, 2))).extracting(Entry::key).containsExactly(keys[0], keys[1]);
        assertThat(result(md.scan(new byte[] {(byte) 0xFF}, null, 1))).extracting(Entry::key).containsExactly(keys[3]);
    }

    @Test
    default void scanOfAnEmptyRangeIsEmpty() {
        MetadataStore md = store().metadata();
        for (int i = 1; i < 10; i++) result(md.put(new byte[] {(byte) i}, new byte[] {(byte) i}, Durability.ASYNC));

        assertThat(result(md.scan(new byte[] {5}, new byte[] {5}, 100))).as("from == to").isEmpty();
        assertThat(result(md.scan(new byte[] {7}, new byte[] {3}, 100))).as("from > to").isEmpty();
        assertThat(result(md.scan(new byte[] {(byte) 0x80}, null, 100))).as("nothing after from").isEmpty();
        assertThat(result(md.scan(null, new byte[] {1}, 100))).as("nothing before to").isEmpty();
        assertThat(result(md.scan(null, new byte[0], 100))).as("nothing before the empty key").isEmpty();
    }

    @Test
    default void scanRejectsALimitBelowOne() {
        MetadataStore md = store().metadata();
        result(md.put(bytes("k"), bytes("v"), Durability.ASYNC));

        for (int limit : new int[] {0, -1, Integer.MIN_VALUE}) {
            assertFails(ErrorCode.INVALID_ARGUMENT, () -> md.scan(null, null, limit));
            assertFails(ErrorCode.INVALID_ARGUMENT, () -> md.scan(bytes("a"), bytes("z"), limit));
            assertFails(ErrorCode.INVALID_ARGUMENT, () -> md.scan(bytes("z"), bytes("a"), limit));
        }
    }

    @Test
    default void scanStopsAtTheLimitAndBigEndianNumbersSortNumerically() {
        MetadataStore md = store().metadata();
        for (long due : new long[] {1_000_000, 5, 300, 70_000, 256, 255, -1}) {
            result(md.put(timerKey(due), bytes(Long.toString(due)), Durability.ASYNC));
        }

        assertThat(result(md.scan(timerKey(0), timerKey(Long.MAX_VALUE), 3))).extracting(e -> text(e.value()))
                .containsExactly("5", "255", "256");
        assertThat(result(md.scan(timerKey(0), timerKey(-1), 100))).hasSize(6);
        assertThat(result(md.scan(timerKey(300), new byte[] {'u'}, 100))).extracting(e -> text(e.value()))
                .containsExactly("300", "70000", "1000000", "-1");
    }

    @Test
    default void manyKeysScanBackInOrder() {
        MetadataStore md = store().metadata();
        List<Op> puts = IntStream.range(0, 500).mapToObj(i -> Op.put(timerKey(i * 7919L % 500), bytes("v"))).toList();
        result(md.write(puts, Durability.ASYNC));

        List<Entry> all = result(md.scan(timerKey(0), timerKey(500), 1000));
        assertThat(all).hasSize(500);
        assertThat(all).extracting(e -> ByteBuffer.wrap(e.key(), 1, 8).getLong())
                .containsExactlyElementsOf(IntStream.range(0, 500).mapToObj(i -> (long) i).toList());
    }

    private static List<Entry> scanAll(MetadataStore md) {
        return result(md.scan(null, null, 10_000));
    }

    /** A key in the shape of a timer: a prefix byte, then the due time big-endian. */
    private static byte[] timerKey(long due) {
        return ByteBuffer.allocate(9).put((byte) 't').putLong(due).array();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
