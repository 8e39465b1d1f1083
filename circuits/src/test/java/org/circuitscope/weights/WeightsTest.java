package org.circuitscope.weights;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.circuitscope.model.Model;
import org.circuitscope.model.ModelException;
import org.circuitscope.model.Unit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Table;

/** Weight heatmaps, strongest inputs and expanded weights on a network with planted weights. */
class WeightsTest {
    private static Model model;

    @BeforeAll
    static void load() {
        model = PlantedModels.fire();
    }

    @AfterAll
    static void close() {
        model.close();
    }

    @Test
    void resolvesUnitsThroughReluAndConcatToTheirConvolution() {
        ConvChannel c = ConvChannel.resolve(model.layers(), Unit.channel("cat", 4));
        assertEquals("expand3", c.conv());
        assertEquals(1, c.channel());
        assertEquals("squeeze_relu", c.input());
        assertEquals(List.of("cat", "e3_relu"), c.through());
        ConvChannel d = ConvChannel.resolve(model.layers(), Unit.channel("e1_relu", 2));
        assertEquals("expand1", d.conv());
        assertEquals(2, d.channel());
    }

    @Test
    void heatmapValuesAreThePlantedKernelExactly() {
        KernelView k = Weights.kernel(model, "cat:4", 1);
        float[] planted = Arrays.copyOfRange(PlantedModels.e3(), (1 * 2 + 1) * 9, (1 * 2 + 2) * 9);
        assertArrayEquals(planted, k.kernel().data());
        assertEquals(Unit.channel("squeeze_relu", 1), k.from());
        Table t = k.table();
        assertEquals(3, t.rowCount());
        assertEquals(4, t.columnCount());
        for (int y = 0; y < 3; y++) {
            for (int x = 0; x < 3; x++) {
                assertEquals(planted[y * 3 + x], t.doubleColumn("x=" + x).getDouble(y), 0.0);
            }
        }
        Map<String, Object> r = k.representations();
        // shown as PNG only: nbconvert's HTML export strips inline SVG (and prefers it), untrusted notebooks ignore it
        assertEquals(List.of("text/plain", "image/png"), List.copyOf(r.keySet()));
        assertTrue(k.svg().startsWith("<svg") && k.svg().contains("+" + Heatmaps.format(k.range())),
                "the same drawing as SVG, range stated");
        assertTrue(r.get("text/plain").toString().contains("±"));
        BufferedImage png = (BufferedImage) r.get("image/png");
        assertTrue(png.getWidth() > 100);
        // the strongest positive weight is drawn red, the strongest negative blue
        double range = k.range();
        assertEquals(Heatmaps.RED, Heatmaps.color(range, range));
        assertEquals(Heatmaps.BLUE, Heatmaps.color(-range, range));
        assertEquals(java.awt.Color.WHITE, Heatmaps.color(0, range));
    }

    @Test
    void topInputsArePlantedOnesInOrderAndSign() {
        UnitWeights w = Weights.of(model, "out:0").top(6).render();
        List<String> order = w.inputs().ranked().stream().map(i -> i.input().toString()).toList();
        assertEquals(List.of("pool:1", "pool:4", "pool:2", "pool:5", "pool:0", "pool:3"), order);
        assertEquals(List.of("pool:4", "pool:2", "pool:0"),
                w.excitatory().stream().map(i -> i.input().toString()).toList());
        assertEquals(List.of("pool:1", "pool:5", "pool:3"),
                w.inhibitory().stream().map(i -> i.input().toString()).toList());
        Table t = w.table();
        assertEquals(6, t.rowCount());
        assertEquals("excitatory", t.stringColumn("sign").get(0));
        assertEquals(0.9 / 4 * Math.sqrt(1 + 4 + 1 + 4 + 16 + 4 + 1 + 4 + 1),
                w.inputs().input(1).norm(), 1e-5);
        assertEquals(6 * 9, w.values().rowCount());
        assertTrue(w.svg().contains("pool:4") && w.svg().startsWith("<svg"));
        assertEquals(List.of("text/plain", "image/png"), List.copyOf(w.representations().keySet()));
        assertTrue(w.image().getWidth() > 300);
        UnitWeights two = Weights.of(model, "out:0").top(2).render();
        assertEquals(2, two.shown().size());
    }

    @Test
    void expandedWeightsThroughTheBottleneckAreTheMatrixProduct() {
        ExpandedWeights ew = ExpandedWeights.compose(model, "relu1", "cat");
        assertEquals(3, ew.kernelHeight());
        float[] e1 = PlantedModels.e1();
        float[] e3 = PlantedModels.e3();
        float[] s = PlantedModels.S;
        for (int j = 0; j < 3; j++) {
            for (int i = 0; i < 4; i++) {
                double byHand = e1[j * 2] * s[i] + e1[j * 2 + 1] * s[4 + i];
                float[] k = ew.kernel(j, i);
                assertEquals(byHand, k[4], 1e-6, "1x1 branch " + j + "<-" + i);
                for (int t = 0; t < 9; t++) {
                    if (t != 4) {
                        assertEquals(0, k[t], 0.0);
                    }
                }
                float[] k3 = ew.kernel(3 + j, i);
                for (int t = 0; t < 9; t++) {
                    double h = e3[(j * 2) * 9 + t] * s[i] + e3[(j * 2 + 1) * 9 + t] * s[4 + i];
                    assertEquals(h, k3[t], 1e-6, "3x3 branch " + j + "<-" + i + " tap " + t);
                }
            }
        }
        KernelView view = Weights.expanded(model, "relu1:2", "cat:4");
        float[] k = view.kernel().data();
        for (int t = 0; t < 9; t++) {
            assertEquals(e3[2 * 9 + t] * s[2] + e3[3 * 9 + t] * s[6], k[t], 1e-6);
        }
        // adjacent layers: the expanded weights are the conv's own kernel
        ExpandedWeights adj = ExpandedWeights.compose(model, "squeeze_relu", "expand3");
        assertArrayEquals(Arrays.copyOfRange(e3, 9, 18), adj.kernel(0, 1));
    }

