package org.circuitscope.tf;

import static org.circuitscope.onnx.TestGraphs.integer;
import static org.circuitscope.onnx.TestGraphs.ints;
import static org.circuitscope.onnx.TestGraphs.list;
import static org.circuitscope.onnx.TestGraphs.real;
import static org.circuitscope.onnx.TestGraphs.string;

import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;
import java.util.Random;
import org.circuitscope.onnx.TestGraphs;
import org.circuitscope.tf.proto.Tf.AttrValue;
import org.circuitscope.tf.proto.Tf.DataType;
import org.circuitscope.tf.proto.Tf.GraphDef;
import org.circuitscope.tf.proto.Tf.NodeDef;
import org.circuitscope.tf.proto.Tf.TensorProto;
import org.circuitscope.tf.proto.Tf.TensorShapeProto;

/**
 * A small network with the ops and layer names of Lucid's InceptionV1 (inception5h: Conv2D + BiasAdd + Relu as
 * X_pre_relu / X, LRN, MaxPool, an inception block of 1x1, bottlenecked 3x3 and pool projection joined by ConcatV2,
 * the old-style Concat, AvgPool, an NHWC Reshape, MatMul, Softmax), random weights, written once as a TensorFlow
 * GraphDef (NHWC, HWIO filters, SAME padding, TF's LRN) and once as the same network in ONNX (NCHW, OIHW). The
 * real inception5h needs the internet; tests of every instrument on a GraphDef use this.
 */
public final class MiniInception {
    /** The input's height and width. */
    public static final int S = 16;
    private final Random random = new Random(42);
    private final GraphDef.Builder tf = GraphDef.newBuilder();
    private final TestGraphs onnx = new TestGraphs(1).input("input", 1, 3, S, S);

    /** Random HWIO filter: as a TF const (HWIO) and an ONNX initializer (OIHW). */
    private void filter(String name, int kh, int kw, int in, int out) {
        float[] hwio = new float[kh * kw * in * out];
        for (int i = 0; i < hwio.length; i++) {
            hwio[i] = (float) random.nextGaussian() * 0.4f;
        }
        float[] oihw = new float[hwio.length];
        for (int h = 0; h < kh; h++) {
            for (int w = 0; w < kw; w++) {
                for (int i = 0; i < in; i++) {
                    for (int o = 0; o < out; o++) {
                        oihw[((o * in + i) * kh + h) * kw + w] = hwio[((h * kw + w) * in + i) * out + o];
                    }
                }
            }
        }
        tfConst(name, hwio, kh, kw, in, out);
        onnx.floats(name, oihw, out, in, kh, kw);
    }

