package org.circuitscope.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.circuitscope.activations.ActivationResult;
import org.circuitscope.activations.Activations;
import org.circuitscope.activations.Reduce;
import org.circuitscope.census.Census;
import org.circuitscope.census.Rules;
import org.circuitscope.data.ImageSource;
import org.circuitscope.data.Sample;
import org.circuitscope.examples.DatasetExamples;
import org.circuitscope.examples.Example;
import org.circuitscope.examples.ExamplesResult;
import org.circuitscope.featurevis.FeatureVis;
import org.circuitscope.featurevis.FeatureVisResult;
import org.circuitscope.model.Model;
import org.circuitscope.model.Models;
import org.circuitscope.model.Unit;
import org.circuitscope.organism.World;
import org.circuitscope.progress.Progress;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Spark's local mode with two task threads gives what the single-JVM path gives on the organism's world: the same
 * activations (to float precision), the same top-k and bottom-k examples in the same order, the same histograms;
 * an unreadable image is reported, not dropped; a layer sheet of feature visualisations optimised across tasks has
 * the single-JVM sheet's images pixel for pixel; the census of two models' layers, one task each, has the single-JVM
 * census's verdicts.
 */
class SparkJobsTest {
    static final long SEED = 2024;
    static final int N = 160;
    static SparkJobs jobs;
    static Model model;

    @BeforeAll
    static void start() {
        jobs = SparkJobs.local(2).partitions(3).batchSize(16);
        model = Models.load(Models.DEFAULT);
    }

    @AfterAll
    static void stop() {
        jobs.close();
        model.close();
        assertEquals(0, ModelBytes.loadedCount(), "closing the jobs left a kept model open");
    }

    @Test
    void theNextJobOnTheSameFileReusesTheLoadedModel() {
        jobs.activations(ModelBytes.organism(), SparkImages.world(SEED, 20), List.of("conv3"), Reduce.MAX);
        long loads = ModelBytes.loads();
        Results.Activations again = jobs.activations(ModelBytes.organism(), SparkImages.world(SEED, 20),
                List.of("conv3"), Reduce.MAX);
        assertEquals(20, again.images());
        assertEquals(loads, ModelBytes.loads(), "the second job on the same file loaded the model again");
        assertEquals(0, ModelBytes.inUse(), "a finished job left a model in use");
        assertTrue(ModelBytes.loadedCount() >= 1 && ModelBytes.loadedCount() <= ModelBytes.KEPT,
                "kept models: " + ModelBytes.loadedCount());
    }

    @Test
    void activationsEqualTheSingleJvmPath() {
        Results.Activations d = jobs.activations(ModelBytes.organism(), SparkImages.world(SEED, N),
                List.of("conv3", "conv5"), Reduce.MAX);
        ActivationResult s = Activations.of(model).layers("conv3", "conv5").reduce(Reduce.MAX).batchSize(32)
                .run(World.scenes(SEED, N));
        assertEquals(N, d.images());
        assertEquals(s.ids(), d.ids());
        assertEquals(s.labels(), d.labels());
        assertTrue(d.problems().isEmpty(), d.problems().toString());
        for (String col : d.columns()) {
            float[] a = s.column(col);
            float[] b = d.column(col);
            for (int i = 0; i < a.length; i++) {
                assertEquals(a[i], b[i], 1e-5f * Math.max(1f, Math.abs(a[i])), col + " of image " + i);
            }
        }
        assertEquals(0, ModelBytes.inUse(), "a finished job left a model in use");
    }

    @Test
    void topAndBottomExamplesEqualTheSingleJvmPath() {
        List<String> units = List.of("conv2:3", "conv3:0", "conv4:7", "conv5:12@4,4");
        for (boolean negative : new boolean[] {false, true}) {
            List<Results.Examples> d = jobs.examples(ModelBytes.organism(), SparkImages.world(SEED, N), units, 7,
                    negative);
            List<ExamplesResult> s = DatasetExamples.of(model, units.stream().map(Unit::parse).toList()).k(7)
                    .negative(negative).runAll(World.scenes(SEED, N), Progress.NONE);
            for (int u = 0; u < units.size(); u++) {
                List<Example> want = s.get(u).examples();
                List<Results.Example> got = d.get(u).examples();
                assertEquals(want.size(), got.size());
                assertEquals(s.get(u).unitRead().toString(), d.get(u).unitRead());
                for (int r = 0; r < want.size(); r++) {
                    String what = units.get(u) + (negative ? " bottom " : " top ") + (r + 1);
                    assertEquals(want.get(r).id(), got.get(r).id(), what);
                    assertEquals(want.get(r).value(), got.get(r).value(),
                            1e-5f * Math.max(1f, Math.abs(want.get(r).value())), what);
                    assertEquals(want.get(r).y(), got.get(r).y(), what);
                    assertEquals(want.get(r).x(), got.get(r).x(), what);
                    assertEquals(want.get(r).box(), got.get(r).box(), what);
                }
                assertEquals(N, d.get(u).imagesSeen());
            }
        }
    }

