package org.circuitscope.tflite;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What circuitscope reads of a {@code .tflite} file (schema tensorflow/lite/schema/schema.fbs, root table
 * {@code Model}): the main subgraph's tensors, operators, inputs and outputs, with each operator's code resolved
 * and each constant tensor's buffer attached. Field ids below are the schema's field order.
 */
record TfLiteFile(long version, String description, int subgraphCount, List<TfLiteTensor> tensors,
                  List<TfLiteOperator> operators, int[] inputs, int[] outputs, Map<String, ByteBuffer> metadata) {

    static final String IDENTIFIER = "TFL3";

    // table Model
    private static final int MODEL_VERSION = 0;
    private static final int MODEL_OPERATOR_CODES = 1;
    private static final int MODEL_SUBGRAPHS = 2;
    private static final int MODEL_DESCRIPTION = 3;
    private static final int MODEL_BUFFERS = 4;
    private static final int MODEL_METADATA = 6;
    // table OperatorCode
    private static final int CODE_DEPRECATED_BUILTIN = 0;
    private static final int CODE_CUSTOM = 1;
    private static final int CODE_BUILTIN = 3;
    // table SubGraph
    private static final int SUBGRAPH_TENSORS = 0;
    private static final int SUBGRAPH_INPUTS = 1;
    private static final int SUBGRAPH_OUTPUTS = 2;
    private static final int SUBGRAPH_OPERATORS = 3;
    // table Tensor
    private static final int TENSOR_SHAPE = 0;
    private static final int TENSOR_TYPE = 1;
    private static final int TENSOR_BUFFER = 2;
    private static final int TENSOR_NAME = 3;
    private static final int TENSOR_QUANTIZATION = 4;
    private static final int TENSOR_SPARSITY = 6;
    // table QuantizationParameters
    private static final int QUANT_SCALE = 2;
    private static final int QUANT_ZERO_POINT = 3;
    private static final int QUANT_DETAILS_TYPE = 4;
    private static final int QUANT_DIMENSION = 6;
    // table Operator
    private static final int OP_OPCODE_INDEX = 0;
    private static final int OP_INPUTS = 1;
    private static final int OP_OUTPUTS = 2;
    private static final int OP_OPTIONS_TYPE = 3;
    private static final int OP_OPTIONS = 4;
    // table Buffer
    private static final int BUFFER_DATA = 0;
    private static final int BUFFER_OFFSET = 1;
    private static final int BUFFER_SIZE = 2;
    // table Metadata
    private static final int METADATA_NAME = 0;
    private static final int METADATA_BUFFER = 1;

    /** Parses a whole file held in {@code bytes}. */
    static TfLiteFile read(ByteBuffer bytes) {
        if (bytes.limit() < 8 || !FlatTable.identifier(bytes).equals(IDENTIFIER)) {
            String id = bytes.limit() < 8 ? "none" : "'" + FlatTable.identifier(bytes).replaceAll("[^ -~]", "?")
                    + "'";
            throw new TfLiteFormatException("not a TensorFlow Lite file: its flatbuffer identifier is " + id
                    + ", not '" + IDENTIFIER + "'");
        }
        FlatTable model = FlatTable.root(bytes);
        long version = model.getUint(MODEL_VERSION, 0);
        List<ByteBuffer> buffers = new ArrayList<>();
        for (FlatTable b : model.tables(MODEL_BUFFERS)) {
            ByteBuffer data = b.bytes(BUFFER_DATA);
            long offset = b.getLong(BUFFER_OFFSET, 0);
            // Files over 2 GB keep constants after the flatbuffer; an offset of 0 or 1 means "not used".
            buffers.add(data.limit() == 0 && offset > 1 ? b.slice(offset, b.getLong(BUFFER_SIZE, 0)) : data);
        }
        List<FlatTable> codeTables = model.tables(MODEL_OPERATOR_CODES);
        int[] codes = new int[codeTables.size()];
        String[] custom = new String[codes.length];
        for (int i = 0; i < codes.length; i++) {
            FlatTable c = codeTables.get(i);
            // Old files have only the byte field; newer ones put codes of 127 and above in builtin_code alone.
            codes[i] = Math.max(c.getInt(CODE_BUILTIN, 0), c.getByte(CODE_DEPRECATED_BUILTIN, (byte) 0));
            custom[i] = c.string(CODE_CUSTOM);
        }
        List<FlatTable> subgraphs = model.tables(MODEL_SUBGRAPHS);
        if (subgraphs.isEmpty()) {
            throw new TfLiteFormatException("the TensorFlow Lite file holds no subgraph");
        }
        FlatTable main = subgraphs.get(0);
        List<TfLiteTensor> tensors = new ArrayList<>();
        List<FlatTable> tensorTables = main.tables(SUBGRAPH_TENSORS);
        for (int i = 0; i < tensorTables.size(); i++) {
            tensors.add(tensor(i, tensorTables.get(i), buffers));
        }
        List<TfLiteOperator> operators = new ArrayList<>();
        List<FlatTable> opTables = main.tables(SUBGRAPH_OPERATORS);
        for (int i = 0; i < opTables.size(); i++) {
            FlatTable o = opTables.get(i);
            long codeIndex = o.getUint(OP_OPCODE_INDEX, 0);
            if (codeIndex >= codes.length) {
                throw new TfLiteFormatException("operator " + i + " names operator code " + codeIndex + " of "
                        + codes.length);
            }
            int[] in = o.ints(OP_INPUTS);
            int[] out = o.ints(OP_OUTPUTS);
            checkIndices(in, tensors.size(), "input", i);
            checkIndices(out, tensors.size(), "output", i);
            int k = (int) codeIndex;
            operators.add(new TfLiteOperator(i, codes[k], custom[k], in, out,
                    Byte.toUnsignedInt(o.getByte(OP_OPTIONS_TYPE, (byte) 0)), o.table(OP_OPTIONS)));
        }
        int[] inputs = main.ints(SUBGRAPH_INPUTS);
        int[] outputs = main.ints(SUBGRAPH_OUTPUTS);
        checkIndices(inputs, tensors.size(), "subgraph input", -1);
        checkIndices(outputs, tensors.size(), "subgraph output", -1);
        Map<String, ByteBuffer> metadata = new LinkedHashMap<>();
        for (FlatTable m : model.tables(MODEL_METADATA)) {
            long b = m.getUint(METADATA_BUFFER, 0);
            metadata.put(String.valueOf(m.string(METADATA_NAME)), b < buffers.size() ? buffers.get((int) b)
                    : ByteBuffer.allocate(0));
        }
        return new TfLiteFile(version, model.string(MODEL_DESCRIPTION), subgraphs.size(), List.copyOf(tensors),
                List.copyOf(operators), inputs, outputs, metadata);
    }

    private static TfLiteTensor tensor(int index, FlatTable t, List<ByteBuffer> buffers) {
        String name = t.string(TENSOR_NAME);
        if (name == null || name.isEmpty()) {
            name = "tensor_" + index;
        }
        TensorType type = TensorType.of(t.getByte(TENSOR_TYPE, (byte) 0), name);
        if (t.has(TENSOR_SPARSITY)) {
            throw new TfLiteFormatException("tensor '" + name + "' (tensor " + index + ") is stored sparse; "
                    + "circuitscope reads dense tensors only");
        }
        long b = t.getUint(TENSOR_BUFFER, 0);
        if (b >= buffers.size() && b != 0) {
            throw new TfLiteFormatException("tensor '" + name + "' (tensor " + index + ") names buffer " + b
                    + " of " + buffers.size());
        }
        ByteBuffer data = b < buffers.size() && buffers.get((int) b).limit() > 0 ? buffers.get((int) b) : null;
        int[] shape = t.ints(TENSOR_SHAPE);
        TfLiteTensor tensor = new TfLiteTensor(index, name, shape, type, quantization(t.table(TENSOR_QUANTIZATION),
                name), data);
        if (data != null && type.bytes() > 0 && data.limit() != tensor.elements() * type.bytes()) {
            throw new TfLiteFormatException("tensor " + tensor.describe() + " has " + data.limit() + " bytes of data, "
                    + "not the " + tensor.elements() * type.bytes() + " its shape needs");
        }
        return tensor;
    }

    private static Quantization quantization(FlatTable q, String tensor) {
        if (q == null) {
            return Quantization.NONE;
        }
        if (q.getByte(QUANT_DETAILS_TYPE, (byte) 0) != 0) {
            throw new TfLiteFormatException("tensor '" + tensor + "' uses custom quantization details; circuitscope "
                    + "reads affine (scale, zero point) quantisation only");
        }
        float[] scale = q.floats(QUANT_SCALE);
        long[] zero = q.longs(QUANT_ZERO_POINT);
        if (zero.length > 1 && zero.length != scale.length) {
            throw new TfLiteFormatException("tensor '" + tensor + "' has " + scale.length + " quantisation scales "
                    + "but " + zero.length + " zero points");
        }
        return new Quantization(scale, zero, q.getInt(QUANT_DIMENSION, 0));
    }

    private static void checkIndices(int[] indices, int tensors, String what, int op) {
        for (int i : indices) {
            if (i < -1 || i >= tensors) {
                throw new TfLiteFormatException((op >= 0 ? "operator " + op + " has " : "") + what + " tensor " + i
                        + ", but the subgraph has " + tensors + " tensors");
            }
        }
    }

    TfLiteTensor tensor(int index) {
        return tensors.get(index);
    }
}
