package dev.tern.store.local.io;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Zeroes a range of a file after a failed write, so that whatever part of it reached the disk can never
 * be read back as data (a refused write must not reappear after a restart), and the rest of a segment
 * after a torn tail. On a full disk a write of zeroes into a hole fails too, but a hole already reads as
 * zeroes: so the range is looked at a block at a time, a block holding a non-zero byte is written with
 * zeroes, failures ignored, and read back through the map; only a block that still holds one is an error.
 * Blocks that are already zero (most of a sparse segment's rest) are read once and never written.
 */
public final class Zeroes {
    private static final int BLOCK = 4096;
    private static final ByteBuffer ZERO_BLOCK = ByteBuffer.allocateDirect(BLOCK).asReadOnlyBuffer();

    private Zeroes() {
    }

    /** Zeroes {@code length} bytes at {@code position}; {@code map} maps the file from 0 (it shows the result). */
    public static void overwrite(DataFile file, ByteBuffer map, long position, long length) throws IOException {
        long end = Math.min(position + length, map.capacity());
        for (long p = position; p < end; ) {
            long blockEnd = Math.min(end, (p / BLOCK + 1) * BLOCK);
            if (!isZero(map, p, blockEnd)) {
                IOException failed = null;
                try {
                    file.write(ZERO_BLOCK.duplicate().limit((int) (blockEnd - p)), p);
                } catch (IOException e) {
                    failed = e;
                }
                if (!isZero(map, p, blockEnd)) {
                    IOException e = new IOException("could not zero bytes " + p + ".." + blockEnd + " of " + position + ".." + end);
                    if (failed != null) e.addSuppressed(failed);
                    throw e;
                }
            }
            p = blockEnd;
        }
    }

    private static boolean isZero(ByteBuffer map, long from, long to) {
        int i = (int) from, end = (int) to;
        for (; i + 8 <= end; i += 8) if (map.getLong(i) != 0) return false;
        for (; i < end; i++) if (map.get(i) != 0) return false;
        return true;
    }
}
