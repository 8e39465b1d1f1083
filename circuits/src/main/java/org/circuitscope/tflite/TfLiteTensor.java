package org.circuitscope.tflite;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * One tensor of a TensorFlow Lite subgraph: its index, name, NHWC shape, element type, quantisation and, for a
 * constant, the bytes of its buffer (little-endian, row-major); {@code data} is null for activations.
 */
record TfLiteTensor(int index, String name, int[] shape, TensorType type, Quantization quantization,
                    ByteBuffer data) {

    boolean constant() {
        return data != null;
    }

    long[] longShape() {
        return Arrays.stream(shape).asLongStream().toArray();
    }

    long elements() {
        long n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }

    /** How the tensor is named in messages: its name and index. */
    String describe() {
        return "'" + name + "' (tensor " + index + ", " + type + " " + Arrays.toString(shape) + ")";
    }

    @Override
    public String toString() {
        return describe();
    }
}
