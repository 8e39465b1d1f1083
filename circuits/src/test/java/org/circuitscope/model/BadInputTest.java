package org.circuitscope.model;

import static org.circuitscope.onnx.TestGraphs.ints;
import static org.circuitscope.onnx.TestGraphs.list;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.circuitscope.onnx.TestGraphs;
import org.circuitscope.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each kind of bad input gets a specific message, and nothing is left behind. */
class BadInputTest {

    private static byte[] classifier() {
        return new TestGraphs(3).input("x", 1, 3, 8, 8).weight("w", 4, 3, 3, 3)
                .node("Conv", list("x", "w"), list("conv"), ints("pads", 1, 1, 1, 1))
                .node("Relu", "conv", "relu").node("Flatten", "relu", "flat")
                .weight("fc", 5, 4 * 8 * 8).node("Gemm", list("flat", "fc"), list("logits"),
                        org.circuitscope.onnx.TestGraphs.integer("transB", 1))
                .output("logits").bytes();
    }

    private static Model model() {
        return Model.fromOnnx(classifier(), "tiny", InputSpec.rgb01(8));
    }

    @Test
    void truncatedAndForeignFiles(@TempDir Path dir) throws Exception {
        byte[] good = classifier();
        Path truncated = dir.resolve("truncated.onnx");
        Files.write(truncated, Arrays.copyOf(good, good.length / 2));
        ModelException t = assertThrows(ModelException.class, () -> Models.loadFile(truncated, null));
        assertTrue(t.getMessage().contains("truncated"), t.getMessage());

        Path text = dir.resolve("readme.onnx");
        Files.writeString(text, "# not a model\njust some text that happens to end in .onnx\n");
        ModelException n = assertThrows(ModelException.class, () -> Models.loadFile(text, null));
        assertTrue(n.getMessage().contains("not") && n.getMessage().contains("ONNX"), n.getMessage());

        ModelException missing = assertThrows(ModelException.class, () -> Models.load(dir + "/absent.onnx"));
        assertTrue(missing.getMessage().contains("no model file"), missing.getMessage());

        ModelException unknownFormat = assertThrows(ModelException.class,
                () -> Models.loadFile(Files.writeString(dir.resolve("m.h5"), "x"), null));
        assertTrue(unknownFormat.getMessage().contains("format"), unknownFormat.getMessage());
    }

    @Test
    void unsupportedOpNamesTheOpAndNodeAndListsSupportedOnes() {
        byte[] bytes = new TestGraphs(1).input("x", 1, 3, 4, 4).node("Einsum", "x", "y").output("y").bytes();
        ModelException e = assertThrows(ModelException.class, () -> Model.fromOnnx(bytes, "e", InputSpec.rgb01(4)));
        assertTrue(e.getMessage().contains("Einsum") && e.getMessage().contains("y_node"), e.getMessage());
        assertTrue(e.getMessage().contains("Conv") && e.getMessage().contains("MaxPool"), e.getMessage());
    }

    @Test
    void unknownLayerSuggestsClosestNames() {
        try (Model m = model()) {
            ModelException e = assertThrows(ModelException.class,
                    () -> m.run(TestGraphs.random(1, 1, 3, 8, 8), "rleu"));
            assertTrue(e.getMessage().contains("no layer 'rleu'"), e.getMessage());
            assertTrue(e.getMessage().contains("relu"), e.getMessage());
        }
    }

    @Test
    void wrongShapesAndValues() {
        try (Model m = model()) {
            ModelException channels = assertThrows(ModelException.class,
                    () -> m.run(Tensor.zeros(1, 4, 8, 8), "relu"));
            assertTrue(channels.getMessage().contains("takes 3 input channels, not 4"), channels.getMessage());

            ModelException rank = assertThrows(ModelException.class, () -> m.run(Tensor.zeros(3, 8, 8), "relu"));
            assertTrue(rank.getMessage().contains("N×3×H×W"), rank.getMessage());

            ModelException size = assertThrows(ModelException.class,
                    () -> m.run(Tensor.zeros(1, 3, 10, 10), "logits"));
            assertTrue(size.getMessage().contains("10x10") && size.getMessage().contains("8x8"), size.getMessage());
            // Convolutional layers alone run at other sizes.
            assertEquals(10, m.run(Tensor.zeros(1, 3, 10, 10), "relu").get("relu").dim(3));

            Tensor nan = Tensor.zeros(1, 3, 8, 8);
            nan.data()[5] = Float.NaN;
            ModelException n = assertThrows(ModelException.class, () -> m.run(nan, "relu"));
            assertTrue(n.getMessage().contains("non-finite") && n.getMessage().contains("NaN"), n.getMessage());
        }
    }

