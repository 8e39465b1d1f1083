package org.circuitscope.ops;

import org.circuitscope.graph.Attributes;
import org.circuitscope.graph.Op;

/**
 * One op of circuitscope's vocabulary: how a node of it is bound to an executable {@link Op} (refusing attribute
 * variants it does not implement), how it linearises, whether each output channel depends only on the same input
 * channel, and how many of its outputs it computes (later optional outputs, such as Dropout's mask or MaxPool's
 * indices, are not computed and cannot be read).
 *
 * @param name            the canonical op name (ONNX's)
 * @param binder          binds a node's attributes to its implementation
 * @param linearity       its role in the linearised network
 * @param channelwise     whether output channel c at a position depends only on input channel c at the same
 *                        position of its activation input (activation functions, batch norm, arithmetic with one
 *                        activation and a constant; not pools, which mix positions)
 * @param computedOutputs how many leading outputs the implementation produces
 * @param attributes      the attribute names it reads or knowingly ignores (seeds, training-only settings); any other
 *                        attribute is refused when a node is bound, so nothing is silently misread
 */
public record OpDefinition(String name, Binder binder, Linearity linearity, boolean channelwise, int computedOutputs,
                           java.util.Set<String> attributes) {

    /** Binds a node's attributes; throws {@link org.circuitscope.graph.GraphException} for unsupported variants. */
    @FunctionalInterface
    public interface Binder {
        Op bind(Attributes attributes);
    }
}
