package org.circuitscope.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code java -jar circuitscope-kernel.jar atlas ...}: a small organism atlas, and one-line errors naming the bad value. */
class AtlasCommandTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return AtlasCommand.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8).trim();
    }

    @Test
    void writesTheOrganismsAtlas(@TempDir Path dir) throws Exception {
        assertEquals(0, run("--out", dir.toString(), "--layers", "conv2", "--units", "2", "--steps", "4",
                "--data", "world:24", "--no-tuning"), err());
        assertTrue(Files.isRegularFile(dir.resolve("conv2/unit-1.html")));
        assertTrue(Files.readString(dir.resolve("index.html")).contains("conv2/index.html"));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("2 unit pages written"), out.toString());
    }

    @Test
    void badInputIsOneLineNamingIt(@TempDir Path dir) {
        assertEquals(2, run("--layers", "conv2"));
        assertTrue(err().contains("--out DIR is required"), err());
        err.reset();
        assertEquals(2, run("--out", dir.toString(), "--steps", "many"));
        assertEquals("atlas: --steps needs a whole number, not 'many'", err());
        err.reset();
        assertEquals(2, run("--out", dir.toString(), "--layers", "conv9"));
        assertTrue(err().startsWith("atlas: ") && err().contains("conv9") && !err().contains("\n"), err());
        err.reset();
        assertEquals(2, run("--out", dir.toString(), "--data", "nowhere/at/all"));
        assertTrue(err().contains("nowhere/at/all"), err());
        err.reset();
        assertEquals(2, run("--out", dir.toString(), "--frobnicate", "1"));
        assertTrue(err().contains("--frobnicate"), err());
    }
}
