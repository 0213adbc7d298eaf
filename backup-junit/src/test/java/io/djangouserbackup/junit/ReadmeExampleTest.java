package io.djangouserbackup.junit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** README's "In tests" shows {@code example/DeactivateUserTest.java} verbatim; this keeps the two the same. */
class ReadmeExampleTest {

    @Test
    void readmeHoldsTheExampleVerbatim() throws Exception {
        Path module = Path.of("").toAbsolutePath();
        Path readme = module.resolveSibling("README.md");
        if (!Files.exists(readme)) {
            readme = module.resolve("README.md");
        }
        String example = Files.readString(module.resolve(
                "src/test/java/io/djangouserbackup/junit/example/DeactivateUserTest.java"));
        assertThat(Files.readString(readme)).contains("```java\n" + example + "```\n");
    }
}
