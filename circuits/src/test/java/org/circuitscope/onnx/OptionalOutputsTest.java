package org.circuitscope.onnx;

import static org.circuitscope.onnx.TestGraphs.ints;
import static org.circuitscope.onnx.TestGraphs.list;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.circuitscope.model.InputSpec;
import org.circuitscope.model.Model;
import org.circuitscope.model.ModelException;
import org.circuitscope.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * Exporters declare optional outputs nothing reads (GoogLeNet's Dropout masks and MaxPool indices, as in the ONNX
 * model zoo): such models load and run, the outputs are simply not computed; a node that does read one is refused
 * at load, naming it.
 */
class OptionalOutputsTest {

    private static TestGraphs net(boolean readMask) {
        TestGraphs g = new TestGraphs(2).opset(13).input("x", 1, 3, 8, 8).weight("w", 4, 3, 3, 3);
        g.node("Conv", list("x", "w"), list("conv"), ints("pads", 1, 1, 1, 1));
        g.node("MaxPool", list("conv"), list("pool", "pool_indices"), ints("kernel_shape", 2, 2),
                ints("strides", 2, 2));
        g.node("Dropout", list("pool"), list("drop", "drop_mask"));
        if (readMask) {
            g.node("Cast", list("drop_mask"), list("mask_float"), TestGraphs.integer("to", 1));
            g.node("Mul", list("drop", "mask_float"), list("y"));
        } else {
            g.node("Relu", "drop", "y");
        }
        return g.output("y");
    }

    @Test
    void unreadOptionalOutputsAreNotComputedAndTheModelRuns() {
        try (Model m = Model.fromOnnx(net(false).bytes(), "googlenet-like", InputSpec.rgb01(8))) {
            Tensor y = m.run(Tensor.zeros(2, 3, 8, 8), "y").get("y");
            assertTrue(y.shape()[0] == 2 && y.shape()[1] == 4, java.util.Arrays.toString(y.shape()));
            List<String> names = m.layers().names();
            assertTrue(names.contains("pool") && names.contains("drop"), names.toString());
            assertFalse(names.contains("pool_indices") || names.contains("drop_mask"), names.toString());
        }
    }

    @Test
    void readingAnOutputThatIsNotComputedIsRefusedAtLoad() {
        ModelException e = assertThrows(ModelException.class,
                () -> Model.fromOnnx(net(true).bytes(), "reads-mask", InputSpec.rgb01(8)));
        assertTrue(e.getMessage().contains("drop_mask") && e.getMessage().contains("Dropout"), e.getMessage());
    }
}
