package org.circuitscope.magics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.circuitscope.circuit.AttributionResult;
import org.circuitscope.circuit.CircuitResult;
import org.circuitscope.examples.ExamplesResult;
import org.circuitscope.featurevis.FeatureVisResult;
import org.circuitscope.magics.circuit.AttributionMagic;
import org.circuitscope.magics.circuit.CircuitMagic;
import org.circuitscope.magics.examples.ExamplesMagic;
import org.circuitscope.magics.featurevis.FeatureVisMagic;
import org.circuitscope.magics.model.ModelMagic;
import org.circuitscope.magics.weights.WeightsMagic;
import org.circuitscope.model.Model;
import org.circuitscope.testing.ChannelModels;
import org.circuitscope.tf.MiniInception;
import org.circuitscope.weights.UnitWeights;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;
import tech.tablesaw.api.Table;

/**
 * Every instrument on every family of model a user brings, through the magics they type: {@code %model load},
 * {@code %model layers}, {@code %featurevis}, {@code %examples} (on the ImageNet samples), {@code %weights} (direct,
 * and {@code --from} across a block), {@code %circuit --depth 2} and {@code %attribution}, each giving its figure.
 * The families: SqueezeNet (ONNX), GoogLeNet and ResNet-50 as ONNX's conformance data has them (every weight one
 * constant: the instruments must run, the pictures are flat), and the TF2 MobileNet v2 as TensorFlow Lite (int8
 * weights per channel, depthwise convolutions, ReLU6, residual sums), a GraphDef with the structure of Lucid's
 * InceptionV1, and ONNX CNNs with one and four input channels.
 */
class ModelFamiliesMagicTest {

    /** One family: where its file is, and the units each instrument is asked about. */
    record Family(String name, Function<Path, Path> file, String fvUnit, String exampleUnit, String weightsUnit,
                  String fromLayer, String circuitUnit, String attributionUnit, String attributionFrom, int fvSize) {
        Family(String name, Function<Path, Path> file, String fvUnit, String exampleUnit, String weightsUnit,
               String fromLayer, String circuitUnit, String attributionUnit, String attributionFrom) {
            this(name, file, fvUnit, exampleUnit, weightsUnit, fromLayer, circuitUnit, attributionUnit,
                    attributionFrom, 96);
        }
    }

