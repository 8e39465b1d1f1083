package org.circuitscope.model.ort;

import static org.circuitscope.onnx.TestGraphs.ints;
import static org.circuitscope.onnx.TestGraphs.list;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.circuitscope.activations.ActivationResult;
import org.circuitscope.activations.Activations;
import org.circuitscope.activations.Reduce;
import org.circuitscope.data.ImageFolder;
import org.circuitscope.data.ImageList;
import org.circuitscope.data.ImageSource;
import org.circuitscope.examples.DatasetExamples;
import org.circuitscope.examples.ExamplesResult;
import org.circuitscope.model.InputSpec;
import org.circuitscope.model.Layer;
import org.circuitscope.model.Model;
import org.circuitscope.model.ModelException;
import org.circuitscope.model.Models;
import org.circuitscope.model.Unit;
import org.circuitscope.onnx.TestGraphs;
import org.circuitscope.organism.World;
import org.circuitscope.progress.Progress;
import org.circuitscope.tensor.Tensor;
import org.circuitscope.testing.ForwardComparison;
import org.circuitscope.testing.SharedFixtures;
import org.junit.jupiter.api.Test;

/**
 * The ONNX Runtime executor of forward passes without gradients: the same activations and examples as the DJL
 * graph (within 1e-5 of each value's magnitude, at least 1) on the organism and SqueezeNet, at intermediate layers
 * and the output; the fallbacks (TensorFlow Lite, shuffled weights, an op ONNX Runtime refuses, an input recording a
 * gradient) run on DJL and say why; sessions are built once per layer set and closed with the model.
 */
class OrtExecutorTest {

    private static List<String> allLayers(Model m) {
        List<String> out = new ArrayList<>();
        for (Layer l : m.layers().all()) {
            if (!l.op().equals("Input")) {
                out.add(l.name());
            }
        }
        return out;
    }

    private static ForwardComparison.Difference max(ForwardComparison.Difference a, ForwardComparison.Difference b) {
        return new ForwardComparison.Difference(Math.max(a.ofScale(), b.ofScale()), Math.max(a.ofValue(), b.ofValue()));
    }

    @Test
    void organismActivationsEqualTheDjlGraphAtEveryLayer() {
        try (Model m = Models.load("organism")) {
            List<String> layers = allLayers(m);
            assertEquals(Forward.ORT, m.forwardChoice(layers, Forward.AUTO).engine(),
                    m.forwardChoice(layers, Forward.AUTO).toString());
            ImageSource few = ImageList.copyOf(World.scenes(2024, 6));
            ActivationResult djl = Activations.of(m).layers(layers).reduce(Reduce.NONE).batchSize(3)
                    .forward(Forward.DJL).run(few);
            long before = m.onnxRuntime().runs();
            ActivationResult ort = Activations.of(m).layers(layers).reduce(Reduce.NONE).batchSize(3)
                    .forward(Forward.ORT).run(few);
            assertEquals(before + 2, m.onnxRuntime().runs(), "two batches on ONNX Runtime");
            ForwardComparison.Difference worst = ForwardComparison.activations(djl, ort);
            System.out.printf("organism, %d layers %s at every position, 6 scenes: largest relative difference "
                    + "ORT vs DJL %s%n", layers.size(), layers, worst);
            ImageSource scenes = ImageList.copyOf(World.scenes(2024, 24));
            // the default (no property set) is auto: ONNX Runtime
            long runs = m.onnxRuntime().runs();
            ActivationResult auto = Activations.of(m).layers("conv3", "logits").reduce(Reduce.MAX).batchSize(8)
                    .run(scenes);
            assertEquals(runs + 3, m.onnxRuntime().runs());
            ForwardComparison.activations(Activations.of(m).layers("conv3", "logits").reduce(Reduce.MAX)
                    .batchSize(8).forward(Forward.DJL).run(scenes), auto);
        }
    }