    @Test
    void composedAndGradientExpandedWeightsAgree() {
        for (String[] pair : new String[][] {{"relu1", "cat"}, {"relu1", "out"}, {"cat", "out"}, {"x", "out"},
                {"squeeze_relu", "pool"}}) {
            ExpandedWeights a = ExpandedWeights.compose(model, pair[0], pair[1]);
            ExpandedWeights b = ExpandedWeights.byGradient(model, pair[0], pair[1]);
            double d = a.maxDifference(b);
            assertTrue(d < 1e-5, pair[0] + "→" + pair[1] + ": " + a + " vs " + b + " differ by " + d);
        }
        ExpandedWeights g = ExpandedWeights.byGradient(model, "relu1", "out", 1);
        assertEquals(8, g.kernelHeight());
        assertArrayEquals(new int[] {1}, g.outputChannels());
    }

    @Test
    void inceptionMixedBlocksComposeLikeTheirGradients() {
        try (Model m = PlantedModels.inception()) {
            for (String[] pair : new String[][] {{"mixed3a", "mixed3b"}, {"stem_relu", "mixed3b"},
                    {"stem_relu", "mixed3a"}}) {
                ExpandedWeights a = ExpandedWeights.compose(m, pair[0], pair[1]);
                ExpandedWeights b = ExpandedWeights.byGradient(m, pair[0], pair[1]);
                assertEquals(14, a.outputChannels().length);
                double d = a.maxDifference(b);
                assertTrue(d < 1e-5, pair[0] + "→" + pair[1] + " differ by " + d);
            }
            // mixed3a → mixed3b spans the 5×5 branch
            assertEquals(5, ExpandedWeights.compose(m, "mixed3a", "mixed3b").kernelHeight());
            UnitWeights w = Weights.of(m, "mixed3b:6").from("mixed3a").top(4).render();
            assertEquals(4, w.shown().size());
            assertTrue(w.inputs().expanded());
        }
    }

    @Test
    void actualSubNetworkMatchesTheModel() {
        org.circuitscope.tensor.Tensor img = org.circuitscope.onnx.TestGraphs.random(4, 2, 3, 16, 16);
        Map<String, org.circuitscope.tensor.Tensor> acts = model.run(img, "relu1", "out");
        SubNetwork net = SubNetwork.between(model, "relu1", "out");
        try (ai.djl.ndarray.NDManager m = model.newManager()) {
            org.circuitscope.tensor.Tensor a = acts.get("relu1");
            ai.djl.ndarray.NDArray out = net.run(m.create(a.data(), new ai.djl.ndarray.types.Shape(a.shape())),
                    SubNetwork.Mode.ACTUAL, Map.of(), m);
            float[] got = out.toFloatArray();
            float[] want = acts.get("out").data();
            assertEquals(want.length, got.length);
            for (int i = 0; i < got.length; i++) {
                assertEquals(want[i], got[i], 1e-4);
            }
        }
    }

    @Test
    void badInputGetsClearMessages() {
        ModelException e = assertThrows(ModelException.class, () -> Weights.expanded(model, "cat:0", "relu1:1"));
        assertTrue(e.getMessage().contains("no path from layer 'cat'") && e.getMessage().contains("relu1"),
                e.getMessage());
        e = assertThrows(ModelException.class, () -> ExpandedWeights.compose(model, "e1_relu", "e3_relu"));
        assertTrue(e.getMessage().contains("no path") && e.getMessage().contains("separate branches"),
                e.getMessage());
        e = assertThrows(ModelException.class, () -> Weights.kernel(model, "pool:0", 0));
        assertTrue(e.getMessage().contains("MaxPool") && e.getMessage().contains("not a convolution")
                && e.getMessage().contains("--from"), e.getMessage());
        e = assertThrows(ModelException.class, () -> Weights.kernel(model, "cat:9", 0));
        assertTrue(e.getMessage().contains("6 channels"), e.getMessage());
        e = assertThrows(ModelException.class, () -> Weights.kernel(model, "cat:4", 7));
        assertTrue(e.getMessage().contains("no input channel 7"), e.getMessage());
        e = assertThrows(ModelException.class, () -> Weights.of(model, "nosuch:1").render());
        assertTrue(e.getMessage().contains("no layer 'nosuch'"), e.getMessage());
        assertFalse(Weights.into(model, Unit.channel("out", 0)).expanded());
    }
}
