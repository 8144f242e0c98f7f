package dev.tern.protocol;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static dev.tern.protocol.CodecTestSupport.encode;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * POP's optional trailing flags byte (FIFO groups, a max wait that follows it). Not among {@link Samples}: dropping that byte is, by
 * design, the plain POP of older clients, so "every truncation fails" does not hold for its last byte.
 */
class PopFlagsCodecTest {

    @Test
    void aFifoPopRoundTripsAndAPlainPopKeepsItsOldLayout() {
        Request.Pop fifo = new Request.Pop("workers", "jobs", 3, 32, 30_000, true);
        Request.Pop plain = new Request.Pop("workers", "jobs", 3, 32, 30_000);
        assertThat(CodecTestSupport.decodeRequest(encode(9, fifo))).isEqualTo(fifo);
        assertThat(CodecTestSupport.decodeRequest(encode(9, plain))).isEqualTo(plain);
        byte[] f = encode(9, fifo), p = encode(9, plain);
        assertThat(f).hasSize(p.length + 1);
        assertThat(Arrays.copyOf(f, p.length)).as("the flags byte is only appended").isEqualTo(p);
    }

    @Test
    void aWaitingPopRoundTripsAndEveryTruncationOfItsWaitFails() {
        Request.Pop waiting = new Request.Pop("workers", "jobs", -1, 32, 30_000, true, 20_000);
        Request.Pop waitingPlain = new Request.Pop("workers", "jobs", 3, 32, 30_000, false, 5);
        assertThat(CodecTestSupport.decodeRequest(encode(9, waiting))).isEqualTo(waiting);
        assertThat(CodecTestSupport.decodeRequest(encode(9, waitingPlain))).isEqualTo(waitingPlain);
        byte[] w = encode(9, waiting), p = encode(9, new Request.Pop("workers", "jobs", -1, 32, 30_000));
        assertThat(w).as("flags byte and int maxWaitMs appended").hasSize(p.length + 5);
        for (int len = p.length + 1; len < w.length; len++) {
            byte[] cut = Arrays.copyOf(w, len);
            assertThatThrownBy(() -> CodecTestSupport.decodeRequest(cut)).as("cut to %d", len).isInstanceOf(FrameException.class);
        }
    }

    @Test
    void everyTruncationBeforeTheFlagsFailsAndUnknownFlagsAreRefused() {
        byte[] f = encode(9, new Request.Pop("workers", "jobs", 3, 32, 30_000, true));
        for (int len = 0; len < f.length - 1; len++) {
            byte[] cut = Arrays.copyOf(f, len);
            assertThatThrownBy(() -> CodecTestSupport.decodeRequest(cut)).as("cut to %d", len).isInstanceOf(FrameException.class);
        }
        byte[] unknown = f.clone();
        unknown[unknown.length - 1] = 4;
        assertThatThrownBy(() -> CodecTestSupport.decodeRequest(unknown)).isInstanceOf(FrameException.class).hasMessageContaining("flags");
        byte[] twoFlags = Arrays.copyOf(f, f.length + 1);
        assertThatThrownBy(() -> CodecTestSupport.decodeRequest(twoFlags)).isInstanceOf(FrameException.class).hasMessageContaining("trailing");
    }
}
