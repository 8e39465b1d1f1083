package org.circuitscope.model;

import java.util.Arrays;
import java.util.List;

/**
 * One addressable layer: a value the graph computes (its name is the value's name), the op that computes it, the
 * layers it reads, its output shape for the model's input size (batch of 1) and its parameters' names and count.
 */
public record Layer(String name, String op, List<String> inputs, long[] shape, List<String> parameters,
                    long parameterCount) {

    public long channels() {
        return shape.length > 1 ? shape[1] : shape.length == 1 ? shape[0] : 1;
    }

    /** Whether the layer is a spatial map (N×C×H×W). */
    public boolean spatial() {
        return shape.length == 4;
    }

    @Override
    public String toString() {
        return name + " (" + op + ") " + Arrays.toString(shape);
    }
}
