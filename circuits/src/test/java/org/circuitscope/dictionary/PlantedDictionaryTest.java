package org.circuitscope.dictionary;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.circuitscope.progress.Progress;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Dictionary learning on synthetic vectors made from a known sparse dictionary: each vector is a non-negative
 * combination of a few planted atoms. A method recovers the dictionary when every planted atom has a learnt
 * feature whose direction is close to it (cosine), the measure of Sharkey et al.'s toy models.
 */
class PlantedDictionaryTest {

    /** Atoms (rows, unit length) and vectors from them: each vector has 1..active atoms, amounts in [0.5, 1.5). */
    record Planted(float[][] atoms, INDArray x) {
    }

    static Planted plant(int atoms, int channels, int n, int active, boolean nonNegative, long seed) {
        Random r = new Random(seed);
        float[][] a = new float[atoms][channels];
        for (int i = 0; i < atoms; i++) {
            double norm = 0;
            for (int j = 0; j < channels; j++) {
                // non-negative atoms: a random support of about half the channels
                a[i][j] = nonNegative ? (r.nextDouble() < 0.4 ? (float) r.nextDouble() : 0f)
                        : (float) r.nextGaussian();
                norm += a[i][j] * a[i][j];
            }
            for (int j = 0; j < channels; j++) {
                a[i][j] /= (float) Math.sqrt(norm);
            }
        }
        float[][] x = new float[n][channels];
        for (int s = 0; s < n; s++) {
            int count = 1 + r.nextInt(active);
            for (int t = 0; t < count; t++) {
                int atom = r.nextInt(atoms);
                float amount = (float) (0.5 + r.nextDouble());
                for (int j = 0; j < channels; j++) {
                    x[s][j] += amount * a[atom][j];
                }
            }
        }
        return new Planted(a, Nd4j.create(x));
    }

    /** For each planted atom, the best cosine with a learnt direction. */
    static double[] recovery(float[][] atoms, FeatureDictionary d) {
        double[] best = new double[atoms.length];
        for (int i = 0; i < atoms.length; i++) {
            best[i] = -1;
            for (int f = 0; f < d.size(); f++) {
                float[] v = d.direction(f);
                double dot = 0;
                double nv = 0;
                for (int j = 0; j < v.length; j++) {
                    dot += v[j] * atoms[i][j];
                    nv += v[j] * v[j];
                }
                best[i] = Math.max(best[i], dot / Math.sqrt(Math.max(1e-30, nv)));
            }
        }
        return best;
    }

    static double mean(double[] v) {
        return java.util.Arrays.stream(v).average().orElse(Double.NaN);
    }

    static double min(double[] v) {
        return java.util.Arrays.stream(v).min().orElse(Double.NaN);
    }

    @Test
    void nmfRecoversPlantedNonNegativeParts() {
        Planted p = plant(12, 24, 3000, 3, true, 3);
        FeatureDictionary d = FeatureDictionary.fit(p.x(), new FeatureDictionary.Options(FeatureDictionary.Method.NMF, 12, 0, 0, 400, 0.01, 5),
                "synthetic", "x", Progress.NONE);
        double[] cos = recovery(p.atoms(), d);
        System.out.printf("NMF on 12 planted non-negative atoms in 24 channels: mean cosine %.4f, worst %.4f; %s%n",
                mean(cos), min(cos), d.quality());
        assertTrue(min(cos) > 0.95, "every planted atom recovered within cosine 0.95: worst " + min(cos));
        assertTrue(d.quality().varianceExplained() > 0.98, d.quality().toString());
    }

    @Test
    void sparseAutoencoderRecoversAnOvercompleteDictionary() {
        // 32 atoms in 16 channels: more directions than dimensions, as in superposition; 64 latents (4·C)
        Planted p = plant(32, 16, 20000, 3, false, 4);
        FeatureDictionary d = FeatureDictionary.fit(p.x(), new FeatureDictionary.Options(FeatureDictionary.Method.SAE, 64, 3, 6000, 0, 0, 7),
                "synthetic", "x", Progress.NONE);
        double[] cos = recovery(p.atoms(), d);
        long above = java.util.Arrays.stream(cos).filter(c -> c > 0.9).count();
        System.out.printf("TopK SAE (64 latents, k=3) on 32 planted atoms in 16 channels: mean cosine %.4f, "
                + "worst %.4f, %d of 32 above 0.9; %s%n", mean(cos), min(cos), above, d.quality());
        // measured: mean 0.995, worst 0.988 (32 latents, the atoms' own number, leaves 3 atoms below 0.9)
        assertTrue(mean(cos) > 0.98, "mean cosine above 0.98: " + mean(cos));
        assertTrue(min(cos) > 0.95, "every planted atom recovered within cosine 0.95: worst " + min(cos));
        assertTrue(d.quality().meanL0() <= 3.0 + 1e-9, "TopK keeps at most k codes");
    }

    @Test
    void pcaFindsTheDominantDirectionsAndEverythingIsReproducibleAndSavable() throws Exception {
        Planted p = plant(6, 8, 2000, 2, false, 9);
        FeatureDictionary a = FeatureDictionary.fit(p.x(), FeatureDictionary.Options.of(FeatureDictionary.Method.PCA, 8, 0), "synthetic", "x",
                Progress.NONE);
        assertEquals(1.0, a.quality().varianceExplained(), 1e-4, "all 8 components explain everything");
        FeatureDictionary b = FeatureDictionary.fit(p.x(), FeatureDictionary.Options.of(FeatureDictionary.Method.PCA, 8, 0), "synthetic", "x",
                Progress.NONE);
        assertArrayEquals(a.direction(0), b.direction(0), 1e-6f);
        FeatureDictionary s1 = FeatureDictionary.fit(p.x(), new FeatureDictionary.Options(FeatureDictionary.Method.SAE, 16, 2, 200, 0, 0, 3),
                "synthetic", "x", Progress.NONE);
        FeatureDictionary s2 = FeatureDictionary.fit(p.x(), new FeatureDictionary.Options(FeatureDictionary.Method.SAE, 16, 2, 200, 0, 0, 3),
                "synthetic", "x", Progress.NONE);
        assertArrayEquals(s1.direction(5), s2.direction(5), 0f, "same seed, same autoencoder");
        Path file = Files.createTempFile("dict", ".dict");
        try {
            s1.named("mine").save(file);
            FeatureDictionary back = FeatureDictionary.load(file);
            assertEquals("mine", back.name());
            assertEquals(s1.quality(), back.quality());
            assertArrayEquals(s1.feature(3).weights(), back.feature(3).weights(), 0f);
            INDArray x = p.x().get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 50),
                    org.nd4j.linalg.indexing.NDArrayIndex.all());
            assertTrue(s1.reconstruct(x).equalsWithEps(back.reconstruct(x), 1e-6));
        } finally {
            Files.deleteIfExists(file);
        }
    }

    @Test
    void trainingStopsWhenCancelled() {
        Planted p = plant(8, 8, 2000, 2, false, 1);
        int[] calls = {0};
        Progress stopSoon = new Progress() {
            @Override
            public void update(long done, long total, String status) {
                calls[0]++;
            }

            @Override
            public boolean cancelled() {
                return calls[0] >= 2;
            }
        };
        SparseAutoencoder.Trained t = SparseAutoencoder.topK(16, 2).steps(100000).train(p.x(), stopSoon);
        assertTrue(t.partial() && t.steps() == 100, "stopped after two progress reports: " + t.steps());
    }
}
