package org.circuitscope.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.circuitscope.onnx.proto.Onnx.AttributeProto;
import org.circuitscope.onnx.proto.Onnx.GraphProto;
import org.circuitscope.onnx.proto.Onnx.ModelProto;
import org.circuitscope.onnx.proto.Onnx.NodeProto;
import org.circuitscope.onnx.proto.Onnx.OperatorSetIdProto;
import org.circuitscope.onnx.proto.Onnx.TensorProto;
import org.circuitscope.onnx.proto.Onnx.TensorShapeProto;
import org.circuitscope.onnx.proto.Onnx.TypeProto;
import org.circuitscope.onnx.proto.Onnx.ValueInfoProto;
import org.circuitscope.tensor.Tensor;

/**
 * Small ONNX graphs written in tests, and ONNX Runtime as the reference that runs them. ONNX Runtime is a test
 * dependency only: it has no gradients, so the engine never uses it.
 */
public final class TestGraphs {
    private final GraphProto.Builder graph = GraphProto.newBuilder().setName("test");
    private final Random random;
    private int opset = 13;

    public TestGraphs(long seed) {
        this.random = new Random(seed);
    }

    public TestGraphs opset(int v) {
        this.opset = v;
        return this;
    }

    public TestGraphs input(String name, long... dims) {
        graph.addInput(valueInfo(name, dims));
        return this;
    }

    public TestGraphs output(String name) {
        graph.addOutput(valueInfo(name));
        return this;
    }

    public TestGraphs weight(String name, long... dims) {
        int n = 1;
        for (long d : dims) {
            n *= (int) d;
        }
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) random.nextGaussian() * 0.5f;
        }
        return floats(name, v, dims);
    }

    public TestGraphs positive(String name, long... dims) {
        int n = 1;
        for (long d : dims) {
            n *= (int) d;
        }
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = 0.5f + random.nextFloat();
        }
        return floats(name, v, dims);
    }

    public TestGraphs floats(String name, float[] values, long... dims) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : values) {
            b.putFloat(f);
        }
        b.flip();
        graph.addInitializer(tensor(name, TensorProto.DataType.FLOAT_VALUE, dims).setRawData(ByteString.copyFrom(b)));
        return this;
    }

    public TestGraphs longs(String name, long[] values, long... dims) {
        TensorProto.Builder t = tensor(name, TensorProto.DataType.INT64_VALUE, dims);
        for (long v : values) {
            t.addInt64Data(v);
        }
        graph.addInitializer(t);
        return this;
    }

    public TestGraphs node(String op, List<String> inputs, List<String> outputs, AttributeProto... attrs) {
        NodeProto.Builder n = NodeProto.newBuilder().setOpType(op).setName(outputs.get(0) + "_node")
                .addAllInput(inputs).addAllOutput(outputs);
        for (AttributeProto a : attrs) {
            n.addAttribute(a);
        }
        graph.addNode(n);
        return this;
    }

    public TestGraphs node(String op, String input, String output, AttributeProto... attrs) {
        return node(op, List.of(input), List.of(output), attrs);
    }

    public ModelProto model() {
        return ModelProto.newBuilder().setIrVersion(7).setProducerName("circuitscope-test")
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(opset))
                .setGraph(graph).build();
    }

    public byte[] bytes() {
        return model().toByteArray();
    }

    public static AttributeProto ints(String name, long... v) {
        AttributeProto.Builder a = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
        for (long x : v) {
            a.addInts(x);
        }
        return a.build();
    }

    public static AttributeProto integer(String name, long v) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(v).build();
    }

    public static AttributeProto real(String name, float v) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.FLOAT).setF(v).build();
    }

    public static AttributeProto string(String name, String v) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.STRING)
                .setS(ByteString.copyFromUtf8(v)).build();
    }

    private static TensorProto.Builder tensor(String name, int type, long... dims) {
        TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(type);
        for (long d : dims) {
            t.addDims(d);
        }
        return t;
    }

    static ValueInfoProto valueInfo(String name, long... dims) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        for (long d : dims) {
            shape.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        }
        TypeProto.Tensor.Builder tt = TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.FLOAT_VALUE);
        if (dims.length > 0) {
            tt.setShape(shape);
        }
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(tt)).build();
    }

    /** The model with every node output also declared as a graph output, so ONNX Runtime returns them all. */
    public static byte[] exposeAll(ModelProto model, List<String> names) {
        GraphProto.Builder g = model.getGraph().toBuilder();
        List<String> existing = g.getOutputList().stream().map(ValueInfoProto::getName).toList();
        for (String n : names) {
            if (!existing.contains(n)) {
                g.addOutput(valueInfo(n));
            }
        }
        return model.toBuilder().setGraph(g).build().toByteArray();
    }

    /** Runs a model in ONNX Runtime on one float input and returns the named outputs. */
    public static Map<String, Tensor> runOrt(byte[] model, String inputName, Tensor input, List<String> outputs)
            throws OrtException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions opts = new OrtSession.SessionOptions()) {
            opts.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.NO_OPT);
            try (OrtSession session = env.createSession(model, opts);
                 OnnxTensor x = OnnxTensor.createTensor(env, FloatBuffer.wrap(input.data()), input.shape());
                 OrtSession.Result r = session.run(Map.of(inputName, x), new java.util.LinkedHashSet<>(outputs))) {
                Map<String, Tensor> out = new LinkedHashMap<>();
                for (String o : outputs) {
                    OnnxTensor t = (OnnxTensor) r.get(o).orElseThrow();
                    FloatBuffer fb = t.getFloatBuffer();
                    float[] data = new float[fb.remaining()];
                    fb.get(data);
                    out.put(o, new Tensor(t.getInfo().getShape(), data));
                }
                return out;
            }
        }
    }

    public static Tensor random(long seed, long... shape) {
        Random r = new Random(seed);
        Tensor t = Tensor.zeros(shape);
        for (int i = 0; i < t.size(); i++) {
            t.data()[i] = r.nextFloat();
        }
        return t;
    }

    /** max |a - b| / max(1, max |b|). */
    public static double relativeError(Tensor a, Tensor b) {
        if (a.size() != b.size()) {
            return Double.POSITIVE_INFINITY;
        }
        double maxDiff = 0;
        double scale = 1;
        for (int i = 0; i < a.size(); i++) {
            maxDiff = Math.max(maxDiff, Math.abs(a.data()[i] - b.data()[i]));
            scale = Math.max(scale, Math.abs(b.data()[i]));
        }
        return maxDiff / scale;
    }

    public static List<String> list(String... s) {
        return new ArrayList<>(List.of(s));
    }
}
