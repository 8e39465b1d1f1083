package org.circuitscope.kernel.magic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.circuitscope.magics.MagicException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PathPatternsTest {

    @Test
    void globsMatchFilesInTheirFolder(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("a.jar"), "");
        Files.writeString(dir.resolve("b.jar"), "");
        Files.writeString(dir.resolve("c.txt"), "");
        Files.createDirectories(dir.resolve("sub"));
        Files.writeString(dir.resolve("sub/d.jar"), "");
        assertEquals(List.of(dir.resolve("a.jar"), dir.resolve("b.jar")), PathPatterns.expand("jars", dir + "/*.jar"));
        assertEquals(List.of(dir.resolve("a.jar"), dir.resolve("b.jar"), dir.resolve("sub/d.jar")),
                PathPatterns.expand("jars", dir + "/**.jar"));
        assertEquals(List.of(dir.resolve("c.txt")), PathPatterns.expand("jars", dir.resolve("c.txt").toString()));
    }

    @Test
    void nothingMatchingIsAnError(@TempDir Path dir) {
        assertThrows(MagicException.class, () -> PathPatterns.expand("jars", dir + "/*.jar"));
        assertThrows(MagicException.class, () -> PathPatterns.expand("jars", dir.resolve("missing.jar").toString()));
    }
}
