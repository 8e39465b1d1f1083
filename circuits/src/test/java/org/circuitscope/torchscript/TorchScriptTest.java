package org.circuitscope.torchscript;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.circuitscope.model.InputSpec;
import org.circuitscope.model.Model;
import org.circuitscope.model.ModelException;
import org.circuitscope.model.Models;
import org.circuitscope.model.Objective;
import org.circuitscope.onnx.TestGraphs;
import org.circuitscope.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TorchScript modules (written by src/test/resources/torchscript/make_fixtures.py with PyTorch) load with their
 * returned dict's keys as layers, compute what PyTorch computed, in eval mode, and give input gradients.
 */
class TorchScriptTest {
    private static final InputSpec SPEC = InputSpec.rgb01(12);

    private static Path resource(String name) throws URISyntaxException {
        return Path.of(TorchScriptTest.class.getResource("/torchscript/" + name).toURI());
    }

    private static Tensor fixedInput() {
        Tensor t = Tensor.zeros(1, 3, 12, 12);
        for (int i = 0; i < t.size(); i++) {
            t.data()[i] = (float) (0.5 + 0.5 * Math.sin(i * 0.37));
        }
        return t;
    }

    private static Map<String, float[]> expected() throws Exception {
        Map<String, float[]> r = new LinkedHashMap<>();
        try (InputStream in = Files.newInputStream(resource("tiny_expected.bin"))) {
            ByteBuffer b = ByteBuffer.wrap(in.readAllBytes()).order(ByteOrder.LITTLE_ENDIAN);
            for (String name : List.of("conv1", "relu1", "conv2", "logits")) {
                float[] v = new float[b.getInt()];
                for (int i = 0; i < v.length; i++) {
                    v[i] = b.getFloat();
                }
                r.put(name, v);
            }
        }
        return r;
    }

    @Test
    void dictOutputsBecomeLayersAndMatchPyTorch() throws Exception {
        try (Model m = Models.loadFile(resource("tiny_dict.pt"), SPEC)) {
            assertEquals(List.of("input", "conv1", "relu1", "conv2", "logits"), m.layers().names());
            assertArrayEquals(new long[] {1, 8, 5, 5}, m.layers().get("conv2").shape());
            Map<String, Tensor> ours = m.run(fixedInput(), "conv1", "relu1", "conv2", "logits");
            for (Map.Entry<String, float[]> e : expected().entrySet()) {
                float[] got = ours.get(e.getKey()).data();
                assertEquals(e.getValue().length, got.length, e.getKey());
                for (int i = 0; i < got.length; i++) {
                    assertEquals(e.getValue()[i], got[i], 1e-5, e.getKey() + "[" + i + "]");
                }
            }
            assertTrue(m.parameterNames().contains("conv1.weight"), m.parameterNames().toString());
            assertArrayEquals(new long[] {6, 3, 3, 3}, m.parameter("conv1.weight").shape());
        }
    }

    @Test
    void gradientsFlowToTheInputAndLeaveWeightsAlone() throws Exception {
        try (Model m = Models.loadFile(resource("tiny_dict.pt"), SPEC)) {
            Tensor w = m.parameter("conv2.weight");
            Objective logit2 = new Objective() {
                @Override
                public Set<String> layers() {
                    return Set.of("logits");
                }

                @Override
                public NDArray value(Map<String, NDArray> a) {
                    return a.get("logits").get(":, 2").sum();
                }
            };
            Tensor x = TestGraphs.random(3, 1, 3, 12, 12);
            Tensor g = m.gradient(x, logit2).gradient();
            double eps = 1e-2;
            for (int i : new int[] {0, 50, 200, 431}) {
                float orig = x.data()[i];
                x.data()[i] = (float) (orig + eps);
                float up = m.gradient(x, logit2).value();
                x.data()[i] = (float) (orig - eps);
                float down = m.gradient(x, logit2).value();
                x.data()[i] = orig;
                assertEquals((up - down) / (2 * eps), g.data()[i], 2e-3, "gradient at " + i);
            }
            assertArrayEquals(w.data(), m.parameter("conv2.weight").data());
        }
    }

    @Test
    void plainTensorOutputIsOneLayer() throws Exception {
        try (Model m = Models.loadFile(resource("tiny_logits.pt"), SPEC)) {
            assertEquals(List.of("input", "output"), m.layers().names());
            float[] logits = m.run(fixedInput(), "output").get("output").data();
            assertArrayEquals(expected().get("logits"), logits, 1e-5f);
        }
    }

    @Test
    void notTorchScriptSaysSo(@TempDir Path dir) throws IOException {
        Path junk = Files.writeString(dir.resolve("model.pt"), "not a zip archive");
        ModelException e = assertThrows(ModelException.class, () -> Models.loadFile(junk, SPEC));
        assertTrue(e.getMessage().contains("not a TorchScript module"), e.getMessage());
    }
}
