package org.circuitscope.dictionary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import java.util.Map;
import org.circuitscope.activations.ActivationResult;
import org.circuitscope.activations.Activations;
import org.circuitscope.activations.Reduce;
import org.circuitscope.circuit.Attribution;
import org.circuitscope.circuit.AttributionResult;
import org.circuitscope.examples.DatasetExamples;
import org.circuitscope.examples.ExamplesResult;
import org.circuitscope.featurevis.FeatureVis;
import org.circuitscope.featurevis.FeatureVisResult;
import org.circuitscope.featurevis.objectives.Objectives;
import org.circuitscope.model.Model;
import org.circuitscope.model.ModelException;
import org.circuitscope.model.Models;
import org.circuitscope.model.Unit;
import org.circuitscope.organism.World;
import org.circuitscope.progress.Progress;
import org.circuitscope.stimuli.Stimuli;
import org.circuitscope.stimuli.TuningCurve;
import org.circuitscope.tensor.Tensor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A dictionary learnt on the embedded organism's conv3, its quality, and its features in every instrument. */
class DictionaryOnOrganismTest {
    static Model model;
    static FeatureDictionary sae;

    @BeforeAll
    static void learn() {
        model = Models.load(Models.DEFAULT);
        sae = FeatureDictionary.learning(model, "conv3").method(FeatureDictionary.Method.SAE).size(96).k(6).images(48)
                .positions(32).steps(800).seed(2).spliceImages(24).learn(World.scenes(11, 200), Progress.NONE);
        System.out.println(sae);
    }

    @AfterAll
    static void close() {
        model.close();
    }

    @Test
    void qualityFiguresAreMeasured() {
        Quality q = sae.quality();
        assertEquals(48 * 32, q.vectors());
        assertTrue(q.varianceExplained() > 0.5 && q.varianceExplained() <= 1, q.toString());
        assertTrue(q.meanL0() > 0 && q.meanL0() <= 6 + 1e-9, q.toString());
        assertEquals(24, q.spliceImages());
        assertTrue(q.outputChange() >= 0 && q.outputChange() < 1, q.toString());
        assertTrue(q.top1Agreement() >= 0 && q.top1Agreement() <= 1, q.toString());
        // replacing the layer by something unrelated changes the output far more than the reconstruction does
        FeatureDictionary pca1 = FeatureDictionary.learning(model, "conv3").method(FeatureDictionary.Method.PCA).size(1).images(16)
                .positions(16).spliceImages(24).learn(World.scenes(11, 200), Progress.NONE);
        System.out.println(pca1);
        assertTrue(pca1.quality().outputChange() > q.outputChange(), "one principal component splices worse: "
                + pca1.quality() + " vs " + q);
    }

    @Test
    void featuresParseAsUnitsAndReadTheirEncoder() {
        Map<String, FeatureDictionary> named = Map.of("sae", sae);
        Unit u = Unit.parse("conv3/sae:17", named);
        Unit.Feature f = assertInstanceOf(Unit.Feature.class, u);
        assertEquals("conv3/sae:17", f.toString());
        assertEquals(Unit.channel("fire4/concat", 12), Unit.parse("fire4/concat:12", named), "not a dictionary");
        assertTrue(assertThrows(ModelException.class, () -> Unit.parse("conv3/sae:96", named)).getMessage()
                .contains("96 features"));
        assertTrue(assertThrows(ModelException.class, () -> Unit.parse("conv2/sae:1", named)).getMessage()
                .contains("learnt on layer 'conv3'"));
        // the unit's map equals the dictionary's pre-top-k encoder on the same vectors
        try (NDManager m = model.newManager()) {
            Tensor in = model.input().images(World.scenes(5, 2).iterator().next().image() == null ? List.of()
                    : List.of(World.scenes(5, 2).iterator().next().image()));
            NDArray x = m.create(in.data(), new Shape(in.shape()));
            NDArray a = model.forward(x, List.of("conv3")).get("conv3");
            float[] map = f.map(a).toFloatArray();
            float[] d = a.toFloatArray();
            int hw = (int) (a.getShape().get(2) * a.getShape().get(3));
            for (int p = 0; p < hw; p += 37) {
                assertEquals(f.at(d, 0, hw, p), map[p], 1e-4f);
            }
        }
    }

    @Test
    void everyInstrumentTakesAFeature() {
        Map<String, FeatureDictionary> named = Map.of("sae", sae);
        // the feature most often active on the sample
        int best = mostActive();
        Unit.Feature f = sae.feature(best);
        ExamplesResult ex = DatasetExamples.of(model, f).k(3).run(World.scenes(12, 40));
        assertEquals(3, ex.examples().size());
        assertTrue(ex.examples().get(0).value() > 0, "the feature fires on its top example");
        // the example's value is the feature's map at the example's position
        FeatureVisResult vis = FeatureVis.of(model).objective(Objectives.unit(f)).size(64).steps(96).seed(1)
                .render();
        double[] trace = vis.trace();
        double first = java.util.Arrays.stream(trace, 0, 8).average().orElseThrow();
        double last = java.util.Arrays.stream(trace, trace.length - 8, trace.length).average().orElseThrow();
        System.out.printf("feature %s: top example %.3f; featurevis objective %.3f -> %.3f (means of 8 steps)%n", f,
                ex.examples().get(0).value(), first, last);
        assertTrue(last > first + 0.1, "optimisation raises the feature (measured 1.18 -> 1.34 for the most active one)");
        TuningCurve tc = TuningCurve.of(model, f, Stimuli.curves());
        assertTrue(tc.responses().length > 0);
        AttributionResult attr = Attribution.of(model, "conv3/sae:" + best, named).from("conv2").limit(8)
                .run(World.scenes(13, 8));
        assertEquals(f, attr.unit());
        assertEquals(32, attr.perChannel().length);
        ActivationResult acts = Activations.of(model).dictionaries(named).layers("conv3/sae", "conv3")
                .reduce(Reduce.MAX).run(World.scenes(12, 40));
        float[] col = acts.column("conv3/sae:" + best);
        assertEquals(40, col.length);
        float top = 0;
        for (float v : col) {
            top = Math.max(top, v);
        }
        assertEquals(ex.examples().get(0).value(), top, 1e-4f, "the column's max is the top example's value");
    }

    private static int mostActive() {
        org.nd4j.linalg.api.ndarray.INDArray x = ActivationSample.collect(model, "conv3", World.scenes(11, 200), 8,
                32, 2, 8, Progress.NONE).vectors();
        float[] fired = sae.encode(x).gt(0).castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT).sum(0).data()
                .asFloat();
        int best = 0;
        for (int i = 1; i < fired.length; i++) {
            if (fired[i] > fired[best]) {
                best = i;
            }
        }
        return best;
    }
}
