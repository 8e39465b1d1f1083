package org.circuitscope.onnx.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.circuitscope.onnx.proto.Onnx;
import org.circuitscope.organism.OrganismNet;
import org.circuitscope.organism.OrganismTrainer;
import org.circuitscope.organism.World;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OnnxWriterTest {

    private static final List<String> OPS = List.of("Conv", "Relu", "MaxPool", "Conv", "Relu", "MaxPool", "Conv",
            "Relu", "MaxPool", "Conv", "Relu", "Conv", "Relu", "GlobalAveragePool", "Flatten", "Gemm");
    private static final List<String> OUTPUTS = List.of("conv1_pre_relu", "conv1", "pool1", "conv2_pre_relu",
            "conv2", "pool2", "conv3_pre_relu", "conv3", "pool3", "conv4_pre_relu", "conv4", "conv5_pre_relu",
            "conv5", "gap", "flatten", "logits");

    @Test
    void organismExportParsesBackWithTheExpectedGraphAndMetadata() throws Exception {
        OrganismNet net = OrganismNet.initial(4, World.CLASSES.size(), 3);
        byte[] bytes = net.toOnnx(World.CLASSES, "a test line");
        Onnx.ModelProto m = Onnx.ModelProto.parseFrom(bytes);
        assertEquals(7, m.getIrVersion());
        assertEquals(1, m.getOpsetImportCount());
        assertEquals("", m.getOpsetImport(0).getDomain());
        assertEquals(13, m.getOpsetImport(0).getVersion());
        assertEquals("circuitscope", m.getProducerName());

        Onnx.GraphProto g = m.getGraph();
        List<String> ops = new ArrayList<>();
        List<String> outs = new ArrayList<>();
        for (Onnx.NodeProto n : g.getNodeList()) {
            ops.add(n.getOpType());
            assertEquals(1, n.getOutputCount());
            outs.add(n.getOutput(0));
        }
        assertEquals(OPS, ops);
        assertEquals(OUTPUTS, outs);

        Onnx.NodeProto conv1 = g.getNode(0);
        assertEquals(List.of("input", "conv1.weight", "conv1.bias"), conv1.getInputList());
        Map<String, Onnx.AttributeProto> attrs = new HashMap<>();
        conv1.getAttributeList().forEach(a -> attrs.put(a.getName(), a));
        assertEquals(List.of(3L, 3L), attrs.get("kernel_shape").getIntsList());
        assertEquals(List.of(1L, 1L), attrs.get("strides").getIntsList());
        assertEquals(List.of(1L, 1L, 1L, 1L), attrs.get("pads").getIntsList());
        Onnx.NodeProto gemm = g.getNode(15);
        assertEquals(List.of("flatten", "logits.weight", "logits.bias"), gemm.getInputList());
        assertTrue(gemm.getAttributeList().stream().anyMatch(a -> a.getName().equals("transB") && a.getI() == 1));

        assertEquals(1, g.getInputCount());
        assertEquals("input", g.getInput(0).getName());
        List<Onnx.TensorShapeProto.Dimension> dims = g.getInput(0).getType().getTensorType().getShape().getDimList();
        assertEquals("N", dims.get(0).getDimParam());
        assertEquals(List.of(3L, 64L, 64L), dims.subList(1, 4).stream().map(d -> d.getDimValue()).toList());
        assertEquals("logits", g.getOutput(0).getName());

        List<String> inits = g.getInitializerList().stream().map(Onnx.TensorProto::getName).toList();
        assertEquals(net.parameterNames(), inits);
        for (Onnx.TensorProto t : g.getInitializerList()) {
            assertEquals(Onnx.TensorProto.DataType.FLOAT_VALUE, t.getDataType());
            assertArrayEquals(net.shape(t.getName()), t.getDimsList().stream().mapToLong(Long::longValue).toArray());
            float[] back = new float[t.getRawData().size() / 4];
            ByteBuffer.wrap(t.getRawData().toByteArray()).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(back);
            assertArrayEquals(net.values(t.getName()), back, t.getName());
        }

        Map<String, String> meta = new HashMap<>();
        m.getMetadataPropsList().forEach(e -> meta.put(e.getKey(), e.getValue()));
        assertEquals("RGB", meta.get("input.channel_order"));
        assertEquals("0..1", meta.get("input.range"));
        assertEquals("0.5,0.5,0.5", meta.get("input.mean"));
        assertEquals("0.25,0.25,0.25", meta.get("input.std"));
        assertEquals("64", meta.get("input.size"));
        assertEquals(String.join("\n", World.CLASSES), meta.get("labels"));
        assertEquals("a test line", meta.get("source"));
    }

    @Test
    void writerRefusesDanglingAndDuplicateNames(@TempDir Path dir) throws Exception {
        OnnxWriter w = new OnnxWriter("g");
        w.input("x", new long[] {-1, 2}, "N");
        assertThrows(IllegalArgumentException.class, () -> w.relu("nope", "y"));
        w.relu("x", "y");
        assertThrows(IllegalArgumentException.class, () -> w.relu("x", "y"));
        assertThrows(IllegalArgumentException.class, () -> w.initializer("w", new long[] {2, 2}, new float[3]));
        assertThrows(IllegalArgumentException.class, () -> w.output("z", new long[] {1}, null));
        assertThrows(IllegalStateException.class, () -> new OnnxWriter("empty").build());
        w.output("y", new long[] {-1, 2}, "N");
        Path file = dir.resolve("sub/relu.onnx");
        w.write(file);
        Onnx.ModelProto m = Onnx.ModelProto.parseFrom(Files.readAllBytes(file));
        assertEquals("Relu", m.getGraph().getNode(0).getOpType());

        // and ONNX Runtime runs it
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession s = env.createSession(Files.readAllBytes(file), new OrtSession.SessionOptions());
                OnnxTensor x = OnnxTensor.createTensor(env, FloatBuffer.wrap(new float[] {-1, 2, 3, -4}),
                        new long[] {2, 2});
                OrtSession.Result r = s.run(Map.of("x", x))) {
            float[][] y = (float[][]) r.get(0).getValue();
            assertArrayEquals(new float[] {0, 2}, y[0]);
            assertArrayEquals(new float[] {3, 0}, y[1]);
        }
    }

    @Test
    void trainedModelRunsInOnnxRuntimeWithTheSameLogitsAsDjl() throws Exception {
        OrganismTrainer.Config cfg = new OrganismTrainer.Config(5, 4, 15, 16, 3e-3, 1, 0, 0);
        OrganismNet net = OrganismTrainer.train(cfg, null).net();
        byte[] onnx = net.toOnnx(World.CLASSES, "15 steps");

        int n = 6;
        int plane = 3 * World.SIZE * World.SIZE;
        float[] pixels = new float[n * plane];
        for (int i = 0; i < n; i++) {
            World.toChw(World.scene(99, i).render(), pixels, i * plane);
        }
        OrganismNet.normalize(pixels);
        float[] djl = OrganismTrainer.logits(net, pixels, n);

        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions opts = new OrtSession.SessionOptions()) {
            opts.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.NO_OPT);
            try (OrtSession s = env.createSession(onnx, opts);
                    OnnxTensor x = OnnxTensor.createTensor(env, FloatBuffer.wrap(pixels),
                            new long[] {n, 3, World.SIZE, World.SIZE});
                    OrtSession.Result r = s.run(Map.of("input", x))) {
                float[][] ort = (float[][]) r.get("logits").orElseThrow().getValue();
                assertEquals(n, ort.length);
                double max = 0;
                for (int i = 0; i < n; i++) {
                    assertEquals(World.CLASSES.size(), ort[i].length);
                    for (int c = 0; c < ort[i].length; c++) {
                        max = Math.max(max, Math.abs(ort[i][c] - djl[i * ort[i].length + c]));
                    }
                }
                assertTrue(max <= 1e-4, "ORT and DJL logits differ by " + max);
            }
        }
    }
}