    @Test
    void theFolderOnnxRuntimeExtractedItsLibrariesToIsGoneOnceTheyAreLoaded() throws Exception {
        try (Model m = Models.load("organism")) {
            Activations.of(m).layers("conv3").reduce(Reduce.MAX).forward(Forward.ORT).run(World.scenes(1, 2));
        }
        org.junit.jupiter.api.Assumptions.assumeTrue(java.nio.file.Files.isReadable(
                java.nio.file.Path.of("/proc/self/maps")), "no /proc/self/maps");
        // the folders this process maps ONNX Runtime's libraries from, as /proc lists them (deleted or not)
        java.util.Set<java.nio.file.Path> folders = ExtractedLibraries.mappedFolders();
        assertTrue(!folders.isEmpty(), "ONNX Runtime's library was not mapped from an extraction folder");
        for (java.nio.file.Path folder : folders) {
            assertTrue(java.nio.file.Files.notExists(folder), folder + " is still on disk");
        }
    }

    @Test
    void organismExamplesAreTheSameImagesAtTheSamePositions() {
        try (Model m = Models.load("organism")) {
            List<Unit> units = List.of(Unit.parse("conv3:5"), Unit.parse("conv5:18"), Unit.parse("conv4:3@4,4"),
                    Unit.parse("logits:2"));
            ImageSource scenes = ImageList.copyOf(World.scenes(7, 96));
            for (boolean negative : new boolean[] {false, true}) {
                List<ExamplesResult> djl = DatasetExamples.of(m, units).k(6).negative(negative).batchSize(16)
                        .forward(Forward.DJL).runAll(scenes, Progress.NONE);
                List<ExamplesResult> ort = DatasetExamples.of(m, units).k(6).negative(negative).batchSize(16)
                        .forward(Forward.ORT).runAll(scenes, Progress.NONE);
                ForwardComparison.Difference worst = ForwardComparison.examples(djl, ort);
                System.out.printf("organism examples (%s) of %s: same ids and positions, largest relative "
                        + "difference %s%n", negative ? "bottom" : "top", units, worst);
            }
            assertTrue(m.onnxRuntime().runs() >= 12);
        }
    }

    @Test
    void squeezeNetActivationsAndExamplesEqualTheDjlGraph() {
        ImageFolder folder = ImageFolder.of(SharedFixtures.imagenetSamples());
        try (Model m = Models.loadFile(SharedFixtures.squeezenet(), null)) {
            ImageSource images = ImageList.copyOf(folder.limit(32));
            String out = m.outputs().get(0);
            List<String> layers = List.of("conv1", "fire2/concat", "fire5/conv1x1_1", "fire9/concat", out);
            ActivationResult djl = Activations.of(m).layers(layers).reduce(Reduce.MAX).batchSize(16)
                    .forward(Forward.DJL).run(images);
            ActivationResult ort = Activations.of(m).layers(layers).reduce(Reduce.MAX).batchSize(16)
                    .forward(Forward.ORT).run(images);
            ForwardComparison.Difference worstMax = ForwardComparison.activations(djl, ort);
            // whole maps of an intermediate layer and the output, at every position
            List<String> maps = List.of("fire3/concat", out);
            ForwardComparison.Difference worstMaps = ForwardComparison.activations(
                    Activations.of(m).layers(maps).reduce(Reduce.NONE).batchSize(8).limit(8).forward(Forward.DJL)
                            .run(images),
                    Activations.of(m).layers(maps).reduce(Reduce.NONE).batchSize(8).limit(8).forward(Forward.ORT)
                            .run(images));
            List<Unit> units = List.of(Unit.parse("fire2/concat:20"), Unit.parse("conv1:5"),
                    Unit.parse("fire4/concat:12@10,10"), Unit.parse(out + ":7"));
            ForwardComparison.Difference worstExamples = new ForwardComparison.Difference(0, 0);
            for (boolean negative : new boolean[] {false, true}) {
                worstExamples = max(worstExamples, ForwardComparison.examples(
                        DatasetExamples.of(m, units).k(5).negative(negative).batchSize(16).forward(Forward.DJL)
                                .runAll(images, Progress.NONE),
                        DatasetExamples.of(m, units).k(5).negative(negative).batchSize(16).forward(Forward.ORT)
                                .runAll(images, Progress.NONE)));
            }
            System.out.printf("SqueezeNet, 32 ImageNet samples: largest relative difference ORT vs DJL %s (maxima "
                    + "of %s), %s (whole maps of %s), %s (examples of %s)%n", worstMax, layers, worstMaps, maps,
                    worstExamples, units);
            assertTrue(m.onnxRuntime().sessionsCreated() >= 3);
            assertEquals(0, m.onnxRuntime().openValues());
        }
    }

