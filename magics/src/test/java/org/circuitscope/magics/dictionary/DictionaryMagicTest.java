package org.circuitscope.magics.dictionary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.circuitscope.activations.ActivationResult;
import org.circuitscope.circuit.AttributionResult;
import org.circuitscope.dictionary.FeatureDictionary;
import org.circuitscope.dictionary.DictionarySheet;
import org.circuitscope.examples.ExamplesResult;
import org.circuitscope.featurevis.FeatureVisResult;
import org.circuitscope.magics.InMemoryContext;
import org.circuitscope.magics.Magic;
import org.circuitscope.magics.MagicException;
import org.circuitscope.magics.activations.ActivationsMagic;
import org.circuitscope.magics.circuit.AttributionMagic;
import org.circuitscope.magics.examples.ExamplesMagic;
import org.circuitscope.magics.featurevis.FeatureVisMagic;
import org.circuitscope.magics.tuning.TuningMagic;
import org.circuitscope.magics.weights.WeightsMagic;
import org.circuitscope.dictionary.Polysemantic;
import org.circuitscope.dictionary.VirtualWeights;
import org.circuitscope.model.Unit;
import org.circuitscope.stimuli.TuningCurve;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** %dictionary on the embedded organism, then its features typed as units into every magic. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DictionaryMagicTest {
    private final InMemoryContext context = new InMemoryContext();
    private DictionarySheet sheet;

    private Object run(Magic magic, String line) throws Exception {
        return magic.line(context, Arrays.asList(line.trim().split("\\s+")));
    }

    @BeforeAll
    void learn() throws Exception {
        sheet = assertInstanceOf(DictionarySheet.class, run(new DictionaryMagic(),
                "conv3 --method sae --size 96 --k 6 --images 32 --positions 32 --steps 400 --features 3 "
                        + "--examples 2 --vis-steps 16 --data world --as sae"));
        System.out.println(sheet);
    }

    @Test
    void learnsRegistersAndShowsASheet() {
        FeatureDictionary d = sheet.dictionary();
        assertSame(d, context.variables.get("sae"));
        assertEquals("sae", d.name());
        assertEquals(96, d.size());
        assertEquals(3, sheet.rows().size());
        for (DictionarySheet.Row r : sheet.rows()) {
            assertEquals(2, r.examples().size());
            assertTrue(r.visualisation() != null && r.frequency() > 0, r.toString());
        }
        // the most active first
        assertTrue(sheet.rows().get(0).frequency() >= sheet.rows().get(2).frequency());
        assertTrue(d.quality().varianceExplained() > 0.5 && d.quality().spliceImages() > 0, d.quality().toString());
        assertInstanceOf(BufferedImage.class, sheet.representations().get("image/png"));
    }

    private String feature() {
        return sheet.rows().get(0).feature().toString();
    }

    @Test
    void everyMagicTakesTheFeatureAsAUnit() throws Exception {
        String f = feature();
        assertTrue(f.startsWith("conv3/sae:"), f);
        FeatureVisResult vis = (FeatureVisResult) run(new FeatureVisMagic(), f + " --steps 8 --size 48");
        assertEquals(f, vis.objective());
        ExamplesResult ex = (ExamplesResult) run(new ExamplesMagic(), f + " world:30 --k 3");
        assertEquals(f, ex.unit().toString());
        assertTrue(ex.examples().get(0).value() > 0);
        ActivationResult acts = (ActivationResult) run(new ActivationsMagic(), "world:30 --layers conv3/sae");
        float[] col = acts.column(f);
        float max = 0;
        for (float v : col) {
            max = Math.max(max, v);
        }
        assertEquals(ex.examples().get(0).value(), max, 1e-4f, "%activations and %examples read the same feature");
        TuningCurve tc = (TuningCurve) run(new TuningMagic(), f + " curves");
        assertInstanceOf(Unit.Feature.class, tc.unit());
        AttributionResult attr = (AttributionResult) run(new AttributionMagic(), f + " --from conv2 --images 8");
        assertEquals(f, attr.unit().toString());
        assertEquals(32, attr.perChannel().length);
    }

    @Test
    void virtualWeightsBetweenFeaturesOfAdjacentLayers() throws Exception {
        run(new DictionaryMagic(), "conv2 --method sae --size 64 --k 4 --images 16 --positions 32 --steps 200 "
                + "--features 0 --data world --as low");
        VirtualWeights v = assertInstanceOf(VirtualWeights.class, run(new WeightsMagic(),
                feature() + " --from conv2/low --top 4"));
        assertEquals(64, v.lowerFeatures());
        assertEquals(96, v.upperFeatures());
        // conv3 is a 3×3 convolution of pool2 (conv2 max-pooled 2×2, stride 2): 6×6 in conv2's positions
        assertEquals(6, v.kernelHeight());
        assertInstanceOf(BufferedImage.class, v.representations().get("image/png"));
        VirtualWeights fromNeurons = (VirtualWeights) run(new WeightsMagic(), feature() + " --from conv2");
        assertEquals(32, fromNeurons.lowerFeatures());
        assertTrue(assertThrows(MagicException.class, () -> run(new WeightsMagic(), feature())).getMessage()
                .contains("--from"));
    }

    @Test
    void polysemanticNeuronUnfoldedIntoFeaturesAndFacets() throws Exception {
        Polysemantic p = assertInstanceOf(Polysemantic.class, run(new PolysemanticMagic(),
                "conv3:5 --dictionary sae --images 16 --examples 12 --clusters 3 --vis-steps 8 --data world"));
        System.out.println(p);
        assertTrue(p.score() >= 1 && p.score() <= 96, "an effective number of features: " + p.score());
        double total = p.loadings().stream().mapToDouble(Polysemantic.Loading::share).sum();
        assertEquals(1.0, total, 1e-6);
        assertEquals(3, p.facets().size());
        assertEquals(12, p.facets().stream().mapToInt(f -> f.examples().size()).sum());
        assertEquals(3, p.diversity().size());
        assertTrue(assertThrows(MagicException.class, () -> run(new PolysemanticMagic(), "conv4:1 --data world"))
                .getMessage().contains("no dictionary on conv4"));
    }

    @Test
    void badInputNamesTheBadValue() {
        DictionaryMagic m = new DictionaryMagic();
        assertTrue(assertThrows(MagicException.class, () -> run(m, "conv3 --method ica")).getMessage()
                .contains("'ica'"));
        assertTrue(assertThrows(MagicException.class, () -> run(m, "conv3 --method nmf --k 3")).getMessage()
                .contains("--k"));
        assertTrue(assertThrows(MagicException.class, () -> run(m, "conv3 --size 50 --steps 1 --images 1"))
                .getMessage().contains("multiple"));
        assertTrue(assertThrows(MagicException.class, () -> run(m, "nosuchlayer")).getMessage()
                .contains("nosuchlayer"));
        assertTrue(assertThrows(MagicException.class, () -> run(new ExamplesMagic(), "conv3/sae:96 world:5"))
                .getMessage().contains("96 features"));
    }

    @Test
    void savesAndLoadsUnderAnotherName() throws Exception {
        Path file = Files.createTempFile("sae", ".dict");
        try {
            sheet.dictionary().save(file);
            FeatureDictionary back = (FeatureDictionary) run(new DictionaryMagic(), "--load " + file + " --as again");
            assertEquals("again", back.name());
            ExamplesResult ex = (ExamplesResult) run(new ExamplesMagic(),
                    feature().replace("/sae:", "/again:") + " world:30 --k 3");
            ExamplesResult same = (ExamplesResult) run(new ExamplesMagic(), feature() + " world:30 --k 3");
            assertEquals(same.examples().get(0).value(), ex.examples().get(0).value(), 0f);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    @Test
    void nmfNeuronGroupsWithFewerFactorsThanChannels() throws Exception {
        FeatureDictionary d = (FeatureDictionary) run(new DictionaryMagic(),
                "conv3 --method nmf --size 6 --images 16 --positions 32 --features 0 --as groups");
        assertEquals(6, d.size());
        System.out.println(d);
        assertTrue(d.quality().varianceExplained() > 0.3, d.quality().toString());
        ExamplesResult ex = (ExamplesResult) run(new ExamplesMagic(), "conv3/groups:0 world:20 --k 2");
        assertEquals(2, ex.examples().size());
    }
}
