package org.circuitscope.model;

import static org.circuitscope.onnx.TestGraphs.ints;
import static org.circuitscope.onnx.TestGraphs.list;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.circuitscope.onnx.TestGraphs;
import org.circuitscope.onnx.proto.Onnx.GraphProto;
import org.circuitscope.onnx.proto.Onnx.ModelProto;
import org.circuitscope.onnx.proto.Onnx.OperatorSetIdProto;
import org.circuitscope.onnx.proto.Onnx.StringStringEntryProto;
import org.circuitscope.onnx.proto.Onnx.TensorProto;
import org.circuitscope.testing.HostileTorchFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files made to hurt: structural lies, sizes that would inflate memory, corrupt metadata, pickles that would run
 * code and zip bombs. Each is refused at load with a ModelException that names the problem, quickly, without
 * allocating what the file declares and without running anything.
 */
class HostileFilesTest {

    private static TestGraphs conv() {
        return new TestGraphs(3).input("x", 1, 3, 8, 8).weight("w", 4, 3, 3, 3)
                .node("Conv", list("x", "w"), list("conv"), ints("pads", 1, 1, 1, 1));
    }

    private static String refusal(byte[] onnx) {
        return assertThrows(ModelException.class, () -> Model.fromOnnx(onnx, "hostile", InputSpec.rgb01(8)).close())
                .getMessage();
    }

    @Test
    void structuralErrorsAreRefusedAtLoad() {
        String undeclared = refusal(conv().output("conv").output("logits").bytes());
        assertTrue(undeclared.contains("output 'logits'") && undeclared.contains("no node produces it"), undeclared);
        String twice = refusal(conv().output("conv").output("conv").bytes());
        assertTrue(twice.contains("declares output 'conv' twice"), twice);
        String opset = refusal(conv().opset(99).output("conv").bytes());
        assertTrue(opset.contains("opset 99") && opset.contains("up to 28"), opset);
        String dangling = refusal(conv().node("Relu", "nowhere", "r").output("r").bytes());
        assertTrue(dangling.contains("reads 'nowhere'") && dangling.contains("which no node"), dangling);
        String produced = refusal(conv().node("Relu", "x", "conv").output("conv").bytes());
        assertTrue(produced.contains("'conv' is produced twice"), produced);
        String cycle = refusal(new TestGraphs(1).input("x", 1, 3, 8, 8).node("Add", list("x", "b"), list("a"))
                .node("Relu", "a", "b").output("b").bytes());
        assertTrue(cycle.contains("cycle"), cycle);
    }

    private static byte[] withMetadata(TestGraphs g, String key, String value) {
        ModelProto m = g.model();
        return m.toBuilder().addMetadataProps(StringStringEntryProto.newBuilder().setKey(key).setValue(value)).build()
                .toByteArray();
    }

    @Test
    void labelCountMustMatchTheClasses(@TempDir Path dir) throws IOException {
        TestGraphs g = conv().node("GlobalAveragePool", "conv", "pool").node("Flatten", "pool", "logits")
                .output("logits");
        Path one = Files.write(dir.resolve("one.onnx"), withMetadata(g, "labels", "cat"));
        ModelException e = assertThrows(ModelException.class, () -> Models.loadFile(one, InputSpec.rgb01(8)));
        assertTrue(e.getMessage().contains("1 label") && e.getMessage().contains("has 4 classes"),
                e.getMessage());
        Path four = Files.write(dir.resolve("four.onnx"), withMetadata(conv().node("GlobalAveragePool", "conv",
                "pool").node("Flatten", "pool", "logits").output("logits"), "labels", "a\nb\nc\nd"));
        try (Model m = Models.loadFile(four, InputSpec.rgb01(8))) {
            assertEquals(4, m.labels().size());
        }
    }

    @Test
    void corruptMetadataAndHugeInputSizesAreExplained() {
        String mean = assertThrows(ModelException.class, () -> Model.fromOnnx(withMetadata(conv().output("conv"),
                "input.mean", "abc"), "m", null)).getMessage();
        assertTrue(mean.contains("input.mean") && mean.contains("'abc'"), mean);
        String size = assertThrows(ModelException.class, () -> Model.fromOnnx(withMetadata(conv().output("conv"),
                "input.size", "12x"), "m", null)).getMessage();
        assertTrue(size.contains("input.size") && size.contains("'12x'"), size);
        String huge = assertThrows(ModelException.class, () -> InputSpec.rgb01(8).withSize(100000, 100000))
                .getMessage();
        assertTrue(huge.contains("100000x100000 is too large"), huge);
        String fromFile = assertThrows(ModelException.class, () -> Model.fromOnnx(withMetadata(conv().output("conv"),
                "input.size", "100000"), "m", null)).getMessage();
        assertTrue(fromFile.contains("too large"), fromFile);
    }

