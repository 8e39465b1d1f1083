package org.circuitscope.featurevis;

import static org.circuitscope.onnx.TestGraphs.ints;
import static org.circuitscope.onnx.TestGraphs.list;

import org.circuitscope.model.InputSpec;
import org.circuitscope.model.Model;
import org.circuitscope.onnx.TestGraphs;

/**
 * A small random convolutional network for fast feature-visualisation tests: r1 (8 channels, full size), r2 (16,
 * half), r3 (16, quarter) and p4, a 4×4 max pool on r3 that needs images of at least 16 px.
 */
final class TinyModel {
    private TinyModel() {
    }

    static Model create() {
        byte[] bytes = new TestGraphs(7).opset(13).input("x", 1, 3, 32, 32)
                .weight("w1", 8, 3, 3, 3).weight("b1", 8)
                .node("Conv", list("x", "w1", "b1"), list("c1"), ints("pads", 1, 1, 1, 1))
                .node("Relu", "c1", "r1")
                .weight("w2", 16, 8, 3, 3).weight("b2", 16)
                .node("Conv", list("r1", "w2", "b2"), list("c2"), ints("pads", 1, 1, 1, 1), ints("strides", 2, 2))
                .node("Relu", "c2", "r2")
                .weight("w3", 16, 16, 3, 3).weight("b3", 16)
                .node("Conv", list("r2", "w3", "b3"), list("c3"), ints("pads", 1, 1, 1, 1), ints("strides", 2, 2))
                .node("Relu", "c3", "r3")
                .node("MaxPool", "r3", "p4", ints("kernel_shape", 4, 4))
                .output("p4").bytes();
        return Model.fromOnnx(bytes, "tiny", InputSpec.rgb01(32));
    }
}
