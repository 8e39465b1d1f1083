package org.circuitscope.tflite;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.circuitscope.tflite.FlatWriter.Scalar;
import org.circuitscope.tflite.FlatWriter.Scalars;
import org.circuitscope.tflite.FlatWriter.Table;

/**
 * Builds small TensorFlow Lite files for tests, as the schema lays them out: tensors (NHWC shapes, types,
 * quantisation, buffers), operators with their builtin options, operator codes (codes of 127 and above in
 * builtin_code only, as newer converters write them; {@link #legacyCodes()} writes only the deprecated byte).
 */
final class TfLiteBuilder {
    private final List<Table> tensors = new ArrayList<>();
    private final List<Table> operators = new ArrayList<>();
    private final List<Table> buffers = new ArrayList<>();
    private final Map<Integer, Integer> codeIndex = new LinkedHashMap<>();
    private int[] inputs = new int[0];
    private int[] outputs = new int[0];
    private boolean legacy;

    TfLiteBuilder() {
        buffers.add(new Table()); // buffer 0: the empty sentinel
    }

    TfLiteBuilder legacyCodes() {
        legacy = true;
        return this;
    }

    /** A float32 activation tensor. */
    int activation(String name, int... shape) {
        return tensor(name, TensorType.FLOAT32, shape, null, null);
    }

    /** A tensor; {@code data} null for activations; {@code quant} null for none. */
    int tensor(String name, TensorType type, int[] shape, byte[] data, Table quant) {
        int buffer = 0;
        if (data != null) {
            buffers.add(new Table().set(0, Scalars.bytes(data)));
            buffer = buffers.size() - 1;
        }
        tensors.add(new Table().set(0, Scalars.ints(shape)).set(1, Scalar.i8(type.ordinal()))
                .set(2, Scalar.i32(buffer)).set(3, name).set(4, quant));
        return tensors.size() - 1;
    }

    int floats(String name, int[] shape, float... values) {
        ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            b.putFloat(v);
        }
        return tensor(name, TensorType.FLOAT32, shape, b.array(), null);
    }

    int int32s(String name, int[] shape, int... values) {
        return tensor(name, TensorType.INT32, shape, int32Bytes(values), null);
    }

    static byte[] int32Bytes(int... values) {
        ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (int v : values) {
            b.putInt(v);
        }
        return b.array();
    }

    static Table quantization(float[] scale, long[] zeroPoint, int dimension) {
        return new Table().set(2, Scalars.floats(scale)).set(3, Scalars.longs(zeroPoint))
                .set(6, Scalar.i32(dimension));
    }

    /** An operator; {@code optionsType} 0 and {@code options} null leave the options out. */
    TfLiteBuilder op(int code, int optionsType, Table options, int[] in, int[] out) {
        int k = codeIndex.computeIfAbsent(code, c -> codeIndex.size());
        operators.add(new Table().set(0, Scalar.i32(k)).set(1, Scalars.ints(in)).set(2, Scalars.ints(out))
                .set(3, optionsType == 0 ? null : Scalar.i8(optionsType)).set(4, options));
        return this;
    }

    TfLiteBuilder inputs(int... t) {
        inputs = t;
        return this;
    }

    TfLiteBuilder outputs(int... t) {
        outputs = t;
        return this;
    }

    static Table conv(int padding, int strideH, int strideW, int activation, int dilationH, int dilationW) {
        return new Table().set(0, Scalar.i8(padding)).set(1, Scalar.i32(strideW)).set(2, Scalar.i32(strideH))
                .set(3, Scalar.i8(activation)).set(4, Scalar.i32(dilationW)).set(5, Scalar.i32(dilationH));
    }

    static Table depthwise(int padding, int strideH, int strideW, int multiplier, int activation) {
        return new Table().set(0, Scalar.i8(padding)).set(1, Scalar.i32(strideW)).set(2, Scalar.i32(strideH))
                .set(3, Scalar.i32(multiplier)).set(4, Scalar.i8(activation));
    }

    static Table pool(int padding, int strideH, int strideW, int filterH, int filterW, int activation) {
        return new Table().set(0, Scalar.i8(padding)).set(1, Scalar.i32(strideW)).set(2, Scalar.i32(strideH))
                .set(3, Scalar.i32(filterW)).set(4, Scalar.i32(filterH)).set(5, Scalar.i8(activation));
    }

    static Table activationOnly(int activation) {
        return new Table().set(0, Scalar.i8(activation));
    }

    static Table softmax(float beta) {
        return new Table().set(0, Scalar.f32(beta));
    }

    byte[] build() {
        List<Table> codes = new ArrayList<>();
        for (int code : codeIndex.keySet()) {
            Table c = new Table().set(2, Scalar.i32(1));
            if (legacy) {
                c.set(0, Scalar.i8(code));
            } else {
                c.set(0, Scalar.i8(Math.min(code, BuiltinOperator.PLACEHOLDER_FOR_GREATER_OP_CODES)))
                        .set(3, Scalar.i32(code));
            }
            codes.add(c);
        }
        Table subgraph = new Table().set(0, tensors).set(1, Scalars.ints(inputs)).set(2, Scalars.ints(outputs))
                .set(3, operators).set(4, "main");
        Table model = new Table().set(0, Scalar.i32(3)).set(1, codes).set(2, List.of(subgraph))
                .set(3, "circuitscope test").set(4, buffers);
        return FlatWriter.write(model, TfLiteFile.IDENTIFIER);
    }

    Path write(Path dir, String name) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, build());
        return p;
    }
}
