package dev.tern.store.memory;

import java.util.List;

/**
 * A message encoded by {@link dev.tern.common.codec.RecordCodec#prepare} but not yet stamped, with the
 * fields its indexes need, taken from the message so the bytes need not be decoded again.
 */
record Encoded(byte[] bytes, int tagHash, List<String> keys) {
}
