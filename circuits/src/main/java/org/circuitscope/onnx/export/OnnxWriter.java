package org.circuitscope.onnx.export;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.circuitscope.onnx.proto.Onnx;

/**
 * Writes a feed-forward ONNX model (IR version 7, default-domain opset 13) node by node: Conv, Relu, MaxPool,
 * GlobalAveragePool, Flatten, Gemm and BatchNormalization, with float32 initializers stored as little-endian
 * {@code raw_data}. Every tensor a node reads must already exist (a graph input, an initializer or an earlier node's
 * output), and every name is written once, so a finished writer holds a valid, topologically sorted graph.
 */
public final class OnnxWriter {

    /** The IR version written (the one that goes with opset 13). */
    public static final long IR_VERSION = 7;
    /** The default-domain opset written. */
    public static final long OPSET = 13;

    private final Onnx.ModelProto.Builder model = Onnx.ModelProto.newBuilder();
    private final Onnx.GraphProto.Builder graph = Onnx.GraphProto.newBuilder();
    private final Set<String> defined = new HashSet<>();

    public OnnxWriter(String graphName) {
        graph.setName(graphName);
    }

    /**
     * Declares a float32 graph input. Negative dimensions are symbolic and take the name {@code symbol} (e.g. "N"
     * for the batch).
     */
    public OnnxWriter input(String name, long[] dims, String symbol) {
        define(name);
        graph.addInput(valueInfo(name, dims, symbol));
        return this;
    }

    /** Declares a graph output: an existing tensor, float32, of these dimensions (negative: symbolic). */
    public OnnxWriter output(String name, long[] dims, String symbol) {
        require(name);
        graph.addOutput(valueInfo(name, dims, symbol));
        return this;
    }

    /** Adds a float32 initializer (a weight) of this shape, stored as raw little-endian data. */
    public OnnxWriter initializer(String name, long[] dims, float[] data) {
        long n = 1;
        for (long d : dims) {
            if (d < 0) {
                throw new IllegalArgumentException(name + ": negative dimension " + d);
            }
            n *= d;
        }
        if (n != data.length) {
            throw new IllegalArgumentException(name + ": " + data.length + " values for " + n + " elements");
        }
        define(name);
        ByteBuffer buf = ByteBuffer.allocate(4 * data.length).order(ByteOrder.LITTLE_ENDIAN);
        buf.asFloatBuffer().put(data);
        Onnx.TensorProto.Builder t = Onnx.TensorProto.newBuilder().setName(name)
                .setDataType(Onnx.TensorProto.DataType.FLOAT_VALUE).setRawData(ByteString.copyFrom(buf.array()));
        for (long d : dims) {
            t.addDims(d);
        }
        graph.addInitializer(t);
        return this;
    }

    /** Conv: 2-D convolution with bias; {@code pads} as ONNX orders them (top, left, bottom, right). */
    public OnnxWriter conv(String input, String output, String weight, String bias, long[] kernel, long[] strides,
            long[] pads) {
        node("Conv", output, List.of(input, weight, bias), ints("kernel_shape", kernel), ints("strides", strides),
                ints("pads", pads), ints("dilations", new long[] {1, 1}), intAttr("group", 1));
        return this;
    }

    public OnnxWriter relu(String input, String output) {
        node("Relu", output, List.of(input));
        return this;
    }

    public OnnxWriter maxPool(String input, String output, long[] kernel, long[] strides, long[] pads) {
        node("MaxPool", output, List.of(input), ints("kernel_shape", kernel), ints("strides", strides),
                ints("pads", pads));
        return this;
    }

    public OnnxWriter globalAveragePool(String input, String output) {
        node("GlobalAveragePool", output, List.of(input));
        return this;
    }

    public OnnxWriter flatten(String input, String output, long axis) {
        node("Flatten", output, List.of(input), intAttr("axis", axis));
        return this;
    }

    /** Gemm: output = a · bᵀ + c when {@code transB} (the layout of a linear layer's [out, in] weight). */
    public OnnxWriter gemm(String a, String b, String c, String output, boolean transB) {
        node("Gemm", output, List.of(a, b, c), floatAttr("alpha", 1f), floatAttr("beta", 1f),
                intAttr("transB", transB ? 1 : 0));
        return this;
    }