    /** Models the test suite writes (into the temporary folder): they need no download. */
    private static Path written(String file, byte[] bytes) {
        try {
            Path dir = Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir"), "circuitscope-families"));
            Path f = dir.resolve(file);
            Files.write(f, bytes);
            f.toFile().deleteOnExit();
            return f;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static final List<Family> FAMILIES = List.of(
            new Family("squeezenet", s -> s.resolve("models/squeezenet1.0/squeezenet1.0.onnx"), "fire4/concat:12",
                    "fire6/concat:5", "fire3/concat:70", "fire2/concat", "fire4/concat:12", "fire4/concat:3",
                    "fire3/concat"),
            new Family("light_inception_v1", s -> s.resolve("onnx-tests/light/light_inception_v1.onnx"), "r37:10",
                    "r37:3", "r23:40", "r7", "r37:10", "r37:10", "r23"),
            new Family("light_resnet50", s -> s.resolve("onnx-tests/light/light_resnet50.onnx"), "r25:3",
                    "r25:7", "r22:5", "r15", "r25:3", "r25:3", "r15"),
            new Family("tf2_mobilenet_v2_tflite", s -> s.resolve("models/tflite/tf2_mobilenet_v2_1.0_224_ptq.tflite"),
                    "MobileNetV2/expanded_conv_6/depthwise/relu6/Relu6:7", "MobileNetV2/expanded_conv_6/add/add:5",
                    "MobileNetV2/expanded_conv_6/project/batch_norm/FusedBatchNormV3:5",
                    "MobileNetV2/expanded_conv_5/add/add",
                    "MobileNetV2/expanded_conv_6/add/add:5", "MobileNetV2/expanded_conv_6/add/add:5",
                    "MobileNetV2/expanded_conv_3/add/add"),
            // Lucid's inception5h structure as a TensorFlow GraphDef (Conv2D+BiasAdd+Relu, LRN, ConcatV2 and the
            // old Concat, MaxPool, AvgPool, MatMul, Softmax; TF op names), written by the test suite
            new Family("mini_inception_graphdef", s -> written("mini_inception.pb",
                    MiniInception.build().graphDef().toByteArray()), "mixed:3", "mixed2:4", "mixed:5",
                    "localresponsenorm0", "mixed:6", "mixed2:3", "maxpool0", MiniInception.S),
            // a grayscale CNN with a residual block: pictures become one channel, feature visualisations are grey
            new Family("grey_onnx", s -> written("grey.onnx", ChannelModels.grey()), "relu3:2", "block:5",
                    "conv4:3", "pool1", "block:5", "block:5", "pool1", ChannelModels.SIZE),
            // four input channels: feature visualisations show RGB and the fourth channel beside it
            new Family("four_channel_onnx", s -> written("four.onnx", ChannelModels.fourChannels()), "relu3:2",
                    "block:5", "conv4:3", "pool1", "block:5", "block:5", "pool1", ChannelModels.SIZE));

    private static Path shared() {
        String p = System.getProperty("circuitscope.shared", "../shared");
        Path root = Path.of(p).toAbsolutePath().normalize();
        if (!Files.isDirectory(root.resolve("onnx-tests"))) {
            System.err.println("SKIPPED: shared fixtures absent at " + root);
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new AssertionError("CI must have the shared fixtures: " + root);
            }
            Assumptions.assumeTrue(false, "shared fixtures absent");
        }
        return root;
    }

    private static Object run(Magic magic, InMemoryContext context, String line) throws Exception {
        return magic.line(context, Arrays.asList(line.trim().split("\\s+")));
    }

    @TestFactory
    Stream<DynamicNode> everyInstrumentOnEveryFamily() {
        Path shared = shared();
        String samples = shared.resolve("data/imagenet-samples").toString();
        List<DynamicNode> families = new ArrayList<>();
        for (Family f : FAMILIES) {
            InMemoryContext context = new InMemoryContext();
            String file = f.file.apply(shared).toString();
            families.add(DynamicContainer.dynamicContainer(f.name, Stream.of(
                    dynamicTest("%model load and %model layers", () -> {
                        Model m = assertInstanceOf(Model.class, run(new ModelMagic(), context,
                                "load " + file + " --as " + f.name.replace('_', '-')));
                        assertTrue(m.layers().all().size() > 10);
                        Table layers = assertInstanceOf(Table.class, run(new ModelMagic(), context, "layers"));
                        assertEquals(m.layers().all().size(), layers.rowCount());
                    }),
                    dynamicTest("%featurevis", () -> {
                        FeatureVisResult r = assertInstanceOf(FeatureVisResult.class, run(new FeatureVisMagic(),
                                context, f.fvUnit + " --steps 4 --size " + f.fvSize));
                        assertEquals(4, r.steps());
                        assertTrue(r.image().getWidth() > 0);
                    }),
                    dynamicTest("%examples on the ImageNet samples", () -> {
                        ExamplesResult r = assertInstanceOf(ExamplesResult.class, run(new ExamplesMagic(), context,
                                f.exampleUnit + " " + samples + " --k 3 --limit 12 --batch 6"));
                        assertEquals(3, r.examples().size());
                        assertEquals(12, r.imagesSeen());
                        assertTrue(r.representations().get("image/png") instanceof BufferedImage);
                    }),
                    dynamicTest("%weights direct and --from across a block", () -> {
                        UnitWeights direct = assertInstanceOf(UnitWeights.class, run(new WeightsMagic(), context,
                                f.weightsUnit + " --top 6 --thumbs none"));
                        assertFalse(direct.inputs().expanded());
                        assertTrue(direct.shown().size() > 0);
                        UnitWeights expanded = assertInstanceOf(UnitWeights.class, run(new WeightsMagic(), context,
                                f.weightsUnit + " --from " + f.fromLayer + " --top 6 --thumbs none"));
                        assertTrue(expanded.inputs().expanded());
                        Map<String, Object> rep = expanded.representations();
                        assertTrue(rep.containsKey("image/png") || rep.containsKey("image/svg+xml"), rep.keySet()
                                .toString());
                    }),
                    dynamicTest("%circuit --depth 2", () -> {
                        CircuitResult c = assertInstanceOf(CircuitResult.class, run(new CircuitMagic(), context,
                                f.circuitUnit + " --depth 2 --top 3 --thumbs none --data " + samples
                                        + " --images 4"));
                        assertTrue(c.edges().size() > 3, "a depth-2 circuit has more than the first level: "
                                + c.edges().size() + " edges");
                        assertEquals(2, c.depth());
                        assertTrue(c.image().getWidth() > 100);
                    }),
                    dynamicTest("%attribution", () -> {
                        AttributionResult a = assertInstanceOf(AttributionResult.class, run(new AttributionMagic(),
                                context, f.attributionUnit + " --from " + f.attributionFrom + " --data " + samples
                                        + " --images 4"));
                        assertTrue(a.table().rowCount() > 0);
                    }),
                    dynamicTest("close", () -> LoadedModels.of(context.session()).all().values()
                            .forEach(Model::close)))));
        }
        return families.stream();
    }
}
