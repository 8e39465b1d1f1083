package org.circuitscope.graph;

import java.util.List;

/**
 * A graph node in circuitscope's op vocabulary: a canonical op name ({@link org.circuitscope.ops.OpSet}; never a
 * source format's own name), its input and output value names (an empty input name is an absent optional input)
 * and its typed attributes. Importers build nodes; the {@link Graph} binds each to its implementation, and every
 * other consumer (expanded weights, sub-networks, circuits, receptive fields, the layer table) reads the same op
 * and attributes.
 */
public record Node(String name, String op, List<String> inputs, List<String> outputs, Attributes attributes) {

    public Node {
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
        attributes = attributes == null ? Attributes.NONE : attributes;
    }

    /** A node without attributes. */
    public Node(String name, String op, List<String> inputs, List<String> outputs) {
        this(name, op, inputs, outputs, Attributes.NONE);
    }

    /** The first output: the value a layer of this node is named for. */
    public String output() {
        return outputs.get(0);
    }

    @Override
    public String toString() {
        return "node '" + name + "' (" + op + ")";
    }
}
