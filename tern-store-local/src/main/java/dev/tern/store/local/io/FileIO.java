package dev.tern.store.local.io;

import java.io.IOException;
import java.nio.file.Path;

/** Opens the store's data files. Production uses {@link #DEFAULT}; tests pass one that injects faults. */
public interface FileIO {

    /**
     * Opens (creating if needed) a file for reading and writing, extended with a sparse hole to at least
     * {@code preallocate} bytes so that it can be mapped whole.
     */
    DataFile open(Path path, long preallocate) throws IOException;

    FileIO DEFAULT = ChannelDataFile::open;
}
