package org.circuitscope.tf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.circuitscope.model.InputSpec;
import org.circuitscope.model.Model;
import org.circuitscope.model.ModelException;
import org.circuitscope.model.Models;
import org.circuitscope.onnx.TestGraphs;
import org.circuitscope.tensor.Tensor;
import org.circuitscope.tf.proto.Tf.AttrValue;
import org.circuitscope.tf.proto.Tf.DataType;
import org.circuitscope.tf.proto.Tf.GraphDef;
import org.circuitscope.tf.proto.Tf.NodeDef;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A small network with the ops of Lucid's InceptionV1 (inception5h), written once as a TensorFlow GraphDef (NHWC,
 * HWIO filters, SAME padding, TF's LRN) and once as ONNX (NCHW, OIHW): the GraphDef imported by circuitscope
 * computes what ONNX Runtime computes for the ONNX form, layer by layer, under the GraphDef's layer names.
 */
class GraphDefImporterTest {
    @Test
    void graphDefMatchesTheSameNetworkInOnnx(@TempDir Path dir) throws Exception {
        MiniInception net = MiniInception.build();
        Path pb = dir.resolve("mini_inception.pb");
        Files.write(pb, net.graphDef().toByteArray());
        List<String> layers = List.of("conv2d0_pre_relu", "conv2d0", "maxpool0", "localresponsenorm0",
                "mixed_3x3_pre_relu", "mixed_pool", "mixed", "mixed2", "avgpool0", "avgpool0/reshape",
                "softmax2_pre_activation", "softmax2");
        Tensor x = TestGraphs.random(9, 1, 3, MiniInception.S, MiniInception.S);
        // inception5h's preprocessing: 0..255 minus 117
        InputSpec spec = new InputSpec(MiniInception.S, MiniInception.S, false, 0, 255, new float[] {117, 117, 117}, new float[] {1, 1, 1});
        Tensor modelSpace = Tensor.zeros(x.shape());
        for (int i = 0; i < x.size(); i++) {
            modelSpace.data()[i] = x.data()[i] * 255f - 117f;
        }
        Map<String, Tensor> reference = TestGraphs.runOrt(TestGraphs.exposeAll(net.onnx().model(), layers), "input",
                modelSpace, layers);
        try (Model model = Models.loadFile(pb, spec)) {
            Map<String, Tensor> ours = model.run(x, layers.toArray(String[]::new));
            for (String l : layers) {
                assertArrayEquals(reference.get(l).shape(), ours.get(l).shape(), l);
                double err = TestGraphs.relativeError(ours.get(l), reference.get(l));
                assertTrue(err < 1e-5, l + ": relative error " + err);
            }
            assertEquals("softmax2_pre_activation", model.classOutput());
            assertEquals(List.of(8L, 3L, 3L, 3L), boxed(model.weights("conv2d0_pre_relu/conv").shape()));
            assertEquals("Relu", model.layers().get("conv2d0").op());
            assertEquals(List.of("conv2d0_pre_relu"), model.layers().get("conv2d0").inputs());
        }
    }

    @Test
    void badGraphDefsGiveSpecificMessages(@TempDir Path dir) throws Exception {
        Path junk = dir.resolve("junk.pb");
        Files.write(junk, new byte[] {0x0a, (byte) 0xff, 0x01, 0x02});
        ModelException e = assertThrows(ModelException.class, () -> Models.loadFile(junk, null));
        assertTrue(e.getMessage().contains("not a valid TensorFlow GraphDef"), e.getMessage());

        GraphDef weird = GraphDef.newBuilder()
                .addNode(NodeDef.newBuilder().setName("input").setOp("Placeholder").putAttr("dtype",
                        AttrValue.newBuilder().setType(DataType.DT_FLOAT).build()))
                .addNode(NodeDef.newBuilder().setName("weird").setOp("FusedBatchNormV3").addInput("input")).build();
        Path unsupported = dir.resolve("unsupported.pb");
        Files.write(unsupported, weird.toByteArray());
        ModelException u = assertThrows(ModelException.class, () -> Models.loadFile(unsupported, InputSpec.rgb01(8)));
        assertTrue(u.getMessage().contains("FusedBatchNormV3") && u.getMessage().contains("weird"), u.getMessage());
    }

    private static List<Long> boxed(long[] a) {
        return java.util.Arrays.stream(a).boxed().toList();
    }
}
