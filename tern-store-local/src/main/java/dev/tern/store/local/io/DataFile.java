package dev.tern.store.local.io;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * One file of the local store, as the store uses it: positional writes, a durable flush, and a read-only
 * memory map for zero-copy reads. The seam through which tests fail writes, fsyncs or fill the disk.
 */
public interface DataFile extends AutoCloseable {

    /** Writes all of {@code src} at {@code position}. */
    void write(ByteBuffer src, long position) throws IOException;

    /** Reads into {@code dst} from {@code position} until it is full or the file ends; returns bytes read. */
    int read(ByteBuffer dst, long position) throws IOException;

    /** Makes written data durable (fdatasync). */
    void force() throws IOException;

    long size() throws IOException;

    /** Cuts the file to {@code size} bytes, giving the rest of its blocks back. */
    void truncate(long size) throws IOException;

    /**
     * A read-only map of the first {@code length} bytes. The map stays valid after {@link #close()} and
     * after the file is deleted, until it is garbage collected: readers never see it vanish.
     */
    ByteBuffer mapReadOnly(long length) throws IOException;

    @Override
    void close() throws IOException;
}
