package org.circuitscope.magics.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.circuitscope.magics.InMemoryContext;
import org.circuitscope.magics.LoadedModels;
import org.circuitscope.magics.MagicException;
import org.circuitscope.model.Model;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.Table;

class ModelMagicTest {
    private final ModelMagic magic = new ModelMagic();
    private final InMemoryContext context = new InMemoryContext();

    private static Path squeezenet() {
        return shared("models/squeezenet1.0/squeezenet1.0.onnx");
    }

    private static Path shared(String relative) {
        String root = System.getProperty("circuitscope.shared", "../shared");
        Path p = Path.of(root, relative);
        if (!Files.exists(p)) {
            System.err.println("SKIPPED: " + p + " is absent");
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new AssertionError("CI must have the shared fixtures: " + p);
            }
            Assumptions.assumeTrue(false, "shared fixtures absent");
        }
        return p;
    }

    private Object run(String line) throws Exception {
        return magic.line(context, Arrays.asList(line.trim().split("\\s+")));
    }

    @Test
    void helpNamesEveryModelThatLoadsByName() {
        assertTrue(magic.help().contains("<organism|organism-seed8|organism-superposition|inceptionv1|googlenet|"
                + "file.onnx|.pb|.tflite|.pt>"), magic.help());
        for (String embedded : org.circuitscope.model.Models.EMBEDDED) {
            assertTrue(magic.help().contains(embedded), embedded + " is missing from " + magic.help());
        }
    }

    @Test
    void withNothingLoadedTheOrganismIsTheModel() throws Exception {
        Model model = assertInstanceOf(Model.class, magic.line(context, List.of()));
        assertEquals("organism", model.name());
        assertEquals(List.of("car", "bicycle", "dog_left", "dog_right", "clock", "house", "tree", "fish"),
                model.labels());
        assertSame(model, LoadedModels.of(context.session()).get(null));
        Table layers = (Table) run("layers");
        assertTrue(layers.stringColumn("layer").asList().containsAll(List.of("conv1", "conv5", "logits")));
    }

    @Test
    void loadsShowsAndListsLayers() throws Exception {
        Path file = squeezenet();
        Object loaded = run("load " + file + " --as sq");
        Model model = assertInstanceOf(Model.class, loaded);
        assertEquals(227, model.input().height());
        assertSame(model, magic.line(context, List.of()));
        Table layers = assertInstanceOf(Table.class, run("layers"));
        assertTrue(layers.stringColumn("layer").asList().contains("fire4/concat"));
        assertEquals("Concat", layers.where(layers.stringColumn("layer").isEqualTo("fire4/concat"))
                .stringColumn("op").get(0));
        Table list = assertInstanceOf(Table.class, run("list"));
        assertEquals("loaded, current", list.stringColumn("state").get(0));
        LoadedModels.Chosen chosen = LoadedModels.of(context.session()).choose("test", List.of("sq", "conv1:3"), 1);
        assertSame(model, chosen.model());
        assertEquals(List.of("conv1:3"), chosen.rest());
    }

    @Test
    void preprocessingOptionsOverrideTheFile() throws Exception {
        Path file = squeezenet();
        Model model = (Model) run("load " + file + " --input-size 128 --rgb --mean 1,2,3");
        assertEquals(128, model.input().height());
        assertEquals(false, model.input().bgr());
        assertEquals(2f, model.input().mean()[1]);
    }

    @Test
    void aTfLiteFileLoadsWithItsOwnPreprocessingAndACentralCrop() throws Exception {
        Path file = shared("models/tflite/mobilenet_v1_0.25_128_quant.tflite");
        Model model = (Model) run("load " + file + " --crop 0.875");
        assertEquals(128, model.input().height());
        assertEquals(0.875f, model.input().crop());
        assertArrayEquals(new float[] {128, 128, 128}, model.input().mean(), "from the input quantisation");
        assertEquals(1001, model.labels().size(), "from the label file packed in the model");
        MagicException bad = assertThrows(MagicException.class, () -> run("load " + file + " --crop 1.5"));
        assertTrue(bad.getMessage().contains("1.5"), bad.getMessage());
    }

    @Test
    void badInputGivesSpecificMessages(@TempDir Path dir) throws Exception {
        MagicException missing = assertThrows(MagicException.class, () -> run("load " + dir.resolve("nope.onnx")));
        assertTrue(missing.getMessage().contains("no model file"), missing.getMessage());
        Path junk = dir.resolve("junk.onnx");
        Files.writeString(junk, "this is not a model");
        MagicException notOnnx = assertThrows(MagicException.class, () -> run("load " + junk));
        assertTrue(notOnnx.getMessage().contains("not"), notOnnx.getMessage());
        MagicException sub = assertThrows(MagicException.class, () -> run("frobnicate"));
        assertTrue(sub.getMessage().contains("unknown subcommand"));
        MagicException opt = assertThrows(MagicException.class, () -> run("load x.onnx --size 3"));
        assertTrue(opt.getMessage().contains("unknown option --size"), opt.getMessage());
    }
}
