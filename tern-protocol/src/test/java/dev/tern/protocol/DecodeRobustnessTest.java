package dev.tern.protocol;

import dev.tern.common.error.ErrorCode;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;

import static dev.tern.protocol.CodecTestSupport.encode;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

/**
 * Truncated, garbage and mutated frames of every type: the decoders fail with a {@link FrameException}
 * naming the problem, or decode something, and never throw anything else or allocate what the bytes cannot
 * back.
 */
class DecodeRobustnessTest {
    private static final long SEED = 0x7E4A;

    /** Encoded frames (without the length prefix) of every sample, and whether each is a request. */
    private record Encoded(byte[] rest, boolean request, String name) {
    }

    private static List<Encoded> samples() {
        List<Encoded> all = new ArrayList<>();
        for (Request r : Samples.requests()) all.add(new Encoded(encode(9, r), true, r.toString()));
        for (Response r : Samples.responses()) all.add(new Encoded(encode(9, r), false, r.type().toString()));
        return all;
    }

    private static Object decode(byte[] rest, boolean request) {
        return request ? CodecTestSupport.decodeRequest(rest) : CodecTestSupport.decodeResponse(rest);
    }

    @Test
    void everyTruncationFailsWithMalformedRequest() {
        for (Encoded e : samples()) {
            for (int len = 0; len < e.rest().length; len++) {
                byte[] cut = Arrays.copyOf(e.rest(), len);
                assertThatThrownBy(() -> decode(cut, e.request()))
                        .as("%s cut to %d of %d bytes", e.name(), len, e.rest().length)
                        .isInstanceOfSatisfying(FrameException.class, fe -> {
                            assertThat(fe.code()).isEqualTo(ErrorCode.MALFORMED_REQUEST);
                            assertThat(fe.getMessage()).isNotBlank();
                        });
            }
        }
    }

    @Test
    void truncatedBodyNamesTheMissingField() {
        byte[] rest = encode(3, new Request.Pull("orders", 1, 2, 3, 4, 5, null));
        byte[] cut = Arrays.copyOf(rest, rest.length - 10);
        assertThatThrownBy(() -> CodecTestSupport.decodeRequest(cut))
                .isInstanceOfSatisfying(FrameException.class, fe -> assertThat(fe.requestId()).isEqualTo(3))
                .hasMessageContaining("truncated frame").hasMessageContaining("'maxBytes'");
    }

    @Test
    void trailingBytesAreRejected() {
        byte[] rest = encode(3, new Request.Heartbeat("g", "m"));
        byte[] longer = Arrays.copyOf(rest, rest.length + 1);
        assertThatThrownBy(() -> CodecTestSupport.decodeRequest(longer))
                .isInstanceOf(FrameException.class).hasMessageContaining("trailing");
    }

    @Test
    void garbageBodiesOfEveryTypeNeverThrowAnythingButFrameException() {
        Random random = new Random(SEED);
        for (FrameType type : FrameType.values()) {
            for (int i = 0; i < 2_000; i++) {
                byte[] body = new byte[random.nextInt(64)];
                random.nextBytes(body);
                byte[] rest = new byte[Frame.HEADER_SIZE + body.length];
                rest[0] = Frame.VERSION;
                rest[1] = (byte) type.code();
                System.arraycopy(body, 0, rest, Frame.HEADER_SIZE, body.length);
                decodeOrFrameException(rest, type.isRequest(), type + " garbage " + i);
            }
        }
    }

    @Test
    void mutatedFramesNeverThrowAnythingButFrameException() {
        Random random = new Random(SEED + 1);
        for (Encoded e : samples()) {
            for (int i = 0; i < 500; i++) {
                byte[] mutated = e.rest().clone();
                int flips = 1 + random.nextInt(4);
                for (int f = 0; f < flips; f++) {
                    int at = Frame.HEADER_SIZE + random.nextInt(Math.max(1, mutated.length - Frame.HEADER_SIZE));
                    if (at < mutated.length) mutated[at] = (byte) random.nextInt(256);
                }
                decodeOrFrameException(mutated, e.request(), e.name() + " mutation " + i);
            }
        }
    }

    @Test
    void hugeCountsAreRefusedWithoutAllocating() {
        byte[] rest = encode(1, new Request.ListGroups());
        byte[] withCount = Arrays.copyOf(rest, rest.length + 4);
        withCount[1] = (byte) FrameType.GROUP_LIST_RESPONSE.code();
        withCount[rest.length] = 0x7f;
        withCount[rest.length + 1] = (byte) 0xff;
        assertThatThrownBy(() -> CodecTestSupport.decodeResponse(withCount))
                .isInstanceOf(FrameException.class).hasMessageContaining("claims 2147418112 elements");
    }

    @Test
    void corruptPulledRecordFailsItsChecksum() {
        byte[] rest = encode(1, Samples.responses().get(11));
        rest[rest.length - 1] ^= 1; // last body byte of the last record
        assertThatThrownBy(() -> CodecTestSupport.decodeResponse(rest))
                .isInstanceOfSatisfying(FrameException.class, fe -> assertThat(fe.code()).isEqualTo(ErrorCode.CORRUPT_RECORD))
                .hasMessageContaining("checksum");
    }

    @Test
    void corruptLookedUpRecordsFailTheirChecksum() {
        for (Response found : List.of(new Response.FoundById(Optional.of(Samples.stored(2, "x"))),
                new Response.FoundByKey(List.of(Samples.stored(1, "a"), Samples.stored(2, "b"))))) {
            byte[] rest = encode(1, found);
            rest[rest.length - 1] ^= 1; // last body byte of the last record
            assertThatThrownBy(() -> CodecTestSupport.decodeResponse(rest))
                    .as(found.type().toString())
                    .isInstanceOfSatisfying(FrameException.class, fe -> assertThat(fe.code()).isEqualTo(ErrorCode.CORRUPT_RECORD))
                    .hasMessageContaining("checksum");
        }
    }

    private static void decodeOrFrameException(byte[] rest, boolean request, String what) {
        try {
            decode(rest, request);
        } catch (FrameException expected) {
            assertThat(expected.getMessage()).as(what).isNotBlank();
        } catch (RuntimeException | Error other) {
            fail(what + " threw " + other + " for " + Unpooled.wrappedBuffer(rest), other);
        }
    }
}
