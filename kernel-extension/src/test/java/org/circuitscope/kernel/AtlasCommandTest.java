package org.circuitscope.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
        // a dictionary learnt from the command line, then given to the atlas
        Path dict = dir.resolve("conv2.pca.dict");
        assertEquals(0, DictionaryCommand.run(new String[] {"--layer", "conv2", "--method", "pca", "--images", "16",
                "--out", dict.toString()}, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8)), err());
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("saved to " + dict), out.toString());
        Path site = dir.resolve("site");
        assertEquals(0, run("--out", site.toString(), "--layers", "conv2", "--units", "2", "--steps", "4",
                "--data", "world:24", "--no-tuning", "--census", "--dictionary", dict.toString(), "--levels", "4"),
                err());
        assertTrue(Files.isRegularFile(site.resolve("conv2/unit-1.html")));
        assertTrue(Files.readString(site.resolve("index.html")).contains("conv2/index.html"));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("2 unit pages written"), out.toString());
        String page = Files.readString(site.resolve("conv2/unit-1.html"));
        for (String part : List.of("unit-1/channel.png", "unit-1/neuron.png", "unit-1/negative.png",
                "Examples by activation level", "unit-1/level-3.png", "<h2>Family</h2>", "unit-1/census-best.png",
                "<h2>Dictionary features</h2>", "features/pca-")) {
            assertTrue(page.contains(part), "conv2:1 has no " + part);
        }
        assertTrue(!page.contains("unit-1/level-4.png"), "--levels 4 drew more than 4 levels");
        // --no-neuron drops the neuron visualisation
        Path plain = dir.resolve("plain");
        assertEquals(0, run("--out", plain.toString(), "--layers", "conv1", "--units", "1", "--steps", "4",
                "--data", "world:16", "--no-tuning", "--no-neuron", "--no-negative"), err());
        assertTrue(!Files.readString(plain.resolve("conv1/unit-0.html")).contains("neuron.png"));
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
        err.reset();
        assertEquals(2, run("--out", dir.toString(), "--dictionary", "no/such.dict"));
        assertEquals("atlas: --dictionary no/such.dict: no such file", err());
        err.reset();
        // the kernel's own class path has no Spark module: --master says how to add it, and writes nothing
        assertEquals(2, run("--out", dir.resolve("spark").toString(), "--master", "local[2]", "--units", "1"));
        assertTrue(err().contains("--master needs the Spark module on the class path"), err());
        assertTrue(!java.nio.file.Files.exists(dir.resolve("spark").resolve("index.html")), "a site was written");
        err.reset();
        assertEquals(2, run("--out", dir.toString(), "--levels", "1"));
        assertTrue(err().contains("levels") && err().contains("not 1"), err());
        err.reset();
        assertEquals(2, DictionaryCommand.run(new String[] {"--layer", "conv2", "--method", "ica", "--out",
                dir.resolve("x.dict").toString()}, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8)));
        assertTrue(err().startsWith("dictionary: ") && err().contains("'ica'"), err());
    }
}
