package dev.tern.store.local;

import dev.tern.store.local.io.DataFile;
import dev.tern.store.local.io.FileIO;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/** A {@link FileIO} whose files can be told to fail like a full disk or a broken fsync. */
final class FaultyFileIO implements FileIO {
    volatile boolean diskFull;
    volatile boolean fsyncFails;

    @Override
    public DataFile open(Path path, long preallocate) throws IOException {
        if (diskFull) throw new IOException("No space left on device");
        DataFile f = FileIO.DEFAULT.open(path, preallocate);
        return new DataFile() {
            @Override
            public void write(ByteBuffer src, long position) throws IOException {
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