    /** BatchNormalization in inference form (per-channel scale, bias, running mean and variance). */
    public OnnxWriter batchNormalization(String input, String output, String scale, String bias, String mean,
            String var, float epsilon) {
        node("BatchNormalization", output, List.of(input, scale, bias, mean, var), floatAttr("epsilon", epsilon));
        return this;
    }

    public OnnxWriter producer(String name, String version) {
        model.setProducerName(name).setProducerVersion(version);
        return this;
    }

    public OnnxWriter docString(String doc) {
        model.setDocString(doc);
        return this;
    }

    /** Adds a {@code metadata_props} entry. */
    public OnnxWriter metadata(String key, String value) {
        model.addMetadataProps(Onnx.StringStringEntryProto.newBuilder().setKey(key).setValue(value));
        return this;
    }

    /** The model as written so far. */
    public Onnx.ModelProto build() {
        if (graph.getInputCount() == 0 || graph.getOutputCount() == 0) {
            throw new IllegalStateException("an ONNX graph needs at least one input and one output");
        }
        return model.clone().setIrVersion(IR_VERSION)
                .clearOpsetImport()
                .addOpsetImport(Onnx.OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
                .setGraph(graph.clone()).build();
    }

    public byte[] toBytes() {
        return build().toByteArray();
    }

    public void write(Path path) throws IOException {
        Path parent = path.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.write(path, toBytes());
    }

    // ----------------------------------------------------------------------------------------------------------

    private void node(String op, String output, List<String> inputs, Onnx.AttributeProto... attributes) {
        for (String in : inputs) {
            require(in);
        }
        define(output);
        Onnx.NodeProto.Builder n = Onnx.NodeProto.newBuilder().setOpType(op).setName(output).addOutput(output)
                .addAllInput(inputs);
        for (Onnx.AttributeProto a : attributes) {
            n.addAttribute(a);
        }
        graph.addNode(n);
    }

    private void define(String name) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("tensor names must not be empty");
        }
        if (!defined.add(name)) {
            throw new IllegalArgumentException("tensor '" + name + "' is already defined");
        }
    }

    private void require(String name) {
        if (!defined.contains(name)) {
            throw new IllegalArgumentException("tensor '" + name + "' is used before it is defined");
        }
    }

    private static Onnx.ValueInfoProto valueInfo(String name, long[] dims, String symbol) {
        Onnx.TensorShapeProto.Builder shape = Onnx.TensorShapeProto.newBuilder();
        for (long d : dims) {
            Onnx.TensorShapeProto.Dimension.Builder dim = Onnx.TensorShapeProto.Dimension.newBuilder();
            if (d < 0) {
                dim.setDimParam(symbol == null ? "N" : symbol);
            } else {
                dim.setDimValue(d);
            }
            shape.addDim(dim);
        }
        return Onnx.ValueInfoProto.newBuilder().setName(name).setType(Onnx.TypeProto.newBuilder()
                .setTensorType(Onnx.TypeProto.Tensor.newBuilder()
                        .setElemType(Onnx.TensorProto.DataType.FLOAT_VALUE).setShape(shape))).build();
    }

    private static Onnx.AttributeProto ints(String name, long[] values) {
        Onnx.AttributeProto.Builder a = Onnx.AttributeProto.newBuilder().setName(name)
                .setType(Onnx.AttributeProto.AttributeType.INTS);
        for (long v : values) {
            a.addInts(v);
        }
        return a.build();
    }

    private static Onnx.AttributeProto intAttr(String name, long value) {
        return Onnx.AttributeProto.newBuilder().setName(name).setType(Onnx.AttributeProto.AttributeType.INT)
                .setI(value).build();
    }

    private static Onnx.AttributeProto floatAttr(String name, float value) {
        return Onnx.AttributeProto.newBuilder().setName(name).setType(Onnx.AttributeProto.AttributeType.FLOAT)
                .setF(value).build();
    }
}
