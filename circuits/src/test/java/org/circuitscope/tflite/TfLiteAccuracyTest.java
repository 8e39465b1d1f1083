package org.circuitscope.tflite;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.circuitscope.model.Model;
import org.circuitscope.model.Models;
import org.circuitscope.tensor.Tensor;
import org.circuitscope.testing.SharedFixtures;
import org.circuitscope.testing.TopK;
import org.junit.jupiter.api.Test;

/**
 * The three ImageNet TensorFlow Lite models, loaded with no flags, reach the top-1 / top-5 of their README within
 * ±0.01 on the 1000 ImageNet samples with the preprocessing it was measured with: decode to RGB, central crop of
 * 0.875, PIL's bilinear resize ({@link PilPreprocessing}), so the pictures reach the model at its input size.
 * Class 0 of these models is "background", so ImageNet class k is output k + 1.
 *
 * <p>The three nets over 1000 images take about four CPU minutes, so the per-commit run takes every fourth image
 * (250 classes) and checks the figures a full run measured on that subset, within ±0.01 (2 images);
 * {@code -Dcircuitscope.tflite.accuracy=full} runs all 1000 against the README and prints the subset's figures too.
 */
class TfLiteAccuracyTest {
    /**
     * The README's figures on all 1000 images, and circuitscope's on the subset from a full run (which gave 0.418 /
     * 0.672, 0.660 / 0.860 and 0.867 / 0.975 on all 1000).
     */
    private record Expected(String file, double top1, double top5, double subsetTop1, double subsetTop5) {
    }

    private static final List<Expected> MODELS = List.of(
            new Expected("mobilenet_v1_0.25_128_quant.tflite", 0.426, 0.675, 0.440, 0.700),
            new Expected("mobilenet_v1_0.5_160_quant.tflite", 0.665, 0.864, 0.708, 0.876),
            new Expected("tf2_mobilenet_v2_1.0_224_ptq.tflite", 0.870, 0.977, 0.876, 0.972));
    private static final int SUBSET_STEP = 4;

    @Test
    void topOneAndTopFiveMatchTheReadme() throws IOException {
        boolean full = "full".equals(System.getProperty("circuitscope.tflite.accuracy"));
        Path dir = SharedFixtures.require("models/tflite");
        Path samples = SharedFixtures.imagenetSamples();
        List<Path> files;
        try (Stream<Path> s = Files.list(samples)) {
            files = s.filter(p -> p.toString().endsWith(".JPEG")).sorted().toList();
        }
        assertEquals(1000, files.size());
        List<Integer> indices = new ArrayList<>();
        for (int i = 0; i < files.size(); i += full ? 1 : SUBSET_STEP) {
            indices.add(i);
        }
        long start = System.nanoTime();
        long[] forward = new long[MODELS.size()];
        List<Model> models = new ArrayList<>();
        // [model][0: all, 1: subset][0: top-1 hits, 1: top-5 hits]
        int[][][] hits = new int[MODELS.size()][2][2];
        try {
            for (Expected e : MODELS) {
                models.add(Models.load(dir.resolve(e.file()).toString()));
            }
            int batch = 25;
            for (int from = 0; from < indices.size(); from += batch) {
                List<Integer> chunk = indices.subList(from, Math.min(indices.size(), from + batch));
                List<BufferedImage> decoded = new ArrayList<>();
                for (int i : chunk) {
                    decoded.add(ImageIO.read(files.get(i).toFile()));
                }
                for (int k = 0; k < MODELS.size(); k++) {
                    int size = models.get(k).input().height();
                    List<BufferedImage> images = decoded.stream()
                            .map(img -> PilPreprocessing.cropAndResize(img, 0.875f, size)).toList();
                    long t = System.nanoTime();
                    Tensor logits = models.get(k).logits(images);
                    forward[k] += System.nanoTime() - t;
                    for (int j = 0; j < chunk.size(); j++) {
                        int image = chunk.get(j);
                        int rank = TopK.rankOf(logits, j, image + 1); // files sorted by wnid; 0 is background
                        for (int set = 0; set < 2; set++) {
                            if (set == 0 || image % SUBSET_STEP == 0) {
                                hits[k][set][0] += rank == 0 ? 1 : 0;
                                hits[k][set][1] += rank < 5 ? 1 : 0;
                            }
                        }
                    }
                }
            }
        } finally {
            models.forEach(Model::close);
        }
        int subsetSize = (files.size() + SUBSET_STEP - 1) / SUBSET_STEP;
        System.out.printf("TFLite accuracy over %d images took %.0f s (forward passes %.0f, %.0f, %.0f s)%n",
                indices.size(), (System.nanoTime() - start) / 1e9, forward[0] / 1e9, forward[1] / 1e9,
                forward[2] / 1e9);
        for (int k = 0; k < MODELS.size(); k++) {
            Expected e = MODELS.get(k);
            double s1 = hits[k][1][0] / (double) subsetSize;
            double s5 = hits[k][1][1] / (double) subsetSize;
            if (full) {
                System.out.printf("%s: top-1 %.3f (README %.3f), top-5 %.3f (README %.3f); on every %dth image "
                        + "top-1 %.3f, top-5 %.3f%n", e.file(), hits[k][0][0] / 1000.0, e.top1(),
                        hits[k][0][1] / 1000.0, e.top5(), SUBSET_STEP, s1, s5);
            } else {
                System.out.printf("%s on every %dth image: top-1 %.3f (full run %.3f), top-5 %.3f (full run "
                        + "%.3f)%n", e.file(), SUBSET_STEP, s1, e.subsetTop1(), s5, e.subsetTop5());
            }
        }
        for (int k = 0; k < MODELS.size(); k++) {
            Expected e = MODELS.get(k);
            if (full) {
                assertEquals(e.top1(), hits[k][0][0] / 1000.0, 0.01, e.file() + " top-1");
                assertEquals(e.top5(), hits[k][0][1] / 1000.0, 0.01, e.file() + " top-5");
            } else {
                assertEquals(e.subsetTop1(), hits[k][1][0] / (double) subsetSize, 0.01, e.file() + " top-1");
                assertEquals(e.subsetTop5(), hits[k][1][1] / (double) subsetSize, 0.01, e.file() + " top-5");
            }
        }
    }
}