    @Test
    void histogramsEqualTheSingleJvmPath() {
        List<Histogram> d = jobs.histograms(ModelBytes.organism(), SparkImages.world(SEED, N), "conv4", Reduce.MAX,
                20);
        ActivationResult s = Activations.of(model).layers("conv4").reduce(Reduce.MAX).run(World.scenes(SEED, N));
        assertEquals(model.layers().get("conv4").channels(), d.size());
        int nonTrivial = 0;
        for (Histogram h : d) {
            Histogram want = Histogram.of(h.column(), s.column(h.column()), 20);
            assertEquals(N, h.total());
            assertEquals(want.lo(), h.lo(), 1e-5 * Math.max(1, Math.abs(want.lo())));
            assertEquals(want.hi(), h.hi(), 1e-5 * Math.max(1, Math.abs(want.hi())));
            assertArrayEquals(want.counts(), h.counts(), h.column());
            nonTrivial += want.hi() > want.lo() ? 1 : 0;
        }
        assertTrue(nonTrivial > 10, "only " + nonTrivial + " channels vary");
    }

    @Test
    void aCorruptImageIsReportedNotDropped() throws IOException {
        List<SparkImage> images = new ArrayList<>();
        List<Sample> good = new ArrayList<>();
        int n = 40;
        for (int i = 0; i < n; i++) {
            Sample s = World.scene(SEED, i).sample();
            byte[] png;
            if (i == 17) {
                png = "this is not an image".getBytes();
            } else {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                ImageIO.write(s.image(), "png", out);
                png = out.toByteArray();
                good.add(s);
            }
            images.add(new SparkImage.Encoded(i, s.id(), s.label(), png));
        }
        Results.Activations d = jobs.activations(ModelBytes.organism(), images, List.of("conv3"), Reduce.MAX);
        assertEquals(n - 1, d.images());
        assertEquals(1, d.problems().size(), d.problems().toString());
        assertTrue(d.problems().get(0).startsWith("scene-17:"), d.problems().get(0));
        List<Results.Examples> top = jobs.examples(ModelBytes.organism(), images, List.of("conv3:5"), 3, false);
        assertEquals(n - 1, top.get(0).imagesSeen());
        assertEquals(List.of(d.problems().get(0)), top.get(0).problems());
        // the good images, PNG round trip and all, give the single-JVM path's activations
        ImageSource goodSource = new ImageSource() {
            @Override
            public String name() {
                return "good scenes";
            }

            @Override
            public java.util.OptionalInt size() {
                return java.util.OptionalInt.of(good.size());
            }

            @Override
            public java.util.Iterator<Sample> iterator() {
                return good.iterator();
            }
        };
        ActivationResult s = Activations.of(model).layers("conv3").reduce(Reduce.MAX).run(goodSource);
        assertEquals(s.ids(), d.ids());
        float[] a = s.column("conv3:5");
        float[] b = d.column("conv3:5");
        for (int i = 0; i < a.length; i++) {
            assertEquals(a[i], b[i], 1e-5f * Math.max(1f, Math.abs(a[i])));
        }
    }