    @Test
    void modelThatCannotRunAtItsDeclaredSizeSaysSo() {
        byte[] bytes = new TestGraphs(2).input("x", 1, 3, 8, 8)
                .node("MaxPool", "x", "y", ints("kernel_shape", 9, 9)).output("y").bytes();
        ModelException e = assertThrows(ModelException.class, () -> Model.fromOnnx(bytes, "p", InputSpec.rgb01(8)));
        assertTrue(e.getMessage().contains("does not run on a 8x8"), e.getMessage());
    }

    @Test
    void derivedModelsPinTheWeightsTheyShare() {
        Model parent = model();
        Model resized = parent.withInput(InputSpec.rgb01(8).withMean(new float[] {0.5f, 0.5f, 0.5f}));
        Model labelled = parent.withLabels(List.of("a", "b", "c", "d", "e"));
        Tensor x = TestGraphs.random(3, 1, 3, 8, 8);
        float[] before = labelled.run(x, "logits").get("logits").data();
        parent.close();
        // the parent is closed, but its weights stay alive while a derived model uses them
        assertArrayEquals(before, labelled.run(x, "logits").get("logits").data());
        assertEquals(5, resized.run(x, "logits").get("logits").shape()[1]);
        ModelException closed = assertThrows(ModelException.class, () -> parent.run(x, "logits"));
        assertTrue(closed.getMessage().contains("closed"), closed.getMessage());
        ModelException count = assertThrows(ModelException.class, () -> labelled.withLabels(List.of("a", "b")));
        assertTrue(count.getMessage().contains("2") && count.getMessage().contains("5"), count.getMessage());
        resized.close();
        labelled.close();
    }

    @Test
    void closedModelRefusesWork() {
        Model m = model();
        m.close();
        ModelException e = assertThrows(ModelException.class, () -> m.run(Tensor.zeros(1, 3, 8, 8), "relu"));
        assertTrue(e.getMessage().contains("closed"));
    }

    @Test
    void repeatedLoadsAndRunsDoNotAccumulateNativeArrays() {
        byte[] bytes = classifier();
        // Warm up, then count the engine's live arrays across many load/run/close cycles.
        try (Model m = Model.fromOnnx(bytes, "warm", InputSpec.rgb01(8))) {
            m.run(Tensor.zeros(1, 3, 8, 8), "logits");
        }
        long before = liveArrays();
        try (Model open = Model.fromOnnx(bytes, "open", InputSpec.rgb01(8))) {
            assertTrue(liveArrays() > before, "the count sees a loaded model's weights");
        }
        for (int i = 0; i < 200; i++) {
            try (Model m = Model.fromOnnx(bytes, "loop", InputSpec.rgb01(8))) {
                m.run(TestGraphs.random(i, 2, 3, 8, 8), "relu", "logits");
                m.gradient(TestGraphs.random(i, 1, 3, 8, 8), new Objective() {
                    @Override
                    public java.util.Set<String> layers() {
                        return java.util.Set.of("logits");
                    }

                    @Override
                    public ai.djl.ndarray.NDArray value(java.util.Map<String, ai.djl.ndarray.NDArray> a) {
                        return a.get("logits").sum();
                    }
                });
            }
            try {
                Model.fromOnnx(Arrays.copyOf(bytes, bytes.length - 40), "bad", InputSpec.rgb01(8)).close();
            } catch (ModelException expected) {
                // a truncated file must not leave its partly-created arrays behind
            }
        }
        assertEquals(before, liveArrays(), "live arrays on the engine's root manager");
    }

    private static long liveArrays() {
        try (ai.djl.ndarray.NDManager probe = DjlSetup.engine().newBaseManager()) {
            return countArrays(probe.getParentManager());
        }
    }

    private static long countArrays(ai.djl.ndarray.NDManager m) {
        if (m instanceof ai.djl.ndarray.BaseNDManager b) {
            return b.getManagedArrays().size();
        }
        return 0;
    }
}
