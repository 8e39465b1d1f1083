package org.circuitscope.magics.circuit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.circuitscope.circuit.CircuitResult;
import org.circuitscope.magics.InMemoryContext;
import org.circuitscope.magics.LoadedModels;
import org.circuitscope.magics.Magic;
import org.circuitscope.magics.MagicException;
import org.circuitscope.magics.MagicProvider;
import org.circuitscope.magics.weights.WeightsMagic;
import org.circuitscope.model.Model;
import org.circuitscope.model.Models;
import org.circuitscope.weights.ExpandedWeights;
import org.circuitscope.weights.KernelView;
import org.circuitscope.weights.UnitWeights;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Table;

/** {@code %weights} and {@code %circuit} on SqueezeNet, with the ImageNet samples as data. */
class WeightsAndCircuitMagicTest {
    private static final Magic WEIGHTS = new WeightsMagic();
    private static final Magic CIRCUIT = new CircuitMagic();
    private static InMemoryContext context;
    private static Model model;

    @BeforeAll
    static void load() {
        String root = System.getProperty("circuitscope.shared", "../shared");
        Path p = Path.of(root, "models/squeezenet1.0/squeezenet1.0.onnx");
        if (!Files.exists(p)) {
            System.err.println("SKIPPED: " + p + " is absent");
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new AssertionError("CI must have the shared fixtures: " + p);
            }
            Assumptions.assumeTrue(false, "shared fixtures absent");
        }
        context = new InMemoryContext();
        model = Models.loadFile(p, null);
        LoadedModels.of(context.session()).add("sq", model, true);
    }

    @AfterAll
    static void close() {
        if (context != null) {
            LoadedModels.of(context.session()).all().values().forEach(Model::close);
        }
    }

    private static Object run(Magic magic, String line) throws Exception {
        return magic.line(context, Arrays.asList(line.trim().split("\\s+")));
    }

    @Test
    void registered() {
        List<String> names = MagicProvider.all().stream().map(Magic::name).toList();
        assertTrue(names.contains("weights") && names.contains("circuit"), names.toString());
    }

    @Test
    void circuitOfAFire4UnitRendersWithTableAndPruningCheck() throws Exception {
        CircuitResult c = assertInstanceOf(CircuitResult.class,
                run(CIRCUIT, "sq fire4/concat:12 --depth 2 --top 6 --images 8 --thumbs none --as circ"));
        assertSame(c, context.variables.get("circ"));
        Table t = c.table();
        assertEquals(6 + 6 * 6, t.rowCount());
        assertEquals(List.of("fire4/concat", "fire4/conv1x1_1_relu", "fire3/concat"), c.rows());
        assertNotNull(c.pruning());
        double kept = c.pruning().explained();
        assertTrue(kept >= 0 && kept <= 1, "explained " + kept);
        assertEquals(8, c.pruning().images());
        assertTrue(c.svg().contains(String.format(java.util.Locale.ROOT, "explains %.2f", kept)));
        BufferedImage png = c.image();
        assertTrue(png.getWidth() > 700);
        assertTrue(t.doubleColumn("attribution").countMissing() == 0, "attribution computed on the data");

        CircuitResult byAttr = (CircuitResult) run(CIRCUIT, "fire4/concat:12 --depth 1 --top 4 --by attribution "
                + "--images 4 --no-prune --thumbs none");
        assertEquals(4, byAttr.edges().size());
        assertEquals(null, byAttr.pruning());
    }

    @Test
    void weightsOfAConcatUnitComeFromItsConvolution() throws Exception {
        UnitWeights w = assertInstanceOf(UnitWeights.class, run(WEIGHTS, "sq fire3/concat:70 --top 12"));
        assertEquals("fire3/conv3x3_2 channel 6", w.inputs().source());
        assertEquals("fire3/conv1x1_1_relu", w.inputs().from());
        assertEquals(12, w.shown().size());
        assertEquals(12, w.table().rowCount());
        // the heatmap is the stored kernel
        KernelView k = (KernelView) run(WEIGHTS, "fire3/concat:70 --input 5");
        float[] stored = model.weights("fire3/conv3x3_2").data();
        float[] shown = k.kernel().data();
        for (int t = 0; t < 9; t++) {
            assertEquals(stored[(6 * 16 + 5) * 9 + t], shown[t], 0.0);
        }
        UnitWeights expanded = (UnitWeights) run(WEIGHTS, "fire3/concat:70 --from fire2/concat --top 6");
        assertTrue(expanded.inputs().expanded());
        assertEquals(128, expanded.inputs().inputChannels());
        Map<String, Object> r = expanded.representations();
        assertInstanceOf(BufferedImage.class, r.get("image/png"));
    }

    @Test
    void expandedWeightsAcrossFireModulesAgreeBothWays() {
        ExpandedWeights composed = ExpandedWeights.compose(model, "fire2/concat", "fire3/concat");
        ExpandedWeights byGradient = ExpandedWeights.byGradient(model, "fire2/concat", "fire3/concat", 0, 5, 64, 70,
                127);
        assertEquals(3, composed.kernelHeight());
        double d = composed.maxDifference(byGradient);
        assertTrue(d < 1e-5, "differ by " + d);
        // through a max pool: fire4/concat → pool4 → fire5/concat
        ExpandedWeights c2 = ExpandedWeights.compose(model, "fire4/concat", "fire5/concat");
        ExpandedWeights g2 = ExpandedWeights.byGradient(model, "fire4/concat", "fire5/concat", 3, 200);
        assertTrue(c2.maxDifference(g2) < 1e-5, "differ by " + c2.maxDifference(g2));
    }

    @Test
    void badInputIsExplained() {
        MagicException e = assertThrows(MagicException.class, () -> run(WEIGHTS, "sq pool4:3"));
        assertTrue(e.getMessage().contains("MaxPool") && e.getMessage().contains("--from"), e.getMessage());
        e = assertThrows(MagicException.class, () -> run(WEIGHTS, "fire2/concat:1 --from fire3/concat"));
        assertTrue(e.getMessage().contains("no path"), e.getMessage());
        e = assertThrows(MagicException.class, () -> run(WEIGHTS, "fire2/concat"));
        assertTrue(e.getMessage().contains("not a unit"), e.getMessage());
        e = assertThrows(MagicException.class, () -> run(CIRCUIT, "fire4/concat:12 --by magic"));
        assertTrue(e.getMessage().contains("weights or attribution"), e.getMessage());
        e = assertThrows(MagicException.class, () -> run(CIRCUIT, "fire4/concat:999"));
        assertTrue(e.getMessage().contains("256 channels"), e.getMessage());
        e = assertThrows(MagicException.class, () -> run(CIRCUIT, "fire4/concat:1 --data /nonexistent/x"));
        assertTrue(e.getMessage().contains("neither a data source"), e.getMessage());
        e = assertThrows(MagicException.class, () -> run(WEIGHTS, "fire4/concat:1 --thumbs pictures"));
        assertTrue(e.getMessage().contains("fv, examples or none"), e.getMessage());
    }
}