    @Test
    void aFeatureVisSheetAcrossTasksEqualsTheSingleJvmSheet() {
        int[] channels = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
        int batch = 4;
        int steps = 32;
        int size = 64;
        long seed = 3;
        long t0 = System.nanoTime();
        Results.Sheet d = jobs.featureVisSheet(ModelBytes.organism(), "conv2", channels, batch, steps, size, seed);
        double spark = (System.nanoTime() - t0) / 1e9;
        t0 = System.nanoTime();
        List<java.awt.image.BufferedImage> want = new ArrayList<>();
        List<Double> objective = new ArrayList<>();
        // the tasks compute on one intra-op thread (spark.task.cpus); float sums, and with more than one thread
        // the choice of the 1x1 convolution's kernel, depend on the thread count, so the reference uses one too
        int threads = ai.djl.pytorch.jni.JniUtils.getNumThreads();
        ai.djl.pytorch.jni.JniUtils.setNumThreads(1);
        try {
            for (int start = 0; start < channels.length; start += batch) {
                int[] chunk = java.util.Arrays.copyOfRange(channels, start, Math.min(channels.length, start + batch));
                FeatureVisResult r = FeatureVis.sheet(model, "conv2", chunk).steps(steps).size(size).seed(seed)
                        .render();
                want.addAll(r.images());
                for (int i = 0; i < chunk.length; i++) {
                    double[] t = r.trace(i);
                    objective.add(t[t.length - 1]);
                }
            }
        } finally {
            ai.djl.pytorch.jni.JniUtils.setNumThreads(threads);
        }
        double one = (System.nanoTime() - t0) / 1e9;
        System.out.printf("sheet of %d units in chunks of %d: Spark local[2] %.1f s, single JVM %.1f s%n",
                channels.length, batch, spark, one);
        List<java.awt.image.BufferedImage> got = d.images();
        assertEquals(channels.length, got.size());
        assertArrayEquals(channels, d.channels());
        for (int i = 0; i < channels.length; i++) {
            java.awt.image.BufferedImage a = want.get(i);
            java.awt.image.BufferedImage b = got.get(i);
            assertEquals(a.getWidth(), b.getWidth());
            assertEquals(a.getHeight(), b.getHeight());
            int differ = 0;
            for (int y = 0; y < a.getHeight(); y++) {
                for (int x = 0; x < a.getWidth(); x++) {
                    differ += (a.getRGB(x, y) & 0xffffff) != (b.getRGB(x, y) & 0xffffff) ? 1 : 0;
                }
            }
            assertEquals(0, differ, "conv2:" + channels[i] + ": pixels that differ from the single-JVM sheet");
            assertEquals(objective.get(i), d.objective()[i], 1e-6 * Math.max(1, Math.abs(objective.get(i))),
                    "conv2:" + channels[i] + " objective at the last step");
        }
        assertEquals(0, ModelBytes.inUse(), "a finished job left a model in use");
    }

    @Test
    void theCensusOfTwoModelsAcrossTasksEqualsTheSingleJvmCensus() {
        List<String> layers = List.of("conv1", "conv2");
        List<String> names = List.of(Models.DEFAULT, Models.SECOND_ORGANISM);
        long t0 = System.nanoTime();
        List<Results.Census> d = jobs.census(names.stream().map(n -> new ModelBytes(n, Models.embeddedBytes(n)))
                .toList(), layers);
        double spark = (System.nanoTime() - t0) / 1e9;
        assertEquals(4, d.size());
        t0 = System.nanoTime();
        int families = 0;
        int at = 0;
        for (String name : names) {
            try (Model m = Models.load(name)) {
                for (String layer : layers) {
                    Census s = Census.of(m, layer);
                    Results.Census c = d.get(at++);
                    assertEquals(name, c.model());
                    assertEquals(layer, c.layer());
                    assertEquals(s.toString(), c.summary());
                    assertEquals(s.verdicts().size(), c.verdicts().size());
                    for (int u = 0; u < s.verdicts().size(); u++) {
                        Rules.Verdict want = s.verdict(u);
                        Results.Verdict got = c.verdicts().get(u);
                        String what = name + " " + layer + ":" + u;
                        assertEquals(want.familyLabel(), got.family(), what);
                        assertEquals(want.score(), got.score(), 1e-6 * Math.max(1, Math.abs(want.score())), what);
                        assertEquals(want.orientation(), got.orientation(), 1e-9, what);
                        assertEquals(want.size(), got.size(), 1e-9, what);
                        assertEquals(want.set() + "#" + want.stimulus(), got.set() + "#" + got.stimulus(), what);
                        assertEquals(want.reason(), got.reason(), what);
                        families += want.family() != null ? 1 : 0;
                    }
                }
            }
        }
        double one = (System.nanoTime() - t0) / 1e9;
        System.out.printf("census of %d layers of %d models: Spark local[2] %.1f s, single JVM %.1f s; %d units "
                + "in a family%n", layers.size(), names.size(), spark, one, families);
        assertTrue(families > 0, "no unit of either model was placed in a family: the comparison says little");
        assertEquals(0, ModelBytes.inUse(), "a finished job left a model in use");
    }
}
