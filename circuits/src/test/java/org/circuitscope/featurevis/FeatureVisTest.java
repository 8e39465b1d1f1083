package org.circuitscope.featurevis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.circuitscope.featurevis.objectives.Objectives;
import org.circuitscope.featurevis.objectives.VisObjective;
import org.circuitscope.featurevis.param.ImageParams;
import org.circuitscope.featurevis.transform.Transforms;
import org.circuitscope.image.Images;
import org.circuitscope.model.Model;
import org.circuitscope.model.ModelException;
import org.circuitscope.progress.Progress;
import org.circuitscope.tensor.Tensor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The optimisation loop on a small random network: reproducibility, negatives, diversity, smoothness, interrupts. */
class FeatureVisTest {
    private static Model model;

    @BeforeAll
    static void load() {
        model = TinyModel.create();
    }

    @AfterAll
    static void close() {
        model.close();
    }

    private static int[] pixels(BufferedImage img) {
        return img.getRGB(0, 0, img.getWidth(), img.getHeight(), null, 0, img.getWidth());
    }

    /** The channel's mean activation on each image, at the images' own size. */
    static float[] activation(Model m, List<BufferedImage> images, String layer, int channel) {
        int h = images.get(0).getHeight();
        Tensor acts = m.run(Images.toTensor(images, h, images.get(0).getWidth()), layer).get(layer);
        int n = images.size();
        int c = (int) acts.dim(1);
        int plane = acts.size() / n / c;
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int k = 0; k < plane; k++) {
                s += acts.data()[(i * c + channel) * plane + k];
            }
            out[i] = (float) (s / plane);
        }
        return out;
    }

    @Test
    void sameSeedSameImageDifferentSeedDifferentImage() {
        FeatureVis vis = FeatureVis.of(model).objective(Objectives.channel("r2", 3)).size(32).steps(24);
        FeatureVisResult a = vis.seed(7).render();
        FeatureVisResult b = vis.seed(7).render();
        FeatureVisResult c = vis.seed(8).render();
        assertArrayEquals(pixels(a.image()), pixels(b.image()), "same seed, same image bit for bit");
        assertArrayEquals(a.trace(), b.trace());
        assertFalse(java.util.Arrays.equals(pixels(a.image()), pixels(c.image())), "another seed, another image");
        assertEquals(24, a.trace().length);
        assertTrue(a.trace()[23] > a.trace()[0], "the objective rises: " + a.trace()[0] + " → " + a.trace()[23]);
    }

    @Test
    void negativeVisualisationSuppressesTheUnit() {
        FeatureVisResult r = FeatureVis.of(model).objective(Objectives.channel("r2", 3).negate()).size(32).steps(48)
                .render();
        BufferedImage grey = new BufferedImage(32, 32, BufferedImage.TYPE_INT_RGB);
        java.awt.Graphics2D g = grey.createGraphics();
        g.setColor(new java.awt.Color(128, 128, 128));
        g.fillRect(0, 0, 32, 32);
        g.dispose();
        float onResult = activation(model, List.of(r.image()), "r2", 3)[0];
        float onGrey = activation(model, List.of(grey), "r2", 3)[0];
        FeatureVisResult pos = FeatureVis.of(model).objective(Objectives.channel("r2", 3)).size(32).steps(48)
                .render();
        float onPositive = activation(model, List.of(pos.image()), "r2", 3)[0];
        System.out.printf("r2:3 on negative %.4f, grey %.4f, positive %.4f%n", onResult, onGrey, onPositive);
        assertTrue(onResult < onGrey, "negative " + onResult + " < grey " + onGrey);
        assertTrue(onPositive > onGrey, "positive " + onPositive + " > grey " + onGrey);
        assertTrue(r.labels().get(0).startsWith("-"), r.labels().get(0));
    }

    /** Mean cosine similarity of the Gram matrices of each pair of images at a layer. */
    static double meanPairwiseSimilarity(Model m, List<BufferedImage> images, String layer) {
        float[] div = new float[images.size()];
        try (ai.djl.ndarray.NDManager nm = m.newManager()) {
            Tensor t = Images.toTensor(images, images.get(0).getHeight(), images.get(0).getWidth());
            ai.djl.ndarray.NDArray x = nm.create(t.data(), new ai.djl.ndarray.types.Shape(t.shape()));
            div = Objectives.diversity(layer).perImage(m.forward(x, List.of(layer))).toFloatArray();
        }
        double s = 0;
        for (float v : div) {
            s += v;
        }
        // each entry is Σ_{j≠i} sim / N: the mean over pairs is Σ entries / (N − 1)
        return s / (images.size() - 1);
    }

    @Test
    void diversityMakesTheBatchLessAlike() {
        VisObjective unit = Objectives.channel("r3", 1);
        FeatureVis vis = FeatureVis.of(model).size(32).steps(64).batch(4).seed(3);
        FeatureVisResult plain = vis.objective(unit).render();
        FeatureVisResult diverse = vis.objective(unit.minus(Objectives.diversity("r2").times(500))).render();
        double simPlain = meanPairwiseSimilarity(model, plain.images(), "r2");
        double simDiverse = meanPairwiseSimilarity(model, diverse.images(), "r2");
        System.out.printf("pairwise Gram similarity at r2: %.4f without diversity, %.4f with%n", simPlain,
                simDiverse);
        assertTrue(simDiverse < simPlain, simDiverse + " < " + simPlain);
    }

    @Test
    void fourierImagesHaveLessHighFrequencyEnergyThanPixels() {
        FeatureVis vis = FeatureVis.of(model).objective(Objectives.channel("r3", 5)).size(64).steps(96).seed(1);
        FeatureVisResult fft = vis.param(ImageParams.fourier()).render();
        FeatureVisResult pix = vis.param(ImageParams.pixel()).render();
        double hfFft = ImageStats.highFrequencyShare(fft.image());
        double hfPix = ImageStats.highFrequencyShare(pix.image());
        System.out.printf("energy above half Nyquist: fft %.4f, pixel %.4f (ratio %.2f)%n", hfFft, hfPix,
                hfPix / hfFft);
        assertTrue(hfFft < hfPix, hfFft + " < " + hfPix);
    }

    @Test
    void interruptKeepsTheImagesSoFar() {
        AtomicInteger asked = new AtomicInteger();
        Progress stopAfterFive = new Progress() {
            @Override
            public void update(long done, long total, String status) {
            }

            @Override
            public boolean cancelled() {
                return asked.incrementAndGet() > 5;
            }
        };
        FeatureVisResult r = FeatureVis.of(model).objective(Objectives.channel("r2", 1)).size(32).steps(500)
                .render(stopAfterFive);
        assertTrue(r.interrupted());
        assertEquals(5, r.steps());
        assertEquals(1, r.images().size());
        Map<String, Object> repr = r.representations();
        assertTrue(((String) repr.get("text/html")).contains("interrupted"));
        assertTrue(((String) repr.get("text/plain")).contains("INTERRUPTED"));
    }

    @Test
    void thresholdsKeepIntermediateImagesAndTheResultRenders() {
        FeatureVisResult r = FeatureVis.sheet(model, "r2", 0, 1, 2).size(32).steps(10).thresholds(4, 7).render();
        assertEquals(List.of(4, 7, 10), List.copyOf(r.snapshots().keySet()));
        assertEquals(3, r.images().size());
        assertEquals(List.of("r2:0", "r2:1", "r2:2"), r.labels());
        String html = (String) r.representations().get("text/html");
        assertTrue(html.contains("r2:1") && html.contains("data:image/png;base64,"), html.substring(0, 200));
        BufferedImage chart = r.chart();
        assertTrue(chart.getWidth() > 100);
        assertTrue(r.representations().get("image/png") instanceof BufferedImage);
    }

    @Test
    void startingFromAnImage() {
        BufferedImage start = new BufferedImage(32, 32, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 32; y++) {
            for (int x = 0; x < 32; x++) {
                start.setRGB(x, y, ((x * 8) << 16) | ((y * 8) << 8) | 0x60);
            }
        }
        for (var p : List.of(ImageParams.fourier(), ImageParams.pixel(), ImageParams.pixel(true))) {
            FeatureVisResult r = FeatureVis.of(model).objective(Objectives.channel("r2", 1)).param(p).size(32)
                    .steps(1).learningRate(1e-9).startFrom(start).render();
            int[] a = pixels(start);
            int[] b = pixels(r.image());
            int worst = 0;
            for (int i = 0; i < a.length; i++) {
                for (int s = 0; s < 24; s += 8) {
                    int va = Math.min(252, Math.max(3, (a[i] >> s) & 0xff));
                    worst = Math.max(worst, Math.abs(va - ((b[i] >> s) & 0xff)));
                }
            }
            assertTrue(worst <= 2, p + ": start image reproduced within 2/255, worst " + worst);
        }
    }

    @Test
    void badInputGivesClearMessages() {
        ModelException unknown = assertThrows(ModelException.class,
                () -> FeatureVis.of(model).objective("nope:1").steps(1).render());
        assertTrue(unknown.getMessage().contains("nope"), unknown.getMessage());
        ModelException range = assertThrows(ModelException.class,
                () -> FeatureVis.of(model).objective("r3:99").steps(1).render());
        assertTrue(range.getMessage().contains("out of range"), range.getMessage());
        ModelException tiny = assertThrows(ModelException.class,
                () -> FeatureVis.of(model).objective("p4:0").transforms(Transforms.none()).size(8).steps(1).render());
        assertTrue(tiny.getMessage().contains("too small"), tiny.getMessage());
        ModelException tooTiny = assertThrows(ModelException.class, () -> FeatureVis.of(model).size(4));
        assertTrue(tooTiny.getMessage().contains("too small"), tooTiny.getMessage());
        ModelException none = assertThrows(ModelException.class, () -> FeatureVis.of(model).render());
        assertTrue(none.getMessage().contains("no objective"), none.getMessage());
    }

    /** The position {row, column} where channel {@code channel} of {@code layer} is strongest on the image. */
    static int[] strongestPosition(Model m, BufferedImage img, String layer, int channel) {
        Tensor acts = m.run(Images.toTensor(List.of(img), img.getHeight(), img.getWidth()), layer).get(layer);
        int h = (int) acts.dim(2);
        int w = (int) acts.dim(3);
        int best = 0;
        float[] d = acts.data();
        for (int k = 1; k < h * w; k++) {
            if (d[channel * h * w + k] > d[channel * h * w + best]) {
                best = k;
            }
        }
        return new int[] {best / w, best % w};
    }

    @Test
    void theNeuronOptimisedIsTheOneNamedInTheLayersOwnCoordinates() {
        // r1 has stride 1 and r2 stride 2 on the 32x32 image; the transforms pad by 12 and crop by 12, so a position
        // read in the transformed activations would sit about 6 pixels up and left of the one named
        for (String unit : new String[] {"r1:2@9,22", "r1:5@23,8", "r2:3@4,11"}) {
            org.circuitscope.model.Unit.Neuron n = (org.circuitscope.model.Unit.Neuron)
                    org.circuitscope.model.Unit.parse(unit);
            FeatureVisResult r = FeatureVis.of(model).objective(unit).size(32).steps(64).seed(1).render();
            int[] at = strongestPosition(model, r.image(), n.layer(), n.channel());
            System.out.printf("%s: strongest at %d,%d%n", unit, at[0], at[1]);
            assertTrue(Math.abs(at[0] - n.y()) <= 1 && Math.abs(at[1] - n.x()) <= 1, unit + " is strongest at "
                    + at[0] + "," + at[1] + " of its own layer");
        }
        ModelException outside = assertThrows(ModelException.class,
                () -> FeatureVis.of(model).objective("r2:3@16,2").size(32).steps(1).render());
        assertTrue(outside.getMessage().contains("outside layer 'r2'") && outside.getMessage().contains("16x16"),
                outside.getMessage());
    }
}