    @Test
    void anotherInputSizeFreesHeightAndWidth() {
        ImageFolder folder = ImageFolder.of(SharedFixtures.imagenetSamples());
        try (Model file = Models.loadFile(SharedFixtures.squeezenet(), null);
             Model m = file.withInput(file.input().withSize(160, 160))) {
            ImageSource images = ImageList.copyOf(folder.limit(8));
            List<String> layers = List.of("fire3/concat", m.outputs().get(0));
            assertEquals(Forward.ORT, m.forwardChoice(layers, Forward.AUTO).engine());
            ForwardComparison.Difference worst = ForwardComparison.activations(
                    Activations.of(m).layers(layers).reduce(Reduce.MAX).batchSize(4).forward(Forward.DJL).run(images),
                    Activations.of(m).layers(layers).reduce(Reduce.MAX).batchSize(4).forward(Forward.ORT)
                            .run(images));
            System.out.printf("SqueezeNet at 160x160 (the file declares 227): largest relative difference %s%n",
                    worst);
        }
    }

    @Test
    void sessionsAreBuiltOncePerLayerSetAndClosedWithTheModel() {
        Model m = Models.load("organism");
        OrtExecutor ort;
        try {
            ImageSource scenes = ImageList.copyOf(World.scenes(3, 200));
            Activations job = Activations.of(m).layers("conv2", "conv5").reduce(Reduce.MEAN).batchSize(4)
                    .forward(Forward.ORT);
            job.run(scenes.limit(4));
            ort = m.onnxRuntime();
            int arrays = m.nativeArrays();
            long runs = ort.runs();
            ActivationResult r = job.run(scenes);
            assertEquals(200, r.images());
            assertEquals(runs + 50, ort.runs(), "50 batches");
            assertEquals(1, ort.sessionsCreated(), "one session for the 50 batches (and the warm-up)");
            assertEquals(1, ort.sessionsOpen());
            assertEquals(0, ort.openValues(), "every OnnxTensor and OrtSession.Result closed");
            assertEquals(arrays, m.nativeArrays(), "no DJL arrays left behind by 50 batches");
            // examples of units in the same layers share the session: the same layer set
            DatasetExamples.of(m, List.of(Unit.parse("conv2:1"), Unit.parse("conv5:3"))).k(3).batchSize(4)
                    .forward(Forward.ORT).runAll(scenes.limit(40), Progress.NONE);
            assertEquals(1, ort.sessionsCreated());
            // more layer sets than the cache holds: the oldest are closed, never more than MAX_SESSIONS open
            List<String> layers = allLayers(m);
            for (int i = 0; i < OrtExecutor.MAX_SESSIONS + 2 && i < layers.size(); i++) {
                Activations.of(m).layers(layers.get(i)).batchSize(4).forward(Forward.ORT).run(scenes.limit(4));
            }
            assertTrue(ort.sessionsOpen() <= OrtExecutor.MAX_SESSIONS, ort.sessionsOpen() + " open");
            assertEquals(0, ort.openValues());
        } finally {
            m.close();
        }
        assertEquals(0, ort.sessionsOpen(), "closing the model closes its sessions");
    }

    @Test
    void threadsFollowTheSettingAndAChangeBuildsANewSession() {
        try (Model m = Models.load("organism")) {
            ImageSource scenes = ImageList.copyOf(World.scenes(3, 8));
            Activations job = Activations.of(m).layers("conv4").batchSize(8).forward(Forward.ORT);
            assertEquals(ai.djl.pytorch.jni.JniUtils.getNumThreads(), OrtExecutor.threads(),
                    "by default as many intra-op threads as libtorch");
            job.run(scenes);
            System.setProperty(OrtExecutor.THREADS_PROPERTY, "1");
            try {
                assertEquals(1, OrtExecutor.threads());
                job.run(scenes);
                assertEquals(2, m.onnxRuntime().sessionsCreated());
                assertTrue(m.forwardChoice(List.of("conv4"), Forward.AUTO).reason().contains("1 intra-op thread"));
                System.setProperty(OrtExecutor.THREADS_PROPERTY, "many");
                ModelException bad = assertThrows(ModelException.class, () -> job.run(scenes));
                assertTrue(bad.getMessage().contains("'many'"), bad.getMessage());
            } finally {
                System.clearProperty(OrtExecutor.THREADS_PROPERTY);
            }
        }
    }

