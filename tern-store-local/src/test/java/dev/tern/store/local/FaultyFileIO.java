package dev.tern.store.local;

import dev.tern.store.local.io.DataFile;
import dev.tern.store.local.io.FileIO;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * A {@link FileIO} whose files can be told to fail like a full disk, a broken fsync or a failed directory
 * fsync. {@link #spaceLeft} fills the disk after that many more bytes: the write that crosses it lands
 * partly, as a real ENOSPC does. Writes of zeroes always pass: on a real file system they land on blocks a
 * failed write already allocated, or in a hole that reads as zeroes anyway.
 */
final class FaultyFileIO implements FileIO {
    volatile boolean diskFull;
    volatile boolean fsyncFails;
    volatile boolean dirSyncFails;
    final java.util.concurrent.atomic.AtomicLong spaceLeft = new java.util.concurrent.atomic.AtomicLong(Long.MAX_VALUE);

    @Override
    public void syncDirectory(Path dir) throws IOException {
        if (dirSyncFails) throw new IOException("Input/output error (directory fsync)");
        FileIO.super.syncDirectory(dir);
    }

    private static boolean zeroes(ByteBuffer b) {
        for (int i = b.position(); i < b.limit(); i++) if (b.get(i) != 0) return false;
        return true;
    }

    @Override
    public DataFile open(Path path, long preallocate) throws IOException {
        if (diskFull) throw new IOException("No space left on device");
        DataFile f = FileIO.DEFAULT.open(path, preallocate);
        return new DataFile() {
            @Override
            public void write(ByteBuffer src, long position) throws IOException {
                if (zeroes(src)) {
                    f.write(src, position);
                    return;
                }
                long left = spaceLeft.addAndGet(-src.remaining());
                if (left < 0) {
                    diskFull = true;
                    spaceLeft.set(0);
                    long fits = Math.max(0, left + src.remaining());
                    f.write(src.slice(src.position(), (int) fits), position);
                    throw new IOException("No space left on device");
                }
                if (diskFull) {
                    // like a real ENOSPC: part of the data may have reached the file
                    ByteBuffer half = src.slice(src.position(), src.remaining() / 2);
                    f.write(half, position);
                    throw new IOException("No space left on device");
                }
                f.write(src, position);
            }

            @Override
            public int read(ByteBuffer dst, long position) throws IOException {
                return f.read(dst, position);
            }

            @Override
            public void force() throws IOException {
                if (fsyncFails) throw new IOException("Input/output error");
                f.force();
            }

            @Override
            public long size() throws IOException {
                return f.size();
            }

            @Override
            public void truncate(long size) throws IOException {
                f.truncate(size);
            }

            @Override
            public ByteBuffer mapReadOnly(long length) throws IOException {
                return f.mapReadOnly(length);
            }

            @Override
            public void close() throws IOException {
                f.close();
            }
        };
    }
}
