package org.circuitscope.graph;

import java.util.List;

/**
 * A graph node: an op type (as the source format names it), its input and output value names, its bound op, and
 * the names of its inputs that are parameters (weights, biases) rather than activations.
 */
public record Node(String name, String opType, List<String> inputs, List<String> outputs, Op op,
                   List<String> parameterInputs) {
}
