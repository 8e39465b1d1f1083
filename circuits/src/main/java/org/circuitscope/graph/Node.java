package org.circuitscope.graph;

import java.util.List;
import java.util.Map;

/**
 * A graph node: an op type (as the source format names it), its input and output value names, its bound op, the
 * names of its inputs that are parameters (weights, biases) rather than activations, and its integer attributes
 * as the source format states them (for ONNX: {@code kernel_shape}, {@code strides}, {@code pads},
 * {@code dilations}, {@code axis}, …; a scalar is a one-element array). The attributes are for reading
 * (receptive-field arithmetic, layer tables); the bound op already holds what it needs.
 */
public record Node(String name, String opType, List<String> inputs, List<String> outputs, Op op,
                   List<String> parameterInputs, Map<String, long[]> attributes) {

    public Node {
        attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
    }

    /** A node whose attributes are not recorded. */
    public Node(String name, String opType, List<String> inputs, List<String> outputs, Op op,
                List<String> parameterInputs) {
        this(name, opType, inputs, outputs, op, parameterInputs, Map.of());
    }

    /** An integer attribute (a copy), or {@code fallback} when the node does not state it. */
    public long[] attribute(String key, long[] fallback) {
        long[] v = attributes.get(key);
        return v == null ? fallback : v.clone();
    }
}
