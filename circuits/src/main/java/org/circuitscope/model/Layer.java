package org.circuitscope.model;

import java.util.Arrays;
import java.util.List;
import org.circuitscope.graph.Attributes;

/**
 * One addressable layer: a value the graph computes (its name is the value's name), the op of circuitscope's
 * vocabulary that computes it ({@link org.circuitscope.ops.OpSet}; "Input" for the image, "TorchScript" for an
 * opaque module), the layers it reads, its output shape for the model's input size (batch of 1), its parameters'
 * names and count, and the typed attributes of the node that computes it.
 */
public record Layer(String name, String op, List<String> inputs, long[] shape, List<String> parameters,
                    long parameterCount, Attributes attributes) {

    public Layer {
        attributes = attributes == null ? Attributes.NONE : attributes;
    }

    public Layer(String name, String op, List<String> inputs, long[] shape, List<String> parameters,
                 long parameterCount) {
        this(name, op, inputs, shape, parameters, parameterCount, Attributes.NONE);
    }

    public long channels() {
        return shape.length > 1 ? shape[1] : shape.length == 1 ? shape[0] : 1;
    }

    /** Whether the layer is a spatial map (N×C×H×W). */
    public boolean spatial() {
        return shape.length == 4;
    }

    /** An integer (list) attribute of the layer's node (a copy), or {@code fallback} when it is not stated. */
    public long[] attribute(String key, long[] fallback) {
        return attributes.getInts(key, fallback);
    }

    @Override
    public String toString() {
        return name + " (" + op + ") " + Arrays.toString(shape);
    }
}
