package org.circuitscope.magics.dictionary;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.circuitscope.activations.ActivationResult;
import org.circuitscope.circuit.CircuitEdge;
import org.circuitscope.circuit.CircuitResult;
import org.circuitscope.data.ImageSource;
import org.circuitscope.examples.Example;
import org.circuitscope.magics.LoadedDictionaries;
import org.circuitscope.magics.LoadedModels;
import org.circuitscope.magics.circuit.CircuitMagic;
import org.circuitscope.model.Model;
import org.circuitscope.organism.World;
import org.circuitscope.tensor.Tensor;
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

    private Unit.Feature featureUnit() throws Exception {
        return (Unit.Feature) Unit.parse(feature(), LoadedDictionaries.of(context.session()).all());
    }

    private Model model() throws Exception {
        return LoadedModels.of(context.session()).get(null);
    }

    /**
     * Feature {@code f} on conv3 over {@code images}: its mean over images and positions (at = null), or its value
     * at (y, x) = at: {mean, max over images}.
     */
    private double[] featureOver(Unit.Feature f, ImageSource images, int[] at) throws Exception {
        double sum = 0;
        double max = Double.NEGATIVE_INFINITY;
        long n = 0;
        for (var it = images.iterator(); it.hasNext(); ) {
            Tensor t = model().run(List.of(it.next().image()), "conv3").get("conv3");
            int w = (int) t.shape()[3];
            int hw = (int) (t.shape()[2] * w);
            for (int p = 0; p < hw; p++) {
                if (at != null && p != at[0] * w + at[1]) {
                    continue;
                }
                double v = f.at(t.data(), 0, hw, p);
                sum += v;
                max = Math.max(max, v);
                n++;
            }
        }
        return new double[] {sum / n, max};
    }

    @Test
    void circuitOfAFeatureWithVirtualWeightEdges() throws Exception {
        FeatureDictionary lower = assertInstanceOf(FeatureDictionary.class, run(new DictionaryMagic(),
                "conv2 --method sae --size 64 --k 4 --images 16 --positions 32 --steps 200 --features 0 --data world "
                        + "--as lower"));
        Unit.Feature f = featureUnit();
        CircuitResult c = assertInstanceOf(CircuitResult.class, run(new CircuitMagic(),
                f + " --depth 1 --top 3 --thumbs none --data world --images 8"));
        System.out.println(c);
        assertEquals(f, c.unit());
        VirtualWeights v = VirtualWeights.between(model(), "conv2", null, null, sheet.dictionary());
        assertEquals(3, c.edges().size());
        for (CircuitEdge e : c.edges()) {
            assertEquals(f, e.to());
            Unit.Channel from = assertInstanceOf(Unit.Channel.class, e.from());
            assertEquals("conv2", from.layer());
            assertEquals(6, e.kh(), "through the 2×2 pool and the 3×3 convolution");
            assertArrayEquals(v.kernel(f.index(), from.channel()), e.kernel(), 1e-5f, e.toString());
        }
        assertEquals(Arrays.stream(v.strongestInto(f.index(), 3)).boxed().toList(),
                c.edges().stream().map(e -> ((Unit.Channel) e.from()).channel()).toList(), "the strongest inputs");
        // the pruning check measured the feature, not channel conv3:<index>
        double mean = featureOver(f, World.scenes(0, 8), null)[0];
        assertEquals(mean, c.pruning().actualMean(), 1e-4 * Math.max(1, Math.abs(mean)), c.pruning().toString());
        if (f.index() < 48) {
            CircuitResult channel = (CircuitResult) run(new CircuitMagic(), "conv3:" + f.index()
                    + " --depth 1 --top 3 --thumbs none --data world --images 8");
            assertFalse(Arrays.equals(channel.edges().get(0).kernel(), c.edges().get(0).kernel()));
            assertTrue(Math.abs(channel.pruning().actualMean() - c.pruning().actualMean()) > 1e-6);
        }

        // a level read through the lower dictionary: edges from its features
        CircuitResult through = assertInstanceOf(CircuitResult.class, run(new CircuitMagic(),
                f + " --depth 1 --top 4 --layers conv2/lower --thumbs none --data world --images 8"));
        System.out.println(through);
        VirtualWeights vf = VirtualWeights.between(model(), null, lower, null, sheet.dictionary());
        assertEquals(4, through.edges().size());
        for (CircuitEdge e : through.edges()) {
            Unit.Feature from = assertInstanceOf(Unit.Feature.class, e.from());
            assertEquals("lower", from.dictionary());
            assertArrayEquals(vf.kernel(f.index(), from.index()), e.kernel(), 1e-5f, e.toString());
        }
        assertTrue(through.explained() >= 0 && through.explained() <= 1);
        assertEquals(List.of("conv3/sae", "conv2/lower"), through.rows());
        assertInstanceOf(BufferedImage.class, through.representations().get("image/png"));
        assertTrue(assertThrows(MagicException.class, () -> run(new CircuitMagic(), f + " --layers conv2/nosuch "
                + "--thumbs none --no-prune")).getMessage().contains("conv2/nosuch"));
    }

    @Test
    void aFeatureAtAPositionInEveryMagicThatTakesANeuron() throws Exception {
        Unit.Feature f = featureUnit();
        String at = f + "@2,3";
        FeatureVisResult vis = (FeatureVisResult) run(new FeatureVisMagic(), at + " --steps 8 --size 48");
        assertEquals(at, vis.objective());
        ExamplesResult ex = (ExamplesResult) run(new ExamplesMagic(), at + " world:30 --k 3");
        assertEquals(Unit.featureAt(f, 2, 3), ex.unit());
        for (Example e : ex.examples()) {
            assertEquals(2, e.y());
            assertEquals(3, e.x());
        }
        double best = featureOver(f, World.scenes(org.circuitscope.magics.activations.Sources.WORLD_SEED, 30),
                new int[] {2, 3})[1];
        assertEquals(best, ex.examples().get(0).value(), 1e-4, "the feature's value at 2,3");
        ExamplesResult whole = (ExamplesResult) run(new ExamplesMagic(), f + " world:30 --k 3");
        assertTrue(whole.examples().get(0).value() >= best, "the best over positions is at least the value at one");
        TuningCurve tc = (TuningCurve) run(new TuningMagic(), at + " curves");
        assertEquals(Unit.featureAt(f, 2, 3), tc.unit());
        assertTrue(tc.reading().contains("2,3"), tc.reading());
        AttributionResult attr = (AttributionResult) run(new AttributionMagic(), at + " --from conv2 --images 8");
        assertEquals(at, attr.unit().toString());
        double mean = featureOver(f, World.scenes(0, 8), new int[] {2, 3})[0];
        assertEquals(mean, attr.unitMean(), 1e-4 * Math.max(1, Math.abs(mean)), "attribution of the value at 2,3");
        AttributionResult neuron = (AttributionResult) run(new AttributionMagic(), "conv3:5@2,3 --from conv2 "
                + "--images 8");
        assertEquals("conv3:5@2,3", neuron.unit().toString());
        assertTrue(assertThrows(MagicException.class, () -> run(new ExamplesMagic(), f + "@99,99 world:5"))
                .getMessage().contains("99,99"));
    }
}
