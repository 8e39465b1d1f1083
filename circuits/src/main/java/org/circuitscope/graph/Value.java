package org.circuitscope.graph;

import ai.djl.ndarray.NDArray;
import java.util.Arrays;

/**
 * What flows along a graph edge: a float array on the engine (activations, weights), or a small integer tensor
 * known on the Java side (shapes and indices, as exporters emit around Flatten and Reshape). Keeping the integer
 * bookkeeping in Java keeps it out of autograd and makes reshapes exact.
 */
public sealed interface Value permits Value.Array, Value.Ints {

    record Array(NDArray array) implements Value {
    }

    record Ints(long[] shape, long[] data) implements Value {
        public static Ints vector(long... data) {
            return new Ints(new long[] {data.length}, data);
        }

        public static Ints scalar(long v) {
            return new Ints(new long[0], new long[] {v});
        }

        @Override
        public String toString() {
            return "Ints" + Arrays.toString(shape) + Arrays.toString(data);
        }
    }

    default NDArray array() {
        if (this instanceof Array a) {
            return a.array();
        }
        throw new GraphException("expected a float tensor but got integers " + this);
    }

    default Ints ints() {
        if (this instanceof Ints i) {
            return i;
        }
        throw new GraphException("expected a constant integer tensor (a shape or indices) but got a computed "
                + "float tensor; circuitscope needs shapes to be known when the graph runs");
    }
}