    @Test
    void aTinyFileDeclaringHugeTensorsAllocatesNothingBig(@TempDir Path dir) throws IOException {
        ModelProto base = conv().output("conv").model();
        GraphProto g = base.getGraph().toBuilder().setInitializer(0, TensorProto.newBuilder().setName("w")
                .setDataType(TensorProto.DataType.FLOAT_VALUE).addDims(4).addDims(3).addDims(3000).addDims(3000))
                .build();
        byte[] bytes = base.toBuilder().setGraph(g).build().toByteArray();
        assertTrue(bytes.length < 200, bytes.length + " bytes");
        Path file = Files.write(dir.resolve("tiny.onnx"), bytes);
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        ModelException e = assertThrows(ModelException.class, () -> Models.loadFile(file, InputSpec.rgb01(8)));
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertTrue(e.getMessage().contains("tensor 'w'") && e.getMessage().contains("holds 0"), e.getMessage());
        assertTrue(allocated < 20_000_000, "a " + bytes.length + "-byte file made " + allocated + " bytes of heap");
    }

    // ---- TorchScript

    private static Path resource(String name) throws Exception {
        return Path.of(HostileFilesTest.class.getResource("/torchscript/" + name).toURI());
    }

    @Test
    void picklesThatWouldRunCodeAreRefusedAndNothingRuns(@TempDir Path dir) throws Exception {
        Path marker = dir.resolve("marker");
        byte[] pickle = HostileTorchFiles.codeRunningPickle(marker);
        Path python = Path.of("/usr/bin/python3");
        if (Files.isExecutable(python)) {
            // the payload is real: Python's own unpickler runs it
            Path probe = Files.write(dir.resolve("probe.pkl"), pickle);
            Process p = new ProcessBuilder(python.toString(), "-c", "import pickle,sys; pickle.load(open(sys.argv[1],"
                    + "'rb'))", probe.toString()).inheritIO().start();
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
            assertTrue(Files.exists(marker), "Python's unpickler ran the payload");
            Files.delete(marker);
        } else {
            System.err.println("SKIPPED the check that the payload runs in Python: no " + python);
        }
        Path bare = Files.write(dir.resolve("model.pt"), pickle);
        ModelException e = assertThrows(ModelException.class, () -> Models.loadFile(bare, InputSpec.rgb01(12)));
        assertTrue(e.getMessage().contains("pickled Python object") && e.getMessage().contains("never unpickles"),
                e.getMessage());
        assertFalse(Files.exists(marker), "nothing ran");

        // the same payload as the data.pkl of a real TorchScript archive
        Path inArchive = Files.write(dir.resolve("evil.pt"), HostileTorchFiles.replaceEntry(Files.readAllBytes(resource("tiny_dict.pt")), "/data.pkl",
                pickle));
        ModelException a = assertThrows(ModelException.class, () -> Models.loadFile(inArchive, InputSpec.rgb01(12)));
        assertTrue(a.getMessage().contains("data.pkl") && a.getMessage().contains("posix.system")
                && a.getMessage().contains("Nothing of the file was run"), a.getMessage());
        assertFalse(Files.exists(marker), "nothing ran");
    }

    @Test
    void torchSaveArchivesAndZipBombsAreRefusedBeforeLibtorchSeesThem(@TempDir Path dir) throws Exception {
        Path sd = Files.write(dir.resolve("weights.pt"), HostileTorchFiles.torchSaveArchive());
        ModelException s = assertThrows(ModelException.class, () -> Models.loadFile(sd, InputSpec.rgb01(12)));
        assertTrue(s.getMessage().contains("torch.save archive") && s.getMessage().contains("no code/"),
                s.getMessage());

        // 400 MB of zeros deflate to about 400 KB: a 1000-fold inflation
        Path b = Files.write(dir.resolve("bomb.pt"), HostileTorchFiles.zipBomb(400));
        assertTrue(Files.size(b) < 2_000_000, Files.size(b) + " bytes");
        long t0 = System.nanoTime();
        ModelException z = assertThrows(ModelException.class, () -> Models.loadFile(b, InputSpec.rgb01(12)));
        long millis = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(z.getMessage().contains("zip bomb") && z.getMessage().contains("m/data/0"), z.getMessage());
        assertTrue(millis < 2000, "refused in " + millis + " ms");

        Path empty = Files.write(dir.resolve("empty.pt"), new byte[0]);
        assertTrue(assertThrows(ModelException.class, () -> Models.loadFile(empty, InputSpec.rgb01(12)))
                .getMessage().contains("empty"));
        Path text = Files.writeString(dir.resolve("text.pt"), "not a model at all");
        assertTrue(assertThrows(ModelException.class, () -> Models.loadFile(text, InputSpec.rgb01(12)))
                .getMessage().contains("does not start like a zip file"));
        // the real fixtures pass the checks
        try (Model m = Models.loadFile(resource("tiny_dict.pt"), InputSpec.rgb01(12))) {
            assertTrue(m.layers().names().contains("conv1"));
        }
    }

    @Test
    void opsetNumbersOfKnownReleasesLoad() {
        ModelProto m = conv().output("conv").model();
        byte[] opset28 = m.toBuilder().setOpsetImport(0, OperatorSetIdProto.newBuilder().setDomain("").setVersion(28))
                .build().toByteArray();
        try (Model ok = Model.fromOnnx(opset28, "ok", InputSpec.rgb01(8))) {
            assertEquals(4, ok.layers().get("conv").channels());
        }
    }
}
