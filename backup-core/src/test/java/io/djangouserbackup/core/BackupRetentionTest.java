package io.djangouserbackup.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link BackupRetention}: the oldest default-named backups beyond the newest N, and never anything else. */
class BackupRetentionTest {
    @TempDir
    Path dir;

    private Path file(String name) throws IOException {
        return Files.writeString(dir.resolve(name), "x");
    }

    @Test
    void theOldestByTheTimeInTheNameGoFirstWhateverTheirModificationTimes() throws IOException {
        Path oldest = file("user_data_backup_20250101_000000.json.gz.enc");
        Path middle = file("user_data_backup_20250601_000000.json");
        Path newest = file("user_data_backup_20251231_235959.json.gz");
        // Touched last, but named oldest: the name decides.
        Files.setLastModifiedTime(oldest, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 60_000));

        assertThat(BackupRetention.keepNewest(1).expired(dir, null)).containsExactly(oldest, middle);
        assertThat(BackupRetention.keepNewest(2).prune(dir, null)).containsExactly(oldest);
        assertThat(oldest).doesNotExist();
        assertThat(middle).exists();
        assertThat(newest).exists();
    }

    @Test
    void otherFilesSymbolicLinksAndFoldersAreNeverTouched() throws IOException {
        Path other = file("user_data_backup_20200101_000000.json.bak");
        Path partial = file(".user_data_backup_20200101_000000.json.1.partial");
        Path renamed = file("users_20200101_000000.json");
        Path target = file("notes.txt");
        Path link = Files.createSymbolicLink(dir.resolve("user_data_backup_20100101_000000.json"), target);
        Path folder = Files.createDirectory(dir.resolve("user_data_backup_20100102_000000.json"));
        file("user_data_backup_20260101_000000.json");

        assertThat(BackupRetention.keepNewest(1).prune(dir, null)).isEmpty();
        assertThat(other).exists();
        assertThat(partial).exists();
        assertThat(renamed).exists();
        assertThat(link).exists();
        assertThat(folder).isDirectory();
    }

    @Test
    void theBackupJustWrittenIsKeptAndCountsAsOneOfTheNewest() throws IOException {
        Path written = file("user_data_backup_20000101_000000.json");
        Path recent = file("user_data_backup_20260101_000000.json");
        Path older = file("user_data_backup_20250101_000000.json");

        assertThat(BackupRetention.keepNewest(2).expired(dir, written)).containsExactly(older);
        assertThat(BackupRetention.keepNewest(1).expired(dir, written)).containsExactly(older, recent);
    }

    @Test
    void keepsAtLeastOne() {
        assertThatThrownBy(() -> BackupRetention.keepNewest(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
