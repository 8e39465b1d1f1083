package org.circuitscope.census;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.circuitscope.activations.Hungarian;
import org.circuitscope.activations.UnitMatching;
import org.circuitscope.model.Model;
import org.circuitscope.model.Models;
import org.circuitscope.organism.World;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Table;

/** Matching units across models at matched positions, one-to-one, against the two controls. */
class SimilarityTest {

    private static double best(double[][] s, int row, boolean[] used) {
        if (row == s.length) {
            return 0;
        }
        double b = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < s[0].length; j++) {
            if (!used[j]) {
                used[j] = true;
                b = Math.max(b, s[row][j] + best(s, row + 1, used));
                used[j] = false;
            }
        }
        return b;
    }

    @Test
    void hungarianFindsTheBestOneToOneMatchingByBruteForce() {
        Random r = new Random(4);
        for (int[] shape : new int[][] {{5, 5}, {4, 6}, {3, 7}}) {
            for (int trial = 0; trial < 20; trial++) {
                double[][] s = new double[shape[0]][shape[1]];
                for (double[] row : s) {
                    for (int j = 0; j < row.length; j++) {
                        row[j] = r.nextGaussian();
                    }
                }
                int[] m = Hungarian.maximise(s);
                double total = 0;
                boolean[] seen = new boolean[shape[1]];
                for (int i = 0; i < m.length; i++) {
                    assertTrue(!seen[m[i]], "column used twice");
                    seen[m[i]] = true;
                    total += s[i][m[i]];
                }
                assertEquals(best(s, 0, new boolean[shape[1]]), total, 1e-9);
            }
        }
        // more rows than columns: every column used once, the rest unmatched
        int[] m = Hungarian.maximise(new double[][] {{1, 0}, {0, 1}, {5, 5}});
        assertEquals(2, java.util.Arrays.stream(m).filter(x -> x >= 0).count());
        assertTrue(m[2] >= 0);
    }

    @Test
    void aModelMatchesItselfOneToOneAtMatchedPositionsAndTheControlsDoNot() {
        try (Model first = Models.load("organism")) {
            var data = World.scenes(2031, 40);
            UnitMatching.Result self = UnitMatching.between(first, "conv3", first, "conv3").atMatchedPositions(3)
                    .run(data);
            assertEquals(40, self.images());
            int[] h = self.hungarian();
            int live = 0;
            for (int u = 0; u < h.length; u++) {
                if (self.correlation()[u][u] > 0.999) {
                    live++;
                    assertEquals(1.0, self.correlation()[u][h[u]], 1e-6, "conv3:" + u);
                }
            }
            assertTrue(live > 20, live + " live units");
            Similarity s = Similarity.of(first, "conv3", first, "conv3", data);
            System.out.println(s);
            System.out.println(s.distributions().print());
            assertTrue(s.randomWeights().medianBest() < s.real().medianBest() - 0.2, s.toString());
            assertTrue(s.shuffledImages().medianBest() < s.real().medianBest() - 0.2, s.toString());
            Table d = s.distributions();
            assertEquals(6, d.rowCount());
            assertTrue(d.stringColumn("matching").get(2).contains("shuffled weights"));
        }
    }

    @Test
    void shuffledWeightsKeepTheArchitectureAndChangeTheOutputs() {
        try (Model m = Models.load("organism"); Model r = m.withShuffledWeights(3)) {
            assertEquals(m.layers().names(), r.layers().names());
            float[] w = m.weights("conv2_pre_relu").data();
            float[] v = r.weights("conv2_pre_relu").data();
            float[] ws = w.clone();
            float[] vs = v.clone();
            java.util.Arrays.sort(ws);
            java.util.Arrays.sort(vs);
            assertArrayEquals(ws, vs, "the same values");
            assertNotEquals(java.util.Arrays.toString(w), java.util.Arrays.toString(v));
        }
    }

    @Test
    void secondTrainingIsMoreSimilarThanItsControls() {
        try (Model first = Models.load("organism"); Model second = Models.load(Models.SECOND_ORGANISM)) {
            Similarity s = Similarity.of(first, "conv3", second, "conv3", World.scenes(2032, 60));
            System.out.println(s);
            System.out.println(s.distributions().print());
            assertTrue(s.real().medianBest() > s.randomWeights().medianBest(), s.toString());
            assertTrue(s.real().medianBest() > s.shuffledImages().medianBest() + 0.1, s.toString());
        }
    }
}