    @Test
    void tfLiteModelsRunOnDjl() {
        try (Model m = Models.loadFile(SharedFixtures.require("models/tflite/tf2_mobilenet_v2_1.0_224_ptq.tflite"),
                null)) {
            String layer = "MobileNetV2/expanded_conv_3/add/add";
            Forward.Choice c = m.forwardChoice(List.of(layer), Forward.AUTO);
            assertEquals(Forward.DJL, c.engine());
            assertTrue(c.reason().contains("not imported from an ONNX file"), c.reason());
            assertNull(m.onnxRuntime());
            ImageSource images = ImageList.copyOf(ImageFolder.of(SharedFixtures.imagenetSamples()).limit(4));
            ActivationResult auto = Activations.of(m).layers(layer).batchSize(4).run(images);
            ActivationResult djl = Activations.of(m).layers(layer).batchSize(4).forward(Forward.DJL).run(images);
            assertEquals(new ForwardComparison.Difference(0, 0), ForwardComparison.activations(djl, auto),
                    "the same DJL graph, the same floats");
            ModelException forced = assertThrows(ModelException.class,
                    () -> Activations.of(m).layers(layer).forward(Forward.ORT).run(images));
            assertTrue(forced.getMessage().contains("cannot run on ONNX Runtime"), forced.getMessage());
        }
    }

    @Test
    void shuffledWeightsRunOnDjlAndOtherPreprocessingOnOnnxRuntime() {
        try (Model m = Models.load("organism"); Model shuffled = m.withShuffledWeights(1);
             Model shifted = m.withInput(m.input().withMean(new float[] {0.1f, 0.2f, 0.3f}))) {
            Forward.Choice c = shuffled.forwardChoice(List.of("conv3"), Forward.AUTO);
            assertEquals(Forward.DJL, c.engine());
            assertTrue(c.reason().contains("shuffled"), c.reason());
            assertNull(shuffled.onnxRuntime());
            ImageSource scenes = ImageList.copyOf(World.scenes(5, 16));
            ActivationResult r = Activations.of(shuffled).layers("conv3").batchSize(8).run(scenes);
            assertEquals(new ForwardComparison.Difference(0, 0), ForwardComparison.activations(
                    Activations.of(shuffled).layers("conv3").batchSize(8).forward(Forward.DJL).run(scenes), r));
            // the shuffled copy computes other numbers than the file: it must not have run the file
            ActivationResult original = Activations.of(m).layers("conv3").batchSize(8).run(scenes);
            assertTrue(Math.abs(original.value(0, "conv3", 0) - r.value(0, "conv3", 0)) > 1e-3
                    || Math.abs(original.value(1, "conv3", 1) - r.value(1, "conv3", 1)) > 1e-3);
            // a model derived by its preprocessing keeps the file's graph: ONNX Runtime, on the shifted input
            assertEquals(Forward.ORT, shifted.forwardChoice(List.of("conv3"), Forward.AUTO).engine());
            ForwardComparison.activations(
                    Activations.of(shifted).layers("conv3").batchSize(8).forward(Forward.DJL).run(scenes),
                    Activations.of(shifted).layers("conv3").batchSize(8).forward(Forward.ORT).run(scenes));
            assertTrue(shifted.onnxRuntime().runs() > 0);
        }
    }

