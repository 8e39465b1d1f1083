package org.circuitscope.featurevis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.circuitscope.featurevis.objectives.Objectives;
import org.circuitscope.featurevis.objectives.VisObjective;
import org.circuitscope.model.DjlSetup;
import org.circuitscope.model.Model;
import org.circuitscope.model.ModelException;
import org.circuitscope.onnx.TestGraphs;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Objective values and algebra on a small random network. */
class ObjectivesTest {
    private static Model model;

    @BeforeAll
    static void load() {
        model = TinyModel.create();
    }

    @AfterAll
    static void close() {
        model.close();
    }

    /** Values per image of {@code o} on a fixed random batch of 3. */
    private static float[] values(VisObjective o) {
        try (NDManager m = model.newManager()) {
            NDArray x = m.create(TestGraphs.random(3, 3, 3, 24, 24).data(), new Shape(3, 3, 24, 24));
            Map<String, NDArray> acts = new HashMap<>(model.forward(x, withoutInput(o)));
            acts.put(Objectives.INPUT, x);
            return o.perImage(acts).toFloatArray();
        }
    }

    private static List<String> withoutInput(VisObjective o) {
        return o.layers().stream().filter(l -> !l.equals(Objectives.INPUT)).toList();
    }

    @Test
    void algebraMatchesTheNumbers() {
        VisObjective a = Objectives.channel("r2", 3);
        VisObjective b = Objectives.neuron("r1", 5);
        float[] va = values(a);
        float[] vb = values(b);
        float[] sum = values(a.plus(b));
        float[] diff = values(a.minus(b));
        float[] scaled = values(a.times(2.5));
        float[] neg = values(a.negate());
        float[] combo = values(a.times(3).minus(b.negate()).plus(Objectives.l1().times(0)));
        for (int i = 0; i < 3; i++) {
            assertEquals(va[i] + vb[i], sum[i], 1e-4);
            assertEquals(va[i] - vb[i], diff[i], 1e-4);
            assertEquals(2.5f * va[i], scaled[i], 1e-4);
            assertEquals(-va[i], neg[i], 1e-6);
            assertEquals(3 * va[i] + vb[i], combo[i], 1e-3);
        }
        assertTrue(va[0] > 0 && va[0] != va[1], "the channel is active and differs between images");
        assertEquals("r2:3 + r1:5@centre", a.plus(b).description());
        assertEquals("-r2:3", a.negate().description());
    }

    @Test
    void channelIsTheSpatialMeanAndNeuronTheCentre() {
        try (NDManager m = model.newManager()) {
            NDArray x = m.create(TestGraphs.random(3, 3, 3, 24, 24).data(), new Shape(3, 3, 24, 24));
            NDArray r2 = model.forward(x, List.of("r2")).get("r2");
            float[] all = r2.toFloatArray(); // 3×16×12×12
            double mean = 0;
            for (int i = 0; i < 144; i++) {
                mean += all[3 * 144 + i];
            }
            assertEquals(mean / 144, values(Objectives.channel("r2", 3))[0], 1e-4);
            assertEquals(all[3 * 144 + 6 * 12 + 6], values(Objectives.neuron("r2", 3))[0], 1e-5);
            assertEquals(all[3 * 144 + 2 * 12 + 7], values(Objectives.unit("r2:3@2,7"))[0], 1e-5);
        }
        float[] dir = new float[16];
        dir[3] = 2;
        float[] d = values(Objectives.direction("r2", dir));
        float[] c = values(Objectives.channel("r2", 3));
        assertEquals(2 * c[1], d[1], 1e-4);
        float[] cos = values(Objectives.direction("r2", dir, 1));
        assertTrue(cos[1] > 0 && cos[1] < d[1], "the cosine factor is at most 1");
    }

