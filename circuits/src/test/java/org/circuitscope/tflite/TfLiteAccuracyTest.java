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
 * The three ImageNet TensorFlow Lite models, loaded with no flags but the central crop of 0.875 their README names,
 * reach its top-1 / top-5 within ±0.01 on the 1000 ImageNet samples (decode to RGB, central crop, bilinear
 * resize). Class 0 of these models is "background", so ImageNet class k is output k + 1.
 */
class TfLiteAccuracyTest {
    private record Expected(String file, double top1, double top5) {
    }

    private static final List<Expected> MODELS = List.of(
            new Expected("mobilenet_v1_0.25_128_quant.tflite", 0.426, 0.675),
            new Expected("mobilenet_v1_0.5_160_quant.tflite", 0.665, 0.864),
            new Expected("tf2_mobilenet_v2_1.0_224_ptq.tflite", 0.870, 0.977));

    @Test
    void topOneAndTopFiveMatchTheReadme() throws IOException {
        Path dir = SharedFixtures.require("models/tflite");
        Path samples = SharedFixtures.imagenetSamples();
        List<Path> files;
        try (Stream<Path> s = Files.list(samples)) {
            files = s.filter(p -> p.toString().endsWith(".JPEG")).sorted().toList();
        }
        assertEquals(1000, files.size());
        long start = System.nanoTime();
        List<Model> models = new ArrayList<>();
        int[] top1 = new int[MODELS.size()];
        int[] top5 = new int[MODELS.size()];
        try {
            for (Expected e : MODELS) {
                Model m = Models.load(dir.resolve(e.file()).toString());
                models.add(m.withInput(m.input().withCrop(0.875f)));
                models.add(m);
            }
            int batch = 25;
            for (int from = 0; from < files.size(); from += batch) {
                List<BufferedImage> images = new ArrayList<>();
                for (Path f : files.subList(from, Math.min(files.size(), from + batch))) {
                    images.add(ImageIO.read(f.toFile()));
                }
                for (int k = 0; k < MODELS.size(); k++) {
                    Tensor logits = models.get(2 * k).logits(images);
                    for (int i = 0; i < images.size(); i++) {
                        int rank = TopK.rankOf(logits, i, from + i + 1); // files sorted by wnid; 0 is background
                        top1[k] += rank == 0 ? 1 : 0;
                        top5[k] += rank < 5 ? 1 : 0;
                    }
                }
            }
        } finally {
            for (int i = models.size() - 1; i >= 0; i--) {
                models.get(i).close();
            }
        }
        System.out.printf("TFLite accuracy over %d images took %.0f s%n", files.size(),
                (System.nanoTime() - start) / 1e9);
        for (int k = 0; k < MODELS.size(); k++) {
            Expected e = MODELS.get(k);
            double a1 = top1[k] / (double) files.size();
            double a5 = top5[k] / (double) files.size();
            System.out.printf("%s: top-1 %.3f (README %.3f), top-5 %.3f (README %.3f)%n", e.file(), a1, e.top1(),
                    a5, e.top5());
        }
        for (int k = 0; k < MODELS.size(); k++) {
            Expected e = MODELS.get(k);
            assertEquals(e.top1(), top1[k] / (double) files.size(), 0.01, e.file() + " top-1");
            assertEquals(e.top5(), top5[k] / (double) files.size(), 0.01, e.file() + " top-5");
        }
    }
}
