package org.circuitscope.magics.dictionary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import org.circuitscope.data.ImageFolder;
import org.circuitscope.dictionary.ActivationSample;
import org.circuitscope.dictionary.DictionarySheet;
import org.circuitscope.dictionary.FeatureDictionary;
import org.circuitscope.dictionary.Polysemantic;
import org.circuitscope.dictionary.Quality;
import org.circuitscope.magics.InMemoryContext;
import org.circuitscope.magics.LoadedModels;
import org.circuitscope.magics.Magic;
import org.circuitscope.magics.model.ModelMagic;
import org.circuitscope.model.Model;
import org.circuitscope.progress.Progress;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Dictionaries on SqueezeNet 1.0 (shared fixtures) as a user types them: {@code %dictionary squeezenet
 * fire4/concat} and {@code fire8/concat} over the ImageNet samples, their quality figures, and the layer's most
 * polysemantic neuron next to the features it splits into. The default run is sized to take a minute or two;
 * {@code -Dcircuitscope.dictionary.full=true} learns on more images for longer.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SqueezeNetDictionaryMagicTest {
    static final boolean FULL = Boolean.getBoolean("circuitscope.dictionary.full");
    /**
     * Images, positions per image, training steps and fire8's size: the quick default (1024 vectors, fire8's
     * dictionary as wide as the layer) and the opt-in full run (12800 vectors, both twice as wide as their layer).
     */
    static final int IMAGES = FULL ? 200 : 32;
    static final int POSITIONS = FULL ? 64 : 32;
    static final int STEPS = FULL ? 2000 : 400;
    static final int FIRE8_SIZE = FULL ? 1024 : 512;
    private final InMemoryContext context = new InMemoryContext();
    private Path samples;
    private DictionarySheet fire4;
    private DictionarySheet fire8;

    private static Path shared(String relative) {
        String root = System.getProperty("circuitscope.shared", "../shared");
        Path p = Path.of(root, relative);
        if (!Files.exists(p)) {
            System.err.println("SKIPPED: " + p + " is absent (set -Dcircuitscope.shared=DIR)");
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new AssertionError("CI must have the shared fixtures: " + p);
            }
            Assumptions.assumeTrue(false, "shared fixtures absent");
        }
        return p.toAbsolutePath().normalize();
    }

    private Object run(Magic magic, String line) throws Exception {
        return magic.line(context, Arrays.asList(line.trim().split("\\s+")));
    }

    @BeforeAll
    void learn() throws Exception {
        Path model = shared("models/squeezenet1.0/squeezenet1.0.onnx");
        samples = shared("data/imagenet-samples");
        run(new ModelMagic(), "load " + model + " --as squeezenet");
        long t0 = System.nanoTime();
        fire4 = assertInstanceOf(DictionarySheet.class, run(new DictionaryMagic(), "squeezenet fire4/concat "
                + "--method sae --size 512 --k 16 --data " + samples + " --images " + IMAGES + " --positions "
                + POSITIONS + " --steps " + STEPS + " --features 3 --examples 3 --vis-steps 16 --as f4"));
        long t1 = System.nanoTime();
        fire8 = assertInstanceOf(DictionarySheet.class, run(new DictionaryMagic(), "squeezenet fire8/concat "
                + "--method sae --size " + FIRE8_SIZE + " --k 32 --data " + samples + " --images " + IMAGES
                + " --positions " + POSITIONS + " --steps " + STEPS + " --features 3 --examples 3 --vis-steps 16 "
                + "--as f8"));
        long t2 = System.nanoTime();
        System.out.printf(Locale.ROOT, "SqueezeNet dictionaries (%s run: %d images, %d positions each, %d steps)%n"
                + "  fire4/concat: %s (%.0f s)%n  fire8/concat: %s (%.0f s)%n", FULL ? "full" : "quick", IMAGES,
                POSITIONS, STEPS, fire4.dictionary(), (t1 - t0) / 1e9, fire8.dictionary(), (t2 - t1) / 1e9);
    }

    @AfterAll
    void close() {
        LoadedModels.of(context.session()).all().values().forEach(Model::close);
    }

    private static void checkQuality(FeatureDictionary d, int channels, int size, int k) {
        Quality q = d.quality();
        assertEquals(channels, d.channels());
        assertEquals(size, d.size());
        assertEquals(IMAGES * POSITIONS, q.vectors());
        assertTrue(q.varianceExplained() > 0.5 && q.varianceExplained() <= 1, d + ": variance explained");
        assertTrue(q.meanL0() > 0 && q.meanL0() <= k + 1e-9, d + ": mean L0 at most k");
        assertTrue(q.dead() >= 0 && q.dead() < size / 2, d + ": dead features");
        assertEquals(32, q.spliceImages());
        assertTrue(q.outputChange() > 0 && q.outputChange() < 1, d + ": spliced output change");
        assertTrue(q.top1Agreement() >= 0 && q.top1Agreement() <= 1, d + ": top-1 agreement");
    }

    @Test
    void fire4AndFire8DictionariesWithTheirQualityFigures() {
        checkQuality(fire4.dictionary(), 256, 512, 16);
        checkQuality(fire8.dictionary(), 512, FIRE8_SIZE, 32);
        for (DictionarySheet s : new DictionarySheet[] {fire4, fire8}) {
            assertEquals(3, s.rows().size());
            for (DictionarySheet.Row r : s.rows()) {
                assertNotNull(r.visualisation(), r.feature().toString());
                assertEquals(3, r.examples().size(), r.feature().toString());
                assertTrue(r.examples().get(0).id().endsWith(".JPEG"), r.examples().get(0).id());
            }
            assertInstanceOf(BufferedImage.class, s.representations().get("image/png"));
        }
    }

    @Test
    void theMostPolysemanticNeuronNextToTheFeaturesItSplitsInto() throws Exception {
        Polysemantic p = assertInstanceOf(Polysemantic.class, run(new PolysemanticMagic(), "squeezenet fire8/concat "
                + "--dictionary f8 --data " + samples + " --images 8 --examples 9 --clusters 3 "
                + "--vis-steps 16 --features 3 --feature-examples 3"));
        System.out.println(p);
        System.out.println(p.features());
        // the neuron the magic picked is the one with the highest score on the same sample
        Model model = LoadedModels.of(context.session()).get("squeezenet");
        FeatureDictionary f8 = fire8.dictionary();
        ActivationSample sample = ActivationSample.collect(model, "fire8/concat", ImageFolder.of(samples).limit(8),
                8, 64, f8.seed(), 16, Progress.NONE);
        double[] scores = Polysemantic.scores(f8, sample.vectors(), 0.01);
        int best = Polysemantic.mostPolysemantic(f8, sample.vectors());
        assertEquals(best, p.neuron().channel());
        for (double s : scores) {
            assertTrue(Double.isNaN(s) || s <= scores[best]);
        }
        System.out.printf(Locale.ROOT, "most polysemantic fire8/concat neuron: %d, %.1f effective features on the "
                + "sample (score on its own sample %.1f)%n", best, scores[best], p.score());
        assertTrue(p.score() > 1, p.toString());
        DictionarySheet sheet = p.features();
        assertEquals(3, sheet.rows().size());
        for (int i = 0; i < 3; i++) {
            DictionarySheet.Row r = sheet.rows().get(i);
            assertEquals(p.loadings().get(i).feature(), r.feature(), "the features of largest share, in order");
            assertEquals(p.loadings().get(i).share(), r.frequency(), 1e-12);
            assertNotNull(r.visualisation());
            assertEquals(3, r.examples().size());
        }
        BufferedImage png = assertInstanceOf(BufferedImage.class, p.representations().get("image/png"));
        assertTrue(png.getHeight() > sheet.figure().height(), "the neuron's facets and the features' sheet");
    }
}