    @Test
    void anOpOnnxRuntimeRefusesFallsBackToDjl() {
        // Gelu joined ONNX at opset 20: ONNX Runtime has no kernel for it at opset 13, circuitscope runs it anyway
        byte[] bytes = new TestGraphs(11).opset(13).input("x", 1, 3, 16, 16).weight("w", 4, 3, 3, 3)
                .node("Conv", list("x", "w"), list("conv"), ints("pads", 1, 1, 1, 1))
                .node("Gelu", "conv", "gelu").output("gelu").bytes();
        try (Model m = Model.fromOnnx(bytes, "gelu13", InputSpec.rgb01(16))) {
            Tensor x = TestGraphs.random(4, 2, 3, 16, 16);
            ActivationResult auto;
            ImageSource images = ImageList.of(org.circuitscope.activations.SmallModels.randomImages(6, 16, 3));
            auto = Activations.of(m).layers("gelu").reduce(Reduce.MEAN).batchSize(3).run(images);
            assertEquals(new ForwardComparison.Difference(0, 0), ForwardComparison.activations(
                    Activations.of(m).layers("gelu").reduce(Reduce.MEAN).batchSize(3).forward(Forward.DJL)
                            .run(images), auto));
            Forward.Choice c = m.forwardChoice(List.of("gelu"), Forward.AUTO);
            assertEquals(Forward.DJL, c.engine(), c.toString());
            assertTrue(c.reason().contains("could not build a session"), c.reason());
            assertEquals(0, m.onnxRuntime().runs());
            // a layer set without the refused op still runs on ONNX Runtime
            assertEquals(Forward.ORT, m.forwardChoice(List.of("conv"), Forward.AUTO).engine());
            Map<String, Tensor> plain = m.run(x, "conv");
            try (NDManager nd = m.newManager()) {
                NDArray in = nd.create(x.data(), new Shape(x.shape()));
                NDArray conv = m.infer(in, List.of("conv"), Forward.ORT).get("conv");
                float[] got = conv.toFloatArray();
                for (int i = 0; i < got.length; i++) {
                    assertEquals(plain.get("conv").data()[i], got[i], 1e-5f * Math.max(1, Math.abs(got[i])));
                }
                // an input that records a gradient always runs on DJL
                long runs = m.onnxRuntime().runs();
                in.setRequiresGradient(true);
                m.infer(in, List.of("conv"), Forward.AUTO);
                assertEquals(runs, m.onnxRuntime().runs());
            }
        }
    }

    @Test
    void aReshapeToTheTracedBatchRunsAtAnyBatch() {
        // an exporter's Reshape to [1, 64]: circuitscope reads the 1 as the batch, and so must the session
        byte[] bytes = new TestGraphs(12).opset(13).input("x", 1, 3, 8, 8).weight("w", 4, 3, 3, 3)
                .node("Conv", list("x", "w"), list("conv"), ints("pads", 1, 1, 1, 1), ints("strides", 2, 2))
                .longs("shape", new long[] {1, 64}, 2)
                .node("Reshape", list("conv", "shape"), list("flat"))
                .weight("fc", 64, 5).node("MatMul", list("flat", "fc"), list("logits"))
                .output("logits").bytes();
        try (Model m = Model.fromOnnx(bytes, "reshape1", InputSpec.rgb01(8))) {
            ImageSource images = ImageList.of(org.circuitscope.activations.SmallModels.randomImages(10, 8, 3));
            ActivationResult ort = Activations.of(m).layers("flat", "logits").batchSize(5).forward(Forward.ORT)
                    .run(images);
            ForwardComparison.activations(Activations.of(m).layers("flat", "logits").batchSize(5)
                    .forward(Forward.DJL).run(images), ort);
            assertEquals(10, ort.images());
        }
    }

    @Test
    void theSettingIsReadAtEachRunAndABadOneIsNamed() {
        try (Model m = Models.load("organism")) {
            ImageSource scenes = ImageList.copyOf(World.scenes(9, 4));
            System.setProperty(Forward.PROPERTY, "djl");
            try {
                assertEquals(Forward.DJL, Forward.configured());
                Activations.of(m).layers("conv1").run(scenes);
                assertEquals(0, m.onnxRuntime().runs());
                System.setProperty(Forward.PROPERTY, "ort");
                Activations.of(m).layers("conv1").run(scenes);
                assertEquals(1, m.onnxRuntime().runs());
                System.setProperty(Forward.PROPERTY, "fast");
                ModelException bad = assertThrows(ModelException.class,
                        () -> Activations.of(m).layers("conv1").run(scenes));
                assertTrue(bad.getMessage().contains("auto, djl or ort, not 'fast'"), bad.getMessage());
            } finally {
                System.clearProperty(Forward.PROPERTY);
            }
            assertEquals(Forward.AUTO, Forward.configured());
        }
    }
}
