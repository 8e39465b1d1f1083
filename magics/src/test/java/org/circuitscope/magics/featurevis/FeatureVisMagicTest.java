package org.circuitscope.magics.featurevis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.circuitscope.featurevis.FeatureVisResult;
import org.circuitscope.featurevis.ImageStats;
import org.circuitscope.magics.InMemoryContext;
import org.circuitscope.magics.LoadedModels;
import org.circuitscope.magics.MagicException;
import org.circuitscope.magics.MagicProvider;
import org.circuitscope.model.Model;
import org.circuitscope.model.Models;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code %featurevis} on SqueezeNet: single units, sheets, options and the messages for bad input. */
class FeatureVisMagicTest {
    private static final FeatureVisMagic MAGIC = new FeatureVisMagic();
    private static InMemoryContext context;

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
        Model model = Models.loadFile(p, null);
        LoadedModels.of(context.session()).add("sq", model, true);
    }

    @AfterAll
    static void close() {
        if (context != null) {
            LoadedModels.of(context.session()).all().values().forEach(Model::close);
        }
    }

    private static Object run(String line) throws Exception {
        return MAGIC.line(context, Arrays.asList(line.trim().split("\\s+")));
    }

    /** The first magic of a session may name the default model before anything loaded it (the kernel soak's cell). */
    @Test
    void aFreshSessionCanNameTheDefaultModel() throws Exception {
        InMemoryContext fresh = new InMemoryContext();
        try {
            FeatureVisResult r = assertInstanceOf(FeatureVisResult.class, MAGIC.line(fresh,
                    Arrays.asList("organism conv4:3 --steps 2 --size 32".split(" "))));
            assertTrue(r.objective().contains("conv4:3"), r.objective());
        } finally {
            LoadedModels.of(fresh.session()).all().values().forEach(Model::close);
        }
    }

    @Test
    void registered() {
        assertTrue(MagicProvider.all().stream().anyMatch(m -> m.name().equals("featurevis")));
    }

    @Test
    void rendersAUnitWithOptions() throws Exception {
        FeatureVisResult r = assertInstanceOf(FeatureVisResult.class,
                run("sq fire3/concat:7 --steps 6 --size 64 --batch 2 --diversity 10 --param pixel --seed 3 --as v"));
        assertEquals(2, r.images().size());
        assertEquals(64, r.image().getWidth());
        assertEquals(6, r.trace().length);
        assertTrue(r.objective().contains("fire3/concat:7") && r.objective().contains("diversity"), r.objective());
        assertSame(r, context.variables.get("v"));
        FeatureVisResult neg = (FeatureVisResult) run("fire3/concat:7 --steps 3 --size 64 --negative");
        assertTrue(neg.objective().startsWith("-"), neg.objective());
        FeatureVisResult neuron = (FeatureVisResult) run("fire3/concat:7@3,4 --steps 2 --size 64");
        assertTrue(neuron.objective().contains("@3,4"));
        FeatureVisResult maco = (FeatureVisResult) run("fire8/concat:300 --param maco --steps 12 --size 64");
        assertTrue(maco.toString().contains("maco"), maco.toString());
        double[] t = maco.trace();
        assertTrue(t[t.length - 1] > t[0], "maco raises the objective: " + t[0] + " → " + t[t.length - 1]);
        // natural magnitudes: no clipped colours
        assertTrue(ImageStats.saturatedShare(maco.image(), 5) < 0.01, "saturated "
                + ImageStats.saturatedShare(maco.image(), 5));
        assertTrue(assertThrows(MagicException.class, () -> run("fire3/concat:7 --param lucid")).getMessage()
                .contains("fft, pixel or maco"));
    }

    @Test
    void sheetOptimisesEachChannelInChunks() throws Exception {
        FeatureVisResult r = (FeatureVisResult) run("fire2/concat --channels 0-4 --batch 3 --steps 4 --size 48");
        assertEquals(List.of("fire2/concat:0", "fire2/concat:1", "fire2/concat:2", "fire2/concat:3",
                "fire2/concat:4"), r.labels());
        assertEquals(5, r.images().size());
        assertEquals(4, r.trace().length);
        assertEquals(5, r.trace(4).length == 4 ? 5 : -1);
        assertTrue(((String) r.representations().get("text/html")).contains("fire2/concat:4"));
    }

    @Test
    void interruptStopsAndMarksTheResult() throws Exception {
        context.interrupt = true;
        try {
            FeatureVisResult r = (FeatureVisResult) run("fire2/concat:1 --steps 100 --size 48");
            assertTrue(r.interrupted());
            assertEquals(0, r.steps());
        } finally {
            context.interrupt = false;
        }
    }

    @Test
    void badInputIsExplained() {
        MagicException unknown = assertThrows(MagicException.class, () -> run("fire4/concatt:3 --steps 1"));
        assertTrue(unknown.getMessage().contains("fire4/concat"), unknown.getMessage());
        MagicException range = assertThrows(MagicException.class, () -> run("fire4/concat:256 --steps 1"));
        assertTrue(range.getMessage().contains("out of range") && range.getMessage().contains("256 channels"),
                range.getMessage());
        MagicException small = assertThrows(MagicException.class, () -> run("fire9/concat:3 --size 8 --steps 1"));
        assertTrue(small.getMessage().contains("too small"), small.getMessage());
        MagicException tiny = assertThrows(MagicException.class, () -> run("fire9/concat:3 --size 4"));
        assertTrue(tiny.getMessage().contains("too small"), tiny.getMessage());
        MagicException sheetRange = assertThrows(MagicException.class, () -> run("fire2/concat --channels 0-200"));
        assertTrue(sheetRange.getMessage().contains("out of range"), sheetRange.getMessage());
        MagicException noUnit = assertThrows(MagicException.class, () -> run("fire2/concat"));
        assertTrue(noUnit.getMessage().contains("--channels"), noUnit.getMessage());
        MagicException param = assertThrows(MagicException.class, () -> run("fire2/concat:1 --param wavelet"));
        assertTrue(param.getMessage().contains("fft, pixel or maco"), param.getMessage());
        MagicException div = assertThrows(MagicException.class, () -> run("fire2/concat:1 --diversity 5"));
        assertTrue(div.getMessage().contains("batch"), div.getMessage());
        MagicException opt = assertThrows(MagicException.class, () -> run("fire2/concat:1 --stepz 5"));
        assertTrue(opt.getMessage().contains("unknown option"), opt.getMessage());
        MagicException none = assertThrows(MagicException.class, () -> MAGIC.line(context, List.of()));
        assertTrue(none.getMessage().contains("needs one unit"), none.getMessage());
    }
}