    private void vector(String name, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) random.nextGaussian() * 0.3f;
        }
        tfConst(name, v, n);
        onnx.floats(name, v, n);
    }

    private void tfConst(String name, float[] values, long... dims) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : values) {
            b.putFloat(f);
        }
        b.flip();
        TensorProto t = TensorProto.newBuilder().setDtype(DataType.DT_FLOAT).setTensorShape(shape(dims))
                .setTensorContent(ByteString.copyFrom(b)).build();
        tf.addNode(NodeDef.newBuilder().setName(name).setOp("Const").putAttr("value",
                AttrValue.newBuilder().setTensor(t).build()).putAttr("dtype", type()));
        // Frozen graphs read weights through Identity "…/read" nodes.
        tf.addNode(NodeDef.newBuilder().setName(name + "/read").setOp("Identity").addInput(name));
    }

    private void tfIntConst(String name, int... values) {
        TensorProto.Builder t = TensorProto.newBuilder().setDtype(DataType.DT_INT32)
                .setTensorShape(values.length == 1 ? shape() : shape(values.length));
        for (int v : values) {
            t.addIntVal(v);
        }
        tf.addNode(NodeDef.newBuilder().setName(name).setOp("Const").putAttr("value",
                AttrValue.newBuilder().setTensor(t).build()));
    }

    private static TensorShapeProto shape(long... dims) {
        TensorShapeProto.Builder s = TensorShapeProto.newBuilder();
        for (long d : dims) {
            s.addDim(TensorShapeProto.Dim.newBuilder().setSize(d));
        }
        return s.build();
    }

    private static AttrValue type() {
        return AttrValue.newBuilder().setType(DataType.DT_FLOAT).build();
    }

    private static AttrValue nhwc(long... v) {
        AttrValue.ListValue.Builder l = AttrValue.ListValue.newBuilder();
        for (long x : v) {
            l.addI(x);
        }
        return AttrValue.newBuilder().setList(l).build();
    }

    private static AttrValue str(String s) {
        return AttrValue.newBuilder().setS(ByteString.copyFromUtf8(s)).build();
    }

    private void tfNode(String name, String op, Map<String, AttrValue> attrs, String... inputs) {
        NodeDef.Builder n = NodeDef.newBuilder().setName(name).setOp(op).putAllAttr(attrs);
        for (String i : inputs) {
            n.addInput(i);
        }
        tf.addNode(n);
    }

    /** conv (SAME) + bias + relu in both forms; layer names as inception5h: X_pre_relu, X. */
    private void convUnit(String name, String input, int k, int stride, int in, int out) {
        filter(name + "_w", k, k, in, out);
        vector(name + "_b", out);
        tfNode(name + "_pre_relu/conv", "Conv2D", Map.of("strides", nhwc(1, stride, stride, 1), "padding",
                str("SAME"), "data_format", str("NHWC")), input, name + "_w/read");
        tfNode(name + "_pre_relu", "BiasAdd", Map.of(), name + "_pre_relu/conv", name + "_b/read");
        tfNode(name, "Relu", Map.of(), name + "_pre_relu");
        onnx.node("Conv", list(input, name + "_w", name + "_b"), list(name + "_pre_relu"),
                string("auto_pad", "SAME_UPPER"), ints("strides", stride, stride));
        onnx.node("Relu", name + "_pre_relu", name);
    }

    private void buildNetwork() {
        tf.addNode(NodeDef.newBuilder().setName("input").setOp("Placeholder").putAttr("dtype", type())
                .putAttr("shape", AttrValue.newBuilder().setShape(shape(1, S, S, 3)).build()));
        convUnit("conv2d0", "input", 3, 2, 3, 8);
        tfNode("maxpool0", "MaxPool", Map.of("ksize", nhwc(1, 3, 3, 1), "strides", nhwc(1, 2, 2, 1), "padding",
                str("SAME")), "conv2d0");
        onnx.node("MaxPool", "conv2d0", "maxpool0", ints("kernel_shape", 3, 3), ints("strides", 2, 2),
                string("auto_pad", "SAME_UPPER"));
        tfNode("localresponsenorm0", "LRN", Map.of("depth_radius", AttrValue.newBuilder().setI(2).build(), "bias",
                AttrValue.newBuilder().setF(2f).build(), "alpha", AttrValue.newBuilder().setF(0.1f).build(), "beta",
                AttrValue.newBuilder().setF(0.75f).build()), "maxpool0");
        onnx.node("LRN", "maxpool0", "localresponsenorm0", integer("size", 5), real("alpha", 0.5f),
                real("beta", 0.75f), real("bias", 2f));
        // An inception block: 1x1, 3x3 after a 1x1 bottleneck, and a pool projection.
        convUnit("mixed_1x1", "localresponsenorm0", 1, 1, 8, 4);
        convUnit("mixed_3x3_bottleneck", "localresponsenorm0", 1, 1, 8, 3);
        convUnit("mixed_3x3", "mixed_3x3_bottleneck", 3, 1, 3, 5);
        tfNode("mixed_pool", "AvgPool", Map.of("ksize", nhwc(1, 3, 3, 1), "strides", nhwc(1, 1, 1, 1), "padding",
                str("SAME")), "localresponsenorm0");
        onnx.node("AveragePool", "localresponsenorm0", "mixed_pool", ints("kernel_shape", 3, 3),
                string("auto_pad", "SAME_UPPER"));
        convUnit("mixed_pool_reduce", "mixed_pool", 1, 1, 8, 2);
        tfIntConst("mixed/axis", 3);
        tfNode("mixed", "ConcatV2", Map.of(), "mixed_1x1", "mixed_3x3", "mixed_pool_reduce", "mixed/axis");
        onnx.node("Concat", list("mixed_1x1", "mixed_3x3", "mixed_pool_reduce"), list("mixed"),
                integer("axis", 1));
        tfIntConst("mixed2/axis", 3);
        // The old-style Concat (axis first); "name:0" inputs name a node's first output.
        tfNode("mixed2", "Concat", Map.of(), "mixed2/axis", "mixed", "mixed_1x1:0");
        onnx.node("Concat", list("mixed", "mixed_1x1"), list("mixed2"), integer("axis", 1));
        // Classifier: 2x2 average pool, flatten in NHWC order, matmul, bias, softmax.
        tfNode("avgpool0", "AvgPool", Map.of("ksize", nhwc(1, 2, 2, 1), "strides", nhwc(1, 2, 2, 1), "padding",
                str("VALID")), "mixed2");
        onnx.node("AveragePool", "mixed2", "avgpool0", ints("kernel_shape", 2, 2), ints("strides", 2, 2));
        int flat = 2 * 2 * 15;
        tfIntConst("avgpool0/reshape/shape", -1, flat);
        tfNode("avgpool0/reshape", "Reshape", Map.of(), "avgpool0", "avgpool0/reshape/shape");
        onnx.node("Transpose", "avgpool0", "avgpool0_nhwc", ints("perm", 0, 2, 3, 1));
        onnx.longs("flat_shape", new long[] {-1, flat}, 2);
        onnx.node("Reshape", list("avgpool0_nhwc", "flat_shape"), list("avgpool0/reshape"));
        float[] fc = new float[flat * 6];
        for (int i = 0; i < fc.length; i++) {
            fc[i] = (float) random.nextGaussian() * 0.2f;
        }
        tfConst("softmax2_w", fc, flat, 6);
        onnx.floats("softmax2_w", fc, flat, 6);
        vector("softmax2_b", 6);
        tfNode("softmax2_pre_activation/matmul", "MatMul", Map.of(), "avgpool0/reshape", "softmax2_w/read");
        tfNode("softmax2_pre_activation", "BiasAdd", Map.of(), "softmax2_pre_activation/matmul", "softmax2_b/read");
        tfNode("softmax2", "Softmax", Map.of(), "softmax2_pre_activation");
        onnx.node("MatMul", list("avgpool0/reshape", "softmax2_w"), list("mm"));
        onnx.node("Add", list("mm", "softmax2_b"), list("softmax2_pre_activation"));
        onnx.node("Softmax", "softmax2_pre_activation", "softmax2", integer("axis", 1));
        onnx.output("softmax2");
    }

    private MiniInception() {
        buildNetwork();
    }

    /** The network, built. */
    public static MiniInception build() {
        return new MiniInception();
    }

    /** The GraphDef form. */
    public GraphDef graphDef() {
        return tf.build();
    }

    /** The ONNX form, for a reference run. */
    public TestGraphs onnx() {
        return onnx;
    }
}
