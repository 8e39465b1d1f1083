package org.circuitscope.featurevis;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.circuitscope.featurevis.objectives.Objectives;
import org.circuitscope.featurevis.objectives.VisObjective;
import org.circuitscope.image.Images;
import org.circuitscope.model.Model;
import org.circuitscope.model.ModelException;
import org.circuitscope.model.Models;
import org.circuitscope.tensor.Tensor;
import org.circuitscope.testing.SharedFixtures;
import org.junit.jupiter.api.Test;

/**
 * On SqueezeNet: visualisations of units across fire2–fire9 excite their unit more than the best of the 1000
 * ImageNet sample images does at the same input size.
 */
class SqueezeNetFeatureVisTest {
    private static final String[] LAYERS = {"fire2/concat", "fire3/concat", "fire4/concat", "fire5/concat",
        "fire6/concat", "fire7/concat", "fire8/concat", "fire9/concat"};
    private static final int[] CHANNELS = {5, 40, 12, 100, 200, 33, 300, 411};
    private static final int SIZE = 128;
    private static final int STEPS = 128;

    @Test
    void visualisationsBeatTheBestImageNetSample() throws IOException {
        Path onnx = SharedFixtures.squeezenet();
        Path samples = SharedFixtures.imagenetSamples();
        try (Model model = Models.loadFile(onnx, null)) {
            // one batched optimisation: image i maximises unit i
            VisObjective objective = null;
            List<String> names = new ArrayList<>();
            for (int i = 0; i < LAYERS.length; i++) {
                VisObjective o = Objectives.channel(LAYERS[i], CHANNELS[i]).onImage(i);
                objective = objective == null ? o : objective.plus(o);
                names.add(LAYERS[i] + ":" + CHANNELS[i]);
            }
            long t0 = System.nanoTime();
            FeatureVisResult vis = FeatureVis.of(model).objective(objective).batch(LAYERS.length).size(SIZE)
                    .steps(STEPS).seed(0).labels(names).render();
            double visSeconds = (System.nanoTime() - t0) / 1e9;
            double[] onVis = unitMeans(model, vis.images());

            t0 = System.nanoTime();
            double[] best = new double[LAYERS.length];
            String[] bestName = new String[LAYERS.length];
            List<Path> files;
            try (Stream<Path> s = Files.list(samples)) {
                files = s.filter(p -> p.toString().toLowerCase().endsWith(".jpeg")).sorted().toList();
            }
            for (int start = 0; start < files.size(); start += 50) {
                List<BufferedImage> batch = new ArrayList<>();
                List<Path> chunk = files.subList(start, Math.min(files.size(), start + 50));
                for (Path p : chunk) {
                    batch.add(Images.resize(ImageIO.read(p.toFile()), SIZE, SIZE));
                }
                double[][] means = unitMeansPerImage(model, batch);
                for (int k = 0; k < batch.size(); k++) {
                    for (int i = 0; i < LAYERS.length; i++) {
                        if (means[k][i] > best[i]) {
                            best[i] = means[k][i];
                            bestName[i] = chunk.get(k).getFileName().toString();
                        }
                    }
                }
            }
            double dataSeconds = (System.nanoTime() - t0) / 1e9;
            double[] ratios = new double[LAYERS.length];
            for (int i = 0; i < LAYERS.length; i++) {
                ratios[i] = onVis[i] / best[i];
                System.out.printf("%-16s vis %9.2f  best sample %9.2f (%s)  ratio %.2f%n", names.get(i), onVis[i],
                        best[i], bestName[i], ratios[i]);
            }
            double[] sorted = ratios.clone();
            Arrays.sort(sorted);
            System.out.printf("ratio vis/best-of-%d: min %.2f, median %.2f, max %.2f (%d steps at %d px, batch "
                            + "%d: %.1f s; %d samples: %.1f s)%n", files.size(), sorted[0],
                    (sorted[3] + sorted[4]) / 2, sorted[7], STEPS, SIZE, LAYERS.length, visSeconds, files.size(),
                    dataSeconds);
            for (int i = 0; i < LAYERS.length; i++) {
                assertTrue(ratios[i] > 1, names.get(i) + ": visualisation " + onVis[i] + " vs best sample "
                        + best[i]);
            }
        }
    }

    @Test
    void sizeTooSmallForSqueezeNet() {
        Path onnx = SharedFixtures.squeezenet();
        try (Model model = Models.loadFile(onnx, null)) {
            ModelException e = org.junit.jupiter.api.Assertions.assertThrows(ModelException.class,
                    () -> FeatureVis.of(model).objective("fire9/concat:3").size(8).steps(1).render());
            assertTrue(e.getMessage().contains("too small") && e.getMessage().contains("227"), e.getMessage());
        }
    }

    /** Unit i's channel mean on image i. */
    private static double[] unitMeans(Model model, List<BufferedImage> images) {
        double[][] all = unitMeansPerImage(model, images);
        double[] out = new double[LAYERS.length];
        for (int i = 0; i < LAYERS.length; i++) {
            out[i] = all[i][i];
        }
        return out;
    }

    /** [image][unit] channel means. */
    private static double[][] unitMeansPerImage(Model model, List<BufferedImage> images) {
        Map<String, Tensor> acts = model.run(Images.toTensor(images, SIZE, SIZE), LAYERS);
        double[][] out = new double[images.size()][LAYERS.length];
        for (int i = 0; i < LAYERS.length; i++) {
            Tensor t = acts.get(LAYERS[i]);
            int c = (int) t.dim(1);
            int plane = (int) (t.dim(2) * t.dim(3));
            for (int n = 0; n < images.size(); n++) {
                double s = 0;
                int base = (n * c + CHANNELS[i]) * plane;
                for (int k = 0; k < plane; k++) {
                    s += t.data()[base + k];
                }
                out[n][i] = s / plane;
            }
        }
        return out;
    }
}
