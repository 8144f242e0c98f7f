package dev.tern.store.local.meta;

import dev.tern.common.error.ErrorCode;
import dev.tern.common.error.TernException;
import dev.tern.store.local.write.StoreHealth;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.RocksDBException;
import org.rocksdb.Status;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/** RocksDB failures are told apart by their status code and sub-code, never by the text of the message. */
class MetaDbErrorsTest {
    @TempDir
    Path dir;

    @Test
    void aFullDiskIsStorageFullWhateverTheMessageSays() {
        RocksDBException e = new RocksDBException("While appending to file: 000007.log", new Status(Status.Code.IOError, Status.SubCode.NoSpace, null));
        TernException t = MetaDb.io("write", e);
        assertThat(t.code()).isEqualTo(ErrorCode.STORAGE_FULL);
        assertThat(t.getMessage()).contains("the disk is full");
    }

    @Test
    void otherIoErrorsAreStorageIoAndCountAsFailedWrites() {
        RocksDBException e = new RocksDBException("No space left? no: fsync failed", new Status(Status.Code.IOError, Status.SubCode.None, null));
        assertThat(MetaDb.io("write", e).code()).isEqualTo(ErrorCode.STORAGE_IO);
        assertThat(MetaDb.isIoError(e)).isTrue();
        RocksDBException invalid = new RocksDBException("bad", new Status(Status.Code.InvalidArgument, Status.SubCode.None, null));
        assertThat(MetaDb.isIoError(invalid)).isFalse();
    }

    @Test
    void aReadOnlyStoreRefusesMetadataWritesButStillReads() {
        StoreHealth health = new StoreHealth();
        try (MetaDb db = new MetaDb(dir, health, false)) {
            db.put(MetaDb.Family.METADATA, new byte[]{1}, new byte[]{2}, true);
            health.failWrites("fsync of the commit log: Input/output error", new java.io.IOException("Input/output error"));
            Throwable t = catchThrowable(() -> db.put(MetaDb.Family.METADATA, new byte[]{3}, new byte[]{4}, true));
            assertThat(t).isInstanceOf(TernException.class).hasMessageContaining("read-only");
            assertThat(db.get(MetaDb.Family.METADATA, new byte[]{1})).containsExactly(2);
        }
    }
}
