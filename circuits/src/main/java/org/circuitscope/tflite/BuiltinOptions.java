package org.circuitscope.tflite;

/**
 * The builtin options tables circuitscope reads (schema union {@code BuiltinOptions}), decoded with the schema's
 * defaults for absent fields. Field ids are the schema's field order within each table.
 */
final class BuiltinOptions {
    // union BuiltinOptions type ids
    static final int CONV_2D = 1;
    static final int DEPTHWISE_CONV_2D = 2;
    static final int POOL_2D = 5;
    static final int FULLY_CONNECTED = 8;
    static final int SOFTMAX = 9;
    static final int CONCATENATION = 10;
    static final int ADD = 11;
    static final int RESHAPE = 17;
    static final int MUL = 21;
    static final int REDUCER = 27;

    /** enum Padding. */
    enum Padding { SAME, VALID }

    /** enum ActivationFunctionType. */
    enum Activation { NONE, RELU, RELU_N1_TO_1, RELU6, TANH, SIGN_BIT }

    /** Conv2DOptions and DepthwiseConv2DOptions (depth multiplier 0 for CONV_2D). */
    record Conv(Padding padding, int strideH, int strideW, int dilationH, int dilationW, Activation activation,
                int depthMultiplier) {
    }

    record Pool(Padding padding, int strideH, int strideW, int filterH, int filterW, Activation activation) {
    }

    /** FullyConnectedOptions: weights_format 0 is DEFAULT, 1 SHUFFLED4x16INT8. */
    record FullyConnected(Activation activation, int weightsFormat, boolean keepNumDims) {
    }

    private BuiltinOptions() {
    }

    static Conv conv(TfLiteOperator op) {
        FlatTable t = table(op, CONV_2D, "Conv2DOptions");
        if (t == null) {
            return new Conv(Padding.SAME, 0, 0, 1, 1, Activation.NONE, 0);
        }
        return new Conv(padding(op, t.getByte(0, (byte) 0)), t.getInt(2, 0), t.getInt(1, 0), t.getInt(5, 1),
                t.getInt(4, 1), activation(op, t.getByte(3, (byte) 0)), 0);
    }

    static Conv depthwise(TfLiteOperator op) {
        FlatTable t = table(op, DEPTHWISE_CONV_2D, "DepthwiseConv2DOptions");
        if (t == null) {
            return new Conv(Padding.SAME, 0, 0, 1, 1, Activation.NONE, 0);
        }
        return new Conv(padding(op, t.getByte(0, (byte) 0)), t.getInt(2, 0), t.getInt(1, 0), t.getInt(6, 1),
                t.getInt(5, 1), activation(op, t.getByte(4, (byte) 0)), t.getInt(3, 0));
    }

    static Pool pool(TfLiteOperator op) {
        FlatTable t = table(op, POOL_2D, "Pool2DOptions");
        if (t == null) {
            return new Pool(Padding.SAME, 0, 0, 0, 0, Activation.NONE);
        }
        return new Pool(padding(op, t.getByte(0, (byte) 0)), t.getInt(2, 0), t.getInt(1, 0), t.getInt(4, 0),
                t.getInt(3, 0), activation(op, t.getByte(5, (byte) 0)));
    }

    static FullyConnected fullyConnected(TfLiteOperator op) {
        FlatTable t = table(op, FULLY_CONNECTED, "FullyConnectedOptions");
        if (t == null) {
            return new FullyConnected(Activation.NONE, 0, false);
        }
        return new FullyConnected(activation(op, t.getByte(0, (byte) 0)), t.getByte(1, (byte) 0),
                t.getBool(2, false));
    }

    /** SoftmaxOptions.beta; 0 (the schema default, and TensorFlow Lite's value when the options are absent). */
    static float softmaxBeta(TfLiteOperator op) {
        FlatTable t = table(op, SOFTMAX, "SoftmaxOptions");
        return t == null ? 0f : t.getFloat(0, 0f);
    }

    static int concatenationAxis(TfLiteOperator op) {
        FlatTable t = table(op, CONCATENATION, "ConcatenationOptions");
        return t == null ? 0 : t.getInt(0, 0);
    }

    /** The fused activation of ADD, MUL and CONCATENATION (field 0 of Add/MulOptions, 1 of Concatenation). */
    static Activation fusedActivation(TfLiteOperator op) {
        return switch (op.code()) {
            case BuiltinOperator.ADD -> activationField(op, ADD, "AddOptions", 0);
            case BuiltinOperator.MUL -> activationField(op, MUL, "MulOptions", 0);
            case BuiltinOperator.CONCATENATION -> activationField(op, CONCATENATION, "ConcatenationOptions", 1);
            default -> Activation.NONE;
        };
    }

    private static Activation activationField(TfLiteOperator op, int type, String name, int field) {
        FlatTable t = table(op, type, name);
        return t == null ? Activation.NONE : activation(op, t.getByte(field, (byte) 0));
    }

    /** ReducerOptions.keep_dims. */
    static boolean keepDims(TfLiteOperator op) {
        FlatTable t = table(op, REDUCER, "ReducerOptions");
        return t != null && t.getBool(0, false);
    }

    /** ReshapeOptions.new_shape, or null when the options are absent. */
    static int[] newShape(TfLiteOperator op) {
        FlatTable t = table(op, RESHAPE, "ReshapeOptions");
        return t == null || !t.has(0) ? null : t.ints(0);
    }

    /** The operator's options table, checked to be of the expected union type; null when the file omits it. */
    private static FlatTable table(TfLiteOperator op, int type, String name) {
        if (op.options() == null || op.optionsType() == 0) {
            return null;
        }
        if (op.optionsType() != type) {
            throw new TfLiteFormatException("operator " + op.index() + " (" + op.opName() + ") carries options of "
                    + "union type " + op.optionsType() + ", not " + name);
        }
        return op.options();
    }

    private static Padding padding(TfLiteOperator op, byte code) {
        if (code < 0 || code >= Padding.values().length) {
            throw new TfLiteFormatException("operator " + op.index() + " (" + op.opName() + ") has padding " + code
                    + ", which the schema does not define");
        }
        return Padding.values()[code];
    }

    private static Activation activation(TfLiteOperator op, byte code) {
        if (code < 0 || code >= Activation.values().length) {
            throw new TfLiteFormatException("operator " + op.index() + " (" + op.opName() + ") has fused activation "
                    + code + ", which the schema does not define");
        }
        return Activation.values()[code];
    }
}
