package dev.tern.store.local.io;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Zeroes a range of a file after a failed write, so that whatever part of it reached the disk can never
 * be read back as data (a refused write must not reappear after a restart). On a full disk a write of
 * zeroes into a hole fails too, but a hole already reads as zeroes: so the range is written a block at a
 * time, failures ignored, and then read back through the map; only a range that still holds a non-zero
 * byte is an error.
 */
public final class Zeroes {
    private static final int BLOCK = 4096;
    private static final ByteBuffer ZERO_BLOCK = ByteBuffer.allocateDirect(BLOCK).asReadOnlyBuffer();

    private Zeroes() {
    }

    /** Zeroes {@code length} bytes at {@code position}; {@code map} maps the file from 0 (it shows the result). */
    public static void overwrite(DataFile file, ByteBuffer map, long position, long length) throws IOException {
        long end = Math.min(position + length, map.capacity());
        IOException last = null;
        for (long p = position; p < end; ) {
            long blockEnd = Math.min(end, (p / BLOCK + 1) * BLOCK);
            if (!isZero(map, p, blockEnd)) {
                try {
                    file.write(ZERO_BLOCK.duplicate().limit((int) (blockEnd - p)), p);
                } catch (IOException e) {
                    last = e;
                }
            }
            p = blockEnd;
        }
        if (!isZero(map, position, end)) {
            IOException e = new IOException("could not zero bytes " + position + ".." + end + " after a failed write");
            if (last != null) e.addSuppressed(last);
            throw e;
        }
    }

    private static boolean isZero(ByteBuffer map, long from, long to) {
        int i = (int) from, end = (int) to;
        for (; i + 8 <= end; i += 8) if (map.getLong(i) != 0) return false;
        for (; i < end; i++) if (map.get(i) != 0) return false;
        return true;
    }
}
