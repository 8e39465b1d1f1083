package org.circuitscope.model;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * One addressable layer: a value the graph computes (its name is the value's name), the op that computes it, the
 * layers it reads, its output shape for the model's input size (batch of 1), its parameters' names and count, and
 * the integer attributes of the node that computes it (kernel_shape, strides, pads, dilations, … as the model file
 * states them; empty when the importer records none).
 */
public record Layer(String name, String op, List<String> inputs, long[] shape, List<String> parameters,
                    long parameterCount, Map<String, long[]> attributes) {

    public Layer {
        attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
    }

    public Layer(String name, String op, List<String> inputs, long[] shape, List<String> parameters,
                 long parameterCount) {
        this(name, op, inputs, shape, parameters, parameterCount, Map.of());
    }

    public long channels() {
        return shape.length > 1 ? shape[1] : shape.length == 1 ? shape[0] : 1;
    }

    /** Whether the layer is a spatial map (N×C×H×W). */
    public boolean spatial() {
        return shape.length == 4;
    }

    /** An integer attribute of the layer's node (a copy), or {@code fallback} when it is not stated. */
    public long[] attribute(String key, long[] fallback) {
        long[] v = attributes.get(key);
        return v == null ? fallback : v.clone();
    }

    @Override
    public String toString() {
        return name + " (" + op + ") " + Arrays.toString(shape);
    }
}
