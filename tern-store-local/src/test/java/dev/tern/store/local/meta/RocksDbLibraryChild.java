package dev.tern.store.local.meta;

import dev.tern.store.local.LocalStore;
import dev.tern.store.local.LocalStoreConfig;
import org.rocksdb.RocksDB;

import java.nio.file.Path;

/**
 * The child JVM of {@link RocksDbLibraryTest}: {@code store DIR} opens a local store in DIR, {@code lib DIR}
 * only loads RocksDB's library from DIR; then prints "ready" and waits until its standard input closes
 * (or it is killed).
 */
public final class RocksDbLibraryChild {
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[1]);
        LocalStore store = null;
        if (args[0].equals("store")) {
            store = LocalStore.open(LocalStoreConfig.defaults(dir));
        } else {
            RocksDbLibrary.load(dir);
        }
        System.out.println("ready " + RocksDB.rocksdbVersion());
        System.out.flush();
        while (System.in.read() >= 0) {
            // wait for the parent
        }
        if (store != null) store.close();
    }
}
