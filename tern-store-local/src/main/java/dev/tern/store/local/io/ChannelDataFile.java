package dev.tern.store.local.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** A {@link DataFile} over a {@link FileChannel}. */
public final class ChannelDataFile implements DataFile {
    private final FileChannel channel;

    private ChannelDataFile(FileChannel channel) {
        this.channel = channel;
    }

    static DataFile open(Path path, long preallocate) throws IOException {
        FileChannel ch = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        try {
            if (ch.size() < preallocate) {
                // a sparse extension: no blocks are allocated until written, so a full disk shows up as a failed write
                ch.write(ByteBuffer.wrap(new byte[1]), preallocate - 1);
            }
            return new ChannelDataFile(ch);
        } catch (IOException e) {
            ch.close();
            throw e;
        }
    }

    @Override
    public void write(ByteBuffer src, long position) throws IOException {
        long p = position;
        while (src.hasRemaining()) {
            p += channel.write(src, p);
        }
    }

    @Override
    public int read(ByteBuffer dst, long position) throws IOException {
        int total = 0;
        while (dst.hasRemaining()) {
            int n = channel.read(dst, position + total);
            if (n < 0) break;
            total += n;
        }
        return total;
    }

    @Override
    public void force() throws IOException {
        channel.force(false);
    }

    @Override
    public long size() throws IOException {
        return channel.size();
    }

    @Override
    public void truncate(long size) throws IOException {
        channel.truncate(size);
    }

    @Override
    public ByteBuffer mapReadOnly(long length) throws IOException {
        return channel.map(FileChannel.MapMode.READ_ONLY, 0, length);
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
