package org.circuitscope.fuzz;

import static org.circuitscope.onnx.TestGraphs.ints;
import static org.circuitscope.onnx.TestGraphs.list;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.circuitscope.fuzz.FuzzFormat.Crafted;
import org.circuitscope.fuzz.FuzzFormat.Seed;
import org.circuitscope.model.InputSpec;
import org.circuitscope.onnx.TestGraphs;
import org.circuitscope.onnx.proto.Onnx.GraphProto;
import org.circuitscope.onnx.proto.Onnx.ModelProto;
import org.circuitscope.onnx.proto.Onnx.StringStringEntryProto;
import org.circuitscope.onnx.proto.Onnx.TensorProto;
import org.circuitscope.testing.HostileTorchFiles;
import org.circuitscope.testing.SharedFixtures;
import org.circuitscope.tf.proto.Tf.AttrValue;
import org.circuitscope.tf.proto.Tf.DataType;
import org.circuitscope.tf.proto.Tf.GraphDef;
import org.circuitscope.tf.proto.Tf.NodeDef;
import org.circuitscope.tf.proto.Tf.TensorShapeProto;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The model loaders against a corpus of malformed files and a bounded run of seeded mutations (ONNX, TensorFlow
 * GraphDef, TorchScript, TensorFlow Lite): every file loads or is refused with a ModelException naming the problem, within the
 * time bound, with no other exception, no OutOfMemoryError, no crash of the JVM and no file read outside the
 * model's folder. The counts are printed.
 *
 * <p>{@code -Dcircuitscope.fuzz.seconds} sets the mutation time (default 40), {@code -Dcircuitscope.fuzz.seed} the
 * seed (default 15). A failing file is kept under {@code target/fuzz-failures/}. A new format is one more
 * {@link FuzzFormat} in {@link #formats()}.
 */
class LoaderFuzzTest {
    private static final Duration PER_FILE = Duration.ofSeconds(30);

    @Test
    void malformedFilesLoadOrAreRefusedWithAReason(@TempDir Path work) throws Exception {
        long seconds = Long.getLong("circuitscope.fuzz.seconds", 40);
        long seed = Long.getLong("circuitscope.fuzz.seed", 15);
        Path target = Path.of("target").toAbsolutePath();
        Files.createDirectories(target);
        LoaderFuzzer fuzzer = new LoaderFuzzer(Files.createDirectories(work.resolve("fuzz")), PER_FILE, seed);
        long t0 = System.nanoTime();
        fuzzer.run(formats(), Duration.ofSeconds(seconds));
        double took = (System.nanoTime() - t0) / 1e9;

        System.out.printf("loader fuzzing (seed %d, %d s of mutations, %.0f s in all):%n", seed, seconds, took);
        int total = 0;
        for (Map.Entry<String, int[]> e : fuzzer.counts().entrySet()) {
            int[] n = e.getValue();
            total += n[0];
            System.out.printf("  %-22s %5d files: %4d loaded, %5d refused with a reason, %d failed%n", e.getKey(), n[0],
                    n[1], n[2], n[3]);
        }
        LoaderFuzzer.Outcome slowest = fuzzer.outcomes().stream()
                .max(java.util.Comparator.comparingLong(LoaderFuzzer.Outcome::millis)).orElseThrow();
        System.out.printf("  %d files; slowest %d ms (%s %s); reads outside the model folders: %d%n", total,
                slowest.millis(), slowest.format(), slowest.name(), fuzzer.forbiddenReads().size());

        List<String> failures = new ArrayList<>();
        for (LoaderFuzzer.Outcome o : fuzzer.outcomes()) {
            if (o.failed()) {
                failures.add(o.format() + " " + o.kind() + " '" + o.name() + "': " + o.message());
            }
            // every hand-made hostile file is refused, none loads
            if (o.kind().equals("corpus") && o.name().startsWith("crafted:") && !o.result().equals("refused")) {
                failures.add(o.format() + " '" + o.name() + "' was " + o.result() + ", not refused");
            }
        }
        failures.forEach(f -> System.out.println("  FAILED " + f));
        fuzzer.forbiddenReads().forEach(r -> System.out.println("  READ OUTSIDE " + r));
        assertEquals(List.of(), failures);
        assertTrue(fuzzer.controlReadSeen(), "the file-read recording saw the control read of the canary");
        assertEquals(List.of(), fuzzer.forbiddenReads(), "files read outside the model's folder");
        assertTrue(!Files.exists(work.resolve("fuzz/outside/ran")), "a pickle's payload ran");
    }

    static List<FuzzFormat> formats() throws Exception {
        return List.of(onnx(), graphDef(), torchScript(), tfLite());
    }

    // ---- ONNX

    private static TestGraphs classifier() {
        return new TestGraphs(3).input("x", 1, 3, 8, 8).weight("w", 4, 3, 3, 3)
                .node("Conv", list("x", "w"), list("conv"), ints("pads", 1, 1, 1, 1))
                .node("Relu", "conv", "relu").node("GlobalAveragePool", "relu", "pool")
                .node("Flatten", "pool", "logits");
    }

    private static Crafted crafted(String name, FuzzFormat.Writer w) {
        return new Crafted("crafted: " + name, w);
    }

    private static Crafted onnxFile(String name, ModelProto m) {
        return crafted(name, dir -> Files.write(dir.resolve("model.onnx"), m.toByteArray()));
    }

    private static ModelProto withInitializer(TensorProto t) {
        ModelProto m = classifier().output("logits").model();
        return m.toBuilder().setGraph(m.getGraph().toBuilder().setInitializer(0, t)).build();
    }

    private static TensorProto.Builder w(long... dims) {
        TensorProto.Builder t = TensorProto.newBuilder().setName("w").setDataType(TensorProto.DataType.FLOAT_VALUE);
        for (long d : dims) {
            t.addDims(d);
        }
        return t;
    }

    private static ModelProto external(String location) {
        return withInitializer(w(4, 3, 3, 3).setDataLocation(TensorProto.DataLocation.EXTERNAL)
                .addExternalData(StringStringEntryProto.newBuilder().setKey("location").setValue(location)).build());
    }

    private static Path canaryOf(Path dir) {
        return dir.getParent().getParent().resolve("outside").resolve("secret.bin");
    }

    private static ModelProto withMetadata(String key, String value) {
        return classifier().output("logits").model().toBuilder().addMetadataProps(StringStringEntryProto.newBuilder()
                .setKey(key).setValue(value)).build();
    }

    private static FuzzFormat onnx() throws IOException {
        List<Seed> seeds = new ArrayList<>();
        try (InputStream in = LoaderFuzzTest.class.getResourceAsStream(
                "/org/circuitscope/models/organism/organism.onnx")) {
            seeds.add(new Seed("organism.onnx", in.readAllBytes()));
        }
        seeds.add(new Seed("tiny classifier", classifier().output("logits").bytes()));
        Path squeezenet = SharedFixtures.root().resolve("models/squeezenet1.0/squeezenet1.0.onnx");
        if (Files.exists(squeezenet)) {
            seeds.add(new Seed("squeezenet1.0.onnx", Files.readAllBytes(squeezenet)));
        } else {
            System.err.println("SKIPPED the SqueezeNet seed: " + squeezenet + " is absent");
        }
        List<Crafted> c = new ArrayList<>();
        c.add(onnxFile("cycle", new TestGraphs(1).input("x", 1, 3, 8, 8).node("Add", list("x", "b"), list("a"))
                .node("Relu", "a", "b").output("b").model()));
        c.add(onnxFile("dangling input", classifier().node("Relu", "nowhere", "r").output("r").model()));
        c.add(onnxFile("negative dims", withInitializer(w(4, 3, -108, 3).build())));
        c.add(onnxFile("overflowing dims", withInitializer(w(1L << 40, 1L << 40, 4).build())));
        c.add(onnxFile("huge dims, no data", withInitializer(w(4, 3, 3000, 3000).build())));
        c.add(onnxFile("huge dims, 8 bytes of data", withInitializer(w(4, 3, 3000, 3000)
                .setRawData(ByteString.copyFrom(new byte[8])).build())));
        c.add(onnxFile("conv weight of the wrong shape", new TestGraphs(3).input("x", 1, 3, 8, 8)
                .weight("w", 4, 5, 3, 3).node("Conv", list("x", "w"), list("conv")).output("conv").model()));
        c.add(onnxFile("unsupported op", new TestGraphs(1).input("x", 1, 3, 8, 8).node("Einsum", "x", "y")
                .output("y").model()));
        c.add(onnxFile("opset 99", classifier().opset(99).output("logits").model()));
        c.add(onnxFile("undeclared output", classifier().output("logits").output("probs").model()));
        c.add(onnxFile("duplicate output", classifier().output("logits").output("logits").model()));
        c.add(onnxFile("input.mean abc", withMetadata("input.mean", "abc")));
        c.add(onnxFile("one label for 4 classes", withMetadata("labels", "cat")));
        c.add(onnxFile("input 100000x100000", new TestGraphs(3).input("x", 1, 3, 100000, 100000)
                .node("Relu", "x", "y").output("y").model()));
        c.add(onnxFile("ConstantOfShape of 10^15 values", new TestGraphs(1).input("x", 1, 3, 8, 8)
                .longs("shape", new long[] {1, 3, 100_000_000, 10_000_000}, 4)
                .node("ConstantOfShape", "shape", "big").node("Add", list("x", "big"), list("y")).output("y")
                .model()));
        c.add(onnxFile("external data ../outside", external("../../outside/secret.bin")));
        c.add(crafted("external data at the canary's absolute path", dir -> Files.write(dir.resolve("model.onnx"),
                external(canaryOf(dir).toString()).toByteArray())));
        c.add(onnxFile("external data /etc/passwd", external("/etc/passwd")));
        c.add(onnxFile("external data ../../../../../../etc/passwd", external("../../../../../../../../etc/passwd")));
        c.add(onnxFile("external data /dev/zero", external("/dev/zero")));
        c.add(crafted("external data through a link out of the folder", dir -> {
            Files.createSymbolicLink(dir.resolve("weights.bin"), canaryOf(dir));
            return Files.write(dir.resolve("model.onnx"), external("weights.bin").toByteArray());
        }));
        c.add(crafted("external data through a link to /dev/zero", dir -> {
            Files.createSymbolicLink(dir.resolve("weights.bin"), Path.of("/dev/zero"));
            return Files.write(dir.resolve("model.onnx"), external("weights.bin").toByteArray());
        }));
        c.add(crafted("external data of the wrong length", dir -> {
            Files.write(dir.resolve("weights.bin"), new byte[100]);
            return Files.write(dir.resolve("model.onnx"), external("weights.bin").toByteArray());
        }));
        return new FuzzFormat("ONNX", ".onnx", null, seeds, c);
    }

    // ---- TensorFlow GraphDef

    private static TensorShapeProto shape(long... dims) {
        TensorShapeProto.Builder s = TensorShapeProto.newBuilder();
        for (long d : dims) {
            s.addDim(TensorShapeProto.Dim.newBuilder().setSize(d));
        }
        return s.build();
    }

    private static AttrValue ints4(long... v) {
        AttrValue.ListValue.Builder l = AttrValue.ListValue.newBuilder();
        for (long x : v) {
            l.addI(x);
        }
        return AttrValue.newBuilder().setList(l).build();
    }

    private static AttrValue str(String s) {
        return AttrValue.newBuilder().setS(ByteString.copyFromUtf8(s)).build();
    }

    private static NodeDef constant(String name, org.circuitscope.tf.proto.Tf.TensorProto t) {
        return NodeDef.newBuilder().setName(name).setOp("Const").putAttr("value", AttrValue.newBuilder().setTensor(t)
                .build()).putAttr("dtype", AttrValue.newBuilder().setType(t.getDtype()).build()).build();
    }

    private static org.circuitscope.tf.proto.Tf.TensorProto floats(int n, long... dims) {
        ByteBuffer b = ByteBuffer.allocate(n * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
            b.putFloat((float) Math.sin(i));
        }
        return org.circuitscope.tf.proto.Tf.TensorProto.newBuilder().setDtype(DataType.DT_FLOAT)
                .setTensorShape(shape(dims)).setTensorContent(ByteString.copyFrom(b.array())).build();
    }

    /** input → Conv2D 3×3 (SAME) → BiasAdd → Relu → MaxPool, as a frozen graph writes it. */
    private static GraphDef.Builder graph() {
        return GraphDef.newBuilder()
                .addNode(NodeDef.newBuilder().setName("input").setOp("Placeholder")
                        .putAttr("dtype", AttrValue.newBuilder().setType(DataType.DT_FLOAT).build())
                        .putAttr("shape", AttrValue.newBuilder().setShape(shape(1, 16, 16, 3)).build()))
                .addNode(constant("w", floats(3 * 3 * 3 * 4, 3, 3, 3, 4)))
                .addNode(NodeDef.newBuilder().setName("w/read").setOp("Identity").addInput("w"))
                .addNode(constant("b", floats(4, 4)))
                .addNode(NodeDef.newBuilder().setName("conv").setOp("Conv2D").addInput("input").addInput("w/read")
                        .putAttr("strides", ints4(1, 1, 1, 1)).putAttr("padding", str("SAME"))
                        .putAttr("data_format", str("NHWC")))
                .addNode(NodeDef.newBuilder().setName("conv_bias").setOp("BiasAdd").addInput("conv").addInput("b"))
                .addNode(NodeDef.newBuilder().setName("relu").setOp("Relu").addInput("conv_bias"))
                .addNode(NodeDef.newBuilder().setName("pool").setOp("MaxPool").addInput("relu")
                        .putAttr("ksize", ints4(1, 2, 2, 1)).putAttr("strides", ints4(1, 2, 2, 1))
                        .putAttr("padding", str("VALID")));
    }

    private static Crafted pb(String name, GraphDef g) {
        return crafted(name, dir -> Files.write(dir.resolve("model.pb"), g.toByteArray()));
    }

    private static GraphDef withWeight(org.circuitscope.tf.proto.Tf.TensorProto t) {
        GraphDef.Builder g = graph();
        g.setNode(1, constant("w", t));
        return g.build();
    }

    private static FuzzFormat graphDef() {
        List<Seed> seeds = List.of(new Seed("conv graph", graph().build().toByteArray()));
        List<Crafted> c = new ArrayList<>();
        c.add(crafted("text named .pb", dir -> Files.writeString(dir.resolve("model.pb"), "node { name: 'x' }\n")));
        c.add(pb("negative dims", withWeight(floats(4, 3, 3, -108, 4))));
        c.add(pb("overflowing dims", withWeight(floats(4, 1L << 40, 1L << 40, 4, 1))));
        c.add(pb("content shorter than the shape", withWeight(floats(4, 3, 3, 3, 4))));
        c.add(pb("2^30 values filled from one", withWeight(org.circuitscope.tf.proto.Tf.TensorProto.newBuilder()
                .setDtype(DataType.DT_FLOAT).setTensorShape(shape(1024, 1024, 1024)).addFloatVal(1).build())));
        c.add(pb("Const without a value", graph().setNode(1, NodeDef.newBuilder().setName("w").setOp("Const"))
                .build()));
        c.add(pb("dangling input", graph().addNode(NodeDef.newBuilder().setName("x").setOp("Relu")
                .addInput("nowhere")).build()));
        c.add(pb("unsupported op", graph().addNode(NodeDef.newBuilder().setName("x").setOp("FFT2D")
                .addInput("relu")).build()));
        c.add(pb("cycle", graph().addNode(NodeDef.newBuilder().setName("a").setOp("Add").addInput("relu")
                .addInput("c")).addNode(NodeDef.newBuilder().setName("c").setOp("Relu").addInput("a")).build()));
        c.add(pb("Conv2D with one input", graph().setNode(4, NodeDef.newBuilder().setName("conv").setOp("Conv2D")
                .addInput("input").putAttr("padding", str("SAME"))).build()));
        c.add(pb("input 1x100000x100000x3", graph().setNode(0, NodeDef.newBuilder().setName("input")
                .setOp("Placeholder").putAttr("shape", AttrValue.newBuilder().setShape(shape(1, 100000, 100000, 3))
                        .build())).build()));
        return new FuzzFormat("GraphDef", ".pb", null, seeds, c);
    }

    // ---- TorchScript

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = LoaderFuzzTest.class.getResourceAsStream("/torchscript/" + name)) {
            return in.readAllBytes();
        }
    }

    private static FuzzFormat torchScript() throws IOException {
        byte[] dict = resource("tiny_dict.pt");
        List<Seed> seeds = List.of(new Seed("tiny_dict.pt", dict), new Seed("tiny_logits.pt",
                resource("tiny_logits.pt")));
        List<Crafted> c = new ArrayList<>();
        c.add(crafted("pickle with a code-running __reduce__", dir -> {
            Path marker = canaryOf(dir).resolveSibling("ran");
            Path f = Files.write(dir.resolve("model.pt"), HostileTorchFiles.codeRunningPickle(marker));
            return f;
        }));
        c.add(crafted("TorchScript archive whose data.pkl runs code", dir -> Files.write(dir.resolve("model.pt"),
                HostileTorchFiles.replaceEntry(dict, "/data.pkl", HostileTorchFiles.codeRunningPickle(canaryOf(dir).resolveSibling("ran"))))));
        c.add(crafted("torch.save archive", dir -> Files.write(dir.resolve("model.pt"),
                HostileTorchFiles.torchSaveArchive())));
        c.add(crafted("zip bomb", dir -> Files.write(dir.resolve("model.pt"), HostileTorchFiles.zipBomb(100))));
        return new FuzzFormat("TorchScript", ".pt", InputSpec.rgb01(12), seeds, c);
    }

    // ---- TensorFlow Lite

    private static FuzzFormat tfLite() throws IOException {
        List<Seed> seeds = new ArrayList<>();
        seeds.add(new Seed("small float classifier", org.circuitscope.tflite.FuzzTfLite.classifier()));
        // a real quantised MobileNet (uint8 weights and activations, per-tensor scales) when the fixtures are here
        Path real = Path.of(System.getProperty("circuitscope.shared", "../shared"), "models", "tflite",
                "mobilenet_v1_0.25_128_quant.tflite");
        if (Files.isRegularFile(real)) {
            seeds.add(new Seed("mobilenet_v1_0.25_128_quant", Files.readAllBytes(real)));
        } else {
            System.err.println("SKIPPED: TFLite fuzzing without the shared MobileNet seed (" + real + ")");
        }
        List<Crafted> c = new ArrayList<>();
        org.circuitscope.tflite.FuzzTfLite.malformed().forEach((name, bytes) -> c.add(crafted(name,
                dir -> Files.write(dir.resolve("model.tflite"), bytes))));
        return new FuzzFormat("TFLite", ".tflite", null, seeds, c);
    }
}
