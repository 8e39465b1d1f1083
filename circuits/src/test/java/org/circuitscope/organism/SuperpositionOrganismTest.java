package org.circuitscope.organism;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import org.circuitscope.dictionary.FeatureDictionary;
import org.circuitscope.model.Model;
import org.circuitscope.model.ModelException;
import org.circuitscope.model.Models;
import org.circuitscope.progress.Progress;
import org.circuitscope.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * The superposition organism (conv4 narrowed to 8 channels, fewer than the world's 22 part types): committed,
 * small, right on fresh scenes; and the ground truth of superposition, the part-detection table of its best
 * neurons against its best dictionary features. {@code -Dcircuitscope.superposition.scenes=N} measures the table
 * on N scenes instead of 100.
 */
class SuperpositionOrganismTest {

    /** A world never used in training (seed 7) nor its held-out measurement (OrganismTrainer.heldOutSeed(7)). */
    private static final long FRESH_SEED = 20_251_203L;
    /** The narrow layer. */
    private static final String NARROW = "conv4";

    @Test
    void committedModelIsNarrowSmallAndSaysHowItWasMade() {
        try (Model m = Models.load(Models.SUPERPOSITION_ORGANISM)) {
            assertEquals("organism-superposition", m.name());
            assertEquals(World.CLASSES, m.labels());
            String source = m.metadata().get("source");
            System.out.println("organism-superposition: " + source);
            assertTrue(source.contains("--seed 7 --width 16 --channels 16,32,48,8,64 --steps 2400"), source);
            assertEquals(8, m.layers().get(NARROW).channels());
            assertTrue(m.layers().get(NARROW).channels() < World.parts().size(),
                    "the narrow layer must have fewer channels than the world has part types " + World.parts());
            assertEquals(48, m.layers().get("conv3").channels());
            assertEquals(64, m.layers().get("conv5").channels());
        }
        int bytes = readSize();
        assertTrue(bytes > 50_000 && bytes < 400_000, "size " + bytes);
        assertTrue(OrganismTrainer.heldOutSeed(7) != FRESH_SEED);
    }

    private static int readSize() {
        try (var in = Models.class.getResourceAsStream(
                "/org/circuitscope/models/organism/organism-superposition.onnx")) {
            return in.readAllBytes().length;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void rightOnFreshScenes() {
        int count = 1000;
        int right = 0;
        try (Model m = Models.load(Models.SUPERPOSITION_ORGANISM)) {
            for (int from = 0; from < count; from += 100) {
                List<BufferedImage> images = new ArrayList<>();
                List<String> labels = new ArrayList<>();
                for (int i = 0; i < 100; i++) {
                    Scene s = World.scene(FRESH_SEED, from + i);
                    images.add(s.render());
                    labels.add(s.label());
                }
                Tensor logits = m.logits(images);
                int k = World.CLASSES.size();
                for (int i = 0; i < 100; i++) {
                    int best = 0;
                    for (int c = 1; c < k; c++) {
                        if (logits.get(i, c) > logits.get(i, best)) {
                            best = c;
                        }
                    }
                    right += World.CLASSES.get(best).equals(labels.get(i)) ? 1 : 0;
                }
            }
        }
        double acc = right / (double) count;
        System.out.printf("organism-superposition held-out accuracy (%d scenes of seed %d): %.4f%n", count,
                FRESH_SEED, acc);
        assertTrue(acc >= 0.95, "held-out accuracy " + acc);
    }

    @Test
    void aucCountsTiesHalfAndLeavesOutTheLeftOut() {
        // scores 0, 1, 1, 2, 3 for rows 0..4
        float[] score = {0, 1, 1, 2, 3};
        long[] order = new long[score.length];
        for (int r = 0; r < score.length; r++) {
            order[r] = ((long) Float.floatToIntBits(score[r]) << 32) | r;
        }
        java.util.Arrays.sort(order);
        // positives 3, 4 above every negative: 1
        assertEquals(1.0, PartDetection.auc(order, new byte[] {0, 0, 0, 1, 1}, 2, 3), 1e-12);
        // the reverse: 0
        assertEquals(0.0, PartDetection.auc(order, new byte[] {1, 1, 1, 0, 0}, 3, 2), 1e-12);
        // a positive tied with a negative (rows 1, 2) counts half, row 4 is left out: pairs (1 > 0) 1, (1 = 1)
        // 0.5, (2 > 0) 1, (2 > 1) 1, of 4
        assertEquals(3.5 / 4, PartDetection.auc(order, new byte[] {0, 1, 0, 1, -1}, 2, 2), 1e-12);
        assertTrue(Double.isNaN(PartDetection.auc(order, new byte[] {0, 0, 0, 0, 0}, 0, 5)));
    }

    @Test
    void theWorldsPartTypesAreThoseItsScenesName() {
        List<String> parts = World.parts();
        assertEquals(22, parts.size(), parts.toString());
        for (int i = 0; i < 40; i++) {
            for (PartBox b : World.scene(3, i).parts()) {
                assertTrue(parts.contains(b.name()), b.name());
            }
        }
    }

    @Test
    void dictionaryFeaturesRecoverPartsThatNeuronsMix() {
        int scenes = Integer.getInteger("circuitscope.superposition.scenes", 100);
        try (Model m = Models.load(Models.SUPERPOSITION_ORGANISM)) {
            long t0 = System.currentTimeMillis();
            FeatureDictionary d = FeatureDictionary.learning(m, NARROW).method(FeatureDictionary.Method.SAE).size(32)
                    .k(2).images(100).positions(64).steps(1500).seed(1).spliceImages(0)
                    .learn(World.scenes(0, 100), Progress.NONE).named("parts");
            System.out.println(d);
            PartDetection t = PartDetection.of(m, NARROW).dictionary(d).scenes(2026, scenes).run(Progress.NONE);
            System.out.printf("learnt and measured in %.1fs%n", (System.currentTimeMillis() - t0) / 1000.0);
            System.out.println(t.summary());
            System.out.println(t.table().printAll());
            System.out.println(t.neurons().printAll());
            assertEquals(World.parts().size(), t.table().rowCount());
            assertEquals(8, t.neurons().rowCount());
            for (int k = 0; k < t.parts().size(); k++) {
                assertTrue(t.neuronAuc(k) >= 0 && t.neuronAuc(k) <= 1 && t.featureAuc(k) >= 0
                        && t.featureAuc(k) <= 1, t.parts().get(k));
            }
            int neurons = t.recoveredByNeurons(PartDetection.RECOVERED);
            int features = t.recoveredByFeatures(PartDetection.RECOVERED);
            // Measured (100 scenes of seed 2026, this SAE): AUC ≥ 0.9 for 2 part types by a single neuron (wheel
            // conv4:6 0.912, seat conv4:3 0.935) and 4 by a feature (window 0.905, wheel 0.917, seat 0.964, fin
            // 0.949); the best feature beats the best neuron on 19 of the 22 part types (by up to 0.16: head, snout; it loses on roof, door and tail by at most 0.023).
            // That is more, not "clearly more" at 0.9: most part types stay between 0.75 and 0.9 either way. The
            // effective number of features per neuron and the part types it detects at AUC ≥ 0.8 agree only weakly
            // (Spearman 0.36): conv4:3 (3.8 features) detects 4 part types, but conv4:0, the most mixed by the
            // dictionary (5.4), detects one.
            assertTrue(features >= neurons, "the dictionary recovers " + features + " part types at AUC ≥ 0.9, "
                    + "the neurons " + neurons);
            int better = 0;
            for (int k = 0; k < t.parts().size(); k++) {
                better += t.featureAuc(k) > t.neuronAuc(k) ? 1 : 0;
            }
            assertTrue(better > t.parts().size() / 2, "the best feature beats the best neuron on " + better + " of "
                    + t.parts().size() + " part types");
            assertThrows(ModelException.class, () -> PartDetection.of(m, "conv5").dictionary(d).run(Progress.NONE));
        }
    }
}
