package org.circuitscope.census;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.circuitscope.activations.UnitMatching;
import org.circuitscope.dictionary.FeatureDictionary;
import org.circuitscope.model.Model;
import org.circuitscope.model.Models;
import org.circuitscope.organism.World;
import org.circuitscope.progress.Progress;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Dictionary features matched across the two organism trainings: a small sparse autoencoder on each one's conv3,
 * features against features and against neurons, under the same two controls as units.
 */
class FeatureSimilarityTest {
    static Model first;
    static Model second;
    static Map<String, FeatureDictionary> dictionaries;

    @BeforeAll
    static void learn() {
        first = Models.load("organism");
        second = Models.load(Models.SECOND_ORGANISM);
        FeatureDictionary a = FeatureDictionary.learning(first, "conv3").method(FeatureDictionary.Method.SAE)
                .size(96).k(6).images(48).positions(32).steps(800).seed(2).spliceImages(0)
                .learn(World.scenes(11, 48), Progress.NONE).named("sae1");
        FeatureDictionary b = FeatureDictionary.learning(second, "conv3").method(FeatureDictionary.Method.SAE)
                .size(96).k(6).images(48).positions(32).steps(800).seed(2).spliceImages(0)
                .learn(World.scenes(11, 48), Progress.NONE).named("sae8");
        dictionaries = Map.of("sae1", a, "sae8", b);
    }

    @AfterAll
    static void close() {
        first.close();
        second.close();
    }

    @Test
    void aDictionaryMatchesItsOwnFeaturesOneToOne() {
        UnitMatching.Result self = UnitMatching.between(first, "conv3/sae1", first, "conv3/sae1", dictionaries)
                .atMatchedPositions(3).run(World.scenes(2031, 30));
        assertEquals(96, self.correlation().length);
        assertEquals("conv3/sae1", self.layerA());
        assertEquals("conv3/sae1:0", self.table().stringColumn(first.name() + " unit").get(0).replaceAll(":\\d+$",
                ":0"));
        int live = 0;
        for (int u = 0; u < 96; u++) {
            if (self.correlation()[u][u] > 0.999) {
                live++;
                assertEquals(1.0, self.correlation()[u][self.bestMatch(u)], 1e-6, "conv3/sae1:" + u);
            }
        }
        assertTrue(live > 48, live + " live features");
    }

    @Test
    void featuresAcrossTrainingsAgainstControlsAndAgainstNeurons() {
        var data = World.scenes(2032, 60);
        Similarity neurons = Similarity.of(first, "conv3", second, "conv3", data);
        Similarity features = Similarity.of(first, "conv3/sae1", second, "conv3/sae8", dictionaries, data);
        Similarity featureToNeuron = Similarity.of(first, "conv3/sae1", second, "conv3", dictionaries, data);
        Similarity neuronToFeature = Similarity.of(first, "conv3", second, "conv3/sae8", dictionaries, data);
        for (Similarity s : new Similarity[] {neurons, features, featureToNeuron, neuronToFeature}) {
            System.out.println(s);
            System.out.println(s.distributions().print());
        }
        assertEquals(96, features.real().correlation().length);
        assertEquals(96, features.real().correlation()[0].length);
        assertEquals(48, featureToNeuron.real().correlation()[0].length);
        // features recur across the two trainings, well above both controls
        assertTrue(features.real().medianBest() > features.shuffledImages().medianBest() + 0.1, features.toString());
        assertTrue(features.real().medianBest() > features.randomWeights().medianBest(), features.toString());
        assertTrue(featureToNeuron.real().medianBest() > featureToNeuron.shuffledImages().medianBest() + 0.1,
                featureToNeuron.toString());
    }

    @Test
    void aDictionaryOnTheWrongLayerOrWidthIsRefused() {
        var e = assertThrows(RuntimeException.class, () -> UnitMatching.between(first, "conv2/sae1", second,
                "conv3", dictionaries));
        assertTrue(e.getMessage().contains("conv3"), e.getMessage());
    }
}