    @Test
    void onImageOnlyTouchesThatImagesGradient() {
        VisObjective o = Objectives.channel("r3", 2).plus(Objectives.totalVariation().times(-0.01)).onImage(1);
        try (NDManager m = model.newManager()) {
            NDArray x = m.create(TestGraphs.random(4, 3, 3, 24, 24).data(), new Shape(3, 3, 24, 24));
            x.setRequiresGradient(true);
            float[] per;
            try (GradientCollector gc = DjlSetup.engine().newGradientCollector()) {
                Map<String, NDArray> acts = new HashMap<>(model.forward(x, List.of("r3")));
                acts.put(Objectives.INPUT, x);
                NDArray v = o.perImage(acts);
                per = v.toFloatArray();
                gc.backward(v.sum());
            }
            assertEquals(0, per[0], 0);
            assertEquals(0, per[2], 0);
            float[] g = x.getGradient().toFloatArray();
            int per1 = 3 * 24 * 24;
            double[] norm = new double[3];
            for (int i = 0; i < g.length; i++) {
                norm[i / per1] += Math.abs(g[i]);
            }
            assertEquals(0, norm[0]);
            assertEquals(0, norm[2]);
            assertTrue(norm[1] > 0);
        }
    }

    @Test
    void batchObjectives() {
        // diversity of identical images: every Gram matrix is the same, similarity (N-1)/N per image
        try (NDManager m = model.newManager()) {
            float[] one = TestGraphs.random(9, 1, 3, 24, 24).data();
            float[] three = new float[one.length * 3];
            for (int i = 0; i < 3; i++) {
                System.arraycopy(one, 0, three, i * one.length, one.length);
            }
            NDArray x = m.create(three, new Shape(3, 3, 24, 24));
            float[] div = Objectives.diversity("r2").perImage(model.forward(x, List.of("r2"))).toFloatArray();
            for (float v : div) {
                assertEquals(2f / 3, v, 1e-4);
            }
        }
        float[] distinct = values(Objectives.diversity("r2"));
        assertTrue(distinct[0] < 2f / 3, "different images are less alike: " + distinct[0]);
        // interpolation: image 0 is all channel a, image 2 all channel b, image 1 half of each
        float[] a = values(Objectives.channel("r1", 1));
        float[] b = values(Objectives.channel("r2", 4));
        float[] mix = values(Objectives.channelInterpolate("r1", 1, "r2", 4));
        assertEquals(a[0], mix[0], 1e-5);
        assertEquals((a[1] + b[1]) / 2, mix[1], 1e-4);
        assertEquals(b[2], mix[2], 1e-5);
        // two channels of the same layer
        float[] same = values(Objectives.channelInterpolate("r2", 1, "r2", 4));
        assertEquals(values(Objectives.channel("r2", 4))[2], same[2], 1e-5);
        // a sheet: image i reads channel i
        float[] sheet = values(Objectives.sheet("r2", 5, 6, 7));
        for (int i = 0; i < 3; i++) {
            assertEquals(values(Objectives.channel("r2", 5 + i))[i], sheet[i], 1e-5);
        }
    }

    @Test
    void regularisers() {
        float[] l1 = values(Objectives.l1(Objectives.INPUT, 0));
        float[] tv = values(Objectives.totalVariation());
        float[] blur = values(Objectives.blur());
        float[] l2 = values(Objectives.l2());
        for (int i = 0; i < 3; i++) {
            assertTrue(l1[i] > 0.3 * 3 * 24 * 24 && l1[i] < 0.7 * 3 * 24 * 24, "sum of uniform [0,1) pixels " + l1[i]);
            assertTrue(tv[i] > 0 && blur[i] > 0 && l2[i] > 0);
        }
    }

    @Test
    void validationNamesTheProblem() {
        ModelException unknown = assertThrows(ModelException.class,
                () -> Objectives.channel("r9", 0).validate(model, 1));
        assertTrue(unknown.getMessage().contains("r9"), unknown.getMessage());
        ModelException range = assertThrows(ModelException.class,
                () -> Objectives.channel("r2", 16).validate(model, 1));
        assertTrue(range.getMessage().contains("out of range") && range.getMessage().contains("16 channels"),
                range.getMessage());
        ModelException image = assertThrows(ModelException.class,
                () -> Objectives.channel("r2", 1).onImage(2).validate(model, 2));
        assertTrue(image.getMessage().contains("batch has 2 images"), image.getMessage());
        ModelException dir = assertThrows(ModelException.class,
                () -> Objectives.direction("r2", new float[3]).validate(model, 1));
        assertTrue(dir.getMessage().contains("non-zero"), dir.getMessage());
    }
}
