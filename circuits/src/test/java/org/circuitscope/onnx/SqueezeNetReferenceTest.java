package org.circuitscope.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.circuitscope.model.Layer;
import org.circuitscope.model.Model;
import org.circuitscope.model.Models;
import org.circuitscope.onnx.proto.Onnx.ModelProto;
import org.circuitscope.tensor.Tensor;
import org.circuitscope.testing.SharedFixtures;
import org.junit.jupiter.api.Test;

/** Every SqueezeNet layer the engine computes equals ONNX Runtime's value for the same input. */
class SqueezeNetReferenceTest {

    @Test
    void everyLayerMatchesOnnxRuntime() throws Exception {
        var file = SharedFixtures.squeezenet();
        try (Model model = Models.loadFile(file, null)) {
            Tensor rgb = TestGraphs.random(3, 1, 3, 227, 227);
            List<String> names = new ArrayList<>();
            for (Layer l : model.layers().all()) {
                if (!l.op().equals("Input")) {
                    names.add(l.name());
                }
            }
            Map<String, Tensor> ours = model.run(rgb, names.toArray(String[]::new));
            ModelProto proto = OnnxImporter.parse(file);
            byte[] exposed = TestGraphs.exposeAll(proto, names);
            Map<String, Tensor> reference = TestGraphs.runOrt(exposed, "data", modelSpace(rgb), names);
            double worst = 0;
            String worstName = "";
            for (String n : names) {
                assertArrayEquals(reference.get(n).shape(), ours.get(n).shape(), n);
                double err = TestGraphs.relativeError(ours.get(n), reference.get(n));
                if (err > worst) {
                    worst = err;
                    worstName = n;
                }
            }
            System.out.printf("SqueezeNet: %d layers compared with ONNX Runtime; worst relative error %.2e at %s%n",
                    names.size(), worst, worstName);
            assertTrue(worst < 1e-4, "worst relative error " + worst + " at " + worstName);
        }
    }

    /** RGB [0, 1] to SqueezeNet's BGR 0..255 minus (104, 117, 123), computed independently of the engine. */
    private static Tensor modelSpace(Tensor rgb) {
        long[] s = rgb.shape();
        int plane = (int) (s[2] * s[3]);
        float[] mean = {104, 117, 123};
        Tensor out = Tensor.zeros(s);
        for (int n = 0; n < s[0]; n++) {
            for (int c = 0; c < 3; c++) {
                int src = (int) ((n * 3 + (2 - c)) * (long) plane);
                int dst = (int) ((n * 3 + c) * (long) plane);
                for (int i = 0; i < plane; i++) {
                    out.data()[dst + i] = rgb.data()[src + i] * 255f - mean[c];
                }
            }
        }
        return out;
    }
}
