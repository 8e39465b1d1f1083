package org.circuitscope.organism;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Short training runs: the loss goes down, and the same seed gives the same weights. */
class OrganismTrainingTest {

    private static final OrganismTrainer.Config SHORT = new OrganismTrainer.Config(11, 8, 40, 16, 5e-3, 1, 0, 0);

    @Test
    void lossDecreasesAndTheSameSeedGivesTheSameWeights() {
        long t0 = System.currentTimeMillis();
        OrganismTrainer.Result a = OrganismTrainer.train(SHORT, null);
        OrganismTrainer.Result b = OrganismTrainer.train(SHORT, null);
        long millis = System.currentTimeMillis() - t0;

        float[] l = a.losses();
        assertEquals(40, l.length);
        double first = mean(l, 0, 10);
        double last = mean(l, 30, 40);
        System.out.printf("short organism run: loss %.4f -> %.4f; two runs in %d ms%n", first, last, millis);
        assertTrue(first > 1.8 && first < 2.6, "the start should be near ln 8, got " + first);
        assertTrue(last < first - 0.05, "loss did not decrease: " + first + " -> " + last);

        double diff = a.net().maxAbsDifference(b.net());
        System.out.println("same seed, max weight difference: " + diff + (diff == 0 ? " (bitwise identical)" : ""));
        assertTrue(diff <= 1e-6, "same seed gave weights differing by " + diff);
        for (int i = 0; i < l.length; i++) {
            assertEquals(l[i], b.losses()[i], 1e-6);
        }

        OrganismNet other = OrganismTrainer.train(new OrganismTrainer.Config(12, 8, 5, 16, 5e-3, 1, 0, 0), null).net();
        assertTrue(other.maxAbsDifference(a.net()) > 1e-3, "another seed should give other weights");
    }

    @Test
    void theTrainOrganismCommandWritesALoadableModelAndRejectsUnknownOptions(@TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Path out = dir.resolve("tiny.onnx");
        TrainOrganism.main(new String[] {"--seed", "9", "--width", "4", "--steps", "3", "--batch", "8",
            "--eval", "16", "--out", out.toString()});
        try (org.circuitscope.model.Model m = org.circuitscope.model.Models.load(out.toString())) {
            assertEquals(World.CLASSES, m.labels());
            assertTrue(m.metadata().get("source").contains("--seed 9 --width 4 --steps 3"),
                    m.metadata().get("source"));
            assertEquals(4, m.layers().get("conv1").channels());
        }
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> TrainOrganism.main(new String[] {"--bogus", "1"}));
        assertTrue(bad.getMessage().contains("--bogus"), bad.getMessage());
    }

    @Test
    void initialWeightsComeFromTheSeed() {
        OrganismNet a = OrganismNet.initial(16, 8, 7);
        assertEquals(0, a.maxAbsDifference(OrganismNet.initial(16, 8, 7)));
        assertTrue(a.maxAbsDifference(OrganismNet.initial(16, 8, 8)) > 0);
        assertEquals(java.util.List.of("conv1.weight", "conv1.bias", "conv2.weight", "conv2.bias", "conv3.weight",
                "conv3.bias", "conv4.weight", "conv4.bias", "conv5.weight", "conv5.bias", "logits.weight",
                "logits.bias"), a.parameterNames());
        assertEquals(java.util.List.of(64L, 48L, 3L, 3L),
                java.util.Arrays.stream(a.shape("conv4.weight")).boxed().toList());
        assertEquals(84120, a.parameterCount());
    }

    private static double mean(float[] v, int from, int to) {
        double s = 0;
        for (int i = from; i < to; i++) {
            s += v[i];
        }
        return s / (to - from);
    }
}
