package io.djangouserbackup.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class StartupTrainingTest {

    @Test
    void everyStepSucceedsOnTheExampleDatabaseWhichStaysByteIdenticalAndNothingIsLeftBehind() throws Exception {
        Path example = Path.of("..", "examples", "example.sqlite3").toAbsolutePath().normalize();
        byte[] before = Files.readAllBytes(example);
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        long foldersBefore = trainingFolders(tmp);

        assertThat(StartupTraining.run(example)).isEqualTo(ExitCodes.OK);

        assertThat(Files.readAllBytes(example)).isEqualTo(before);
        assertThat(trainingFolders(tmp)).isEqualTo(foldersBefore);
    }

    @Test
    void aStepThatFailsGivesItsExitCode(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path notDjango = dir.resolve("empty.sqlite3");
        Files.write(notDjango, new byte[0]);

        assertThat(StartupTraining.run(notDjango)).isEqualTo(ExitCodes.DATABASE);
    }

    private static long trainingFolders(Path tmp) throws Exception {
        try (Stream<Path> entries = Files.list(tmp)) {
            return entries.filter(p -> p.getFileName().toString().startsWith("django-user-backup-training")).count();
        }
    }
}
