package dev.tern.store.local.log;

import dev.tern.store.local.io.DataFile;
import dev.tern.store.local.io.Zeroes;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * One file of the commit log, holding the log positions [base, base + capacity). Written only by the
 * appender (positional writes), read by anyone through a read-only map of the whole file.
 */
public final class Segment {
    private final long base;
    private final int capacity;
    private final Path path;
    private final DataFile file;
    private final ByteBuffer map;

    Segment(long base, int capacity, Path path, DataFile file) throws IOException {
        this.base = base;
        this.capacity = capacity;
        this.path = path;
        this.file = file;
        this.map = file.mapReadOnly(capacity);
    }

    public long base() {
        return base;
    }

    public int capacity() {
        return capacity;
    }

    public long end() {
        return base + capacity;
    }

    public Path path() {
        return path;
    }

    /** The whole mapped file; absolute indexes are positions relative to {@link #base()}. */
    public ByteBuffer map() {
        return map;
    }

    /** A read-only view of {@code length} bytes at the segment-relative index {@code at}. */
    public ByteBuffer slice(int at, int length) {
        return map.slice(at, length);
    }

    void write(ByteBuffer src, int at) throws IOException {
        file.write(src, at);
    }

    void zero(int at, int length) throws IOException {
        Zeroes.overwrite(file, map, at, length);
    }

    void force() throws IOException {
        file.force();
    }

    void truncateAndClose() throws IOException {
        try {
            file.truncate(0);
        } finally {
            close();
        }
    }

    void close() {
        try {
            file.close();
        } catch (IOException ignored) {
            // closing a file we are done with: nothing useful to do about a failure
        }
    }

    static String fileName(long base) {
        return String.format("%020d.log", base);
    }
}
