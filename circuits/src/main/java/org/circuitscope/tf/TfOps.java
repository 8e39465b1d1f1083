package org.circuitscope.tf;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BinaryOperator;
import org.circuitscope.graph.GraphException;
import org.circuitscope.graph.Kernels;
import org.circuitscope.graph.Op;
import org.circuitscope.graph.SpatialPadding;
import org.circuitscope.graph.Value;
import org.circuitscope.tf.proto.Tf.AttrValue;
import org.circuitscope.tf.proto.Tf.NodeDef;

/**
 * TensorFlow ops as {@link Op}s. TensorFlow's images are NHWC; circuitscope keeps every 4-D value NCHW, so ops
 * whose meaning depends on the layout (axes, strides, reshapes, channel broadcasting) translate here, and
 * convolution filters are stored OIHW by the importer.
 */
final class TfOps {
    static final Set<String> SUPPORTED = new TreeSet<>(List.of("Placeholder", "Const", "Identity", "Conv2D",
            "DepthwiseConv2dNative", "BiasAdd", "Relu", "Relu6", "Sigmoid", "Tanh", "MaxPool", "AvgPool", "LRN",
            "Concat", "ConcatV2", "Reshape", "MatMul", "Softmax", "Add", "AddV2", "Sub", "Mul", "NoOp"));

    private TfOps() {
    }

    static Op create(NodeDef node) {
        Map<String, AttrValue> a = node.getAttrMap();
        checkFormat(node);
        return switch (node.getOp()) {
            case "Conv2D" -> conv(a, false);
            case "DepthwiseConv2dNative" -> conv(a, true);
            case "BiasAdd" -> (in, m) -> out(Kernels.addChannelBias(in[0].array(), in[1].array()));
            case "Relu" -> unary(Activation::relu);
            case "Relu6" -> unary(Activation::relu6);
            case "Sigmoid" -> unary(Activation::sigmoid);
            case "Tanh" -> unary(Activation::tanh);
            case "Identity" -> (in, m) -> new Value[] {in[0]};
            case "MaxPool" -> pool(a, true);
            case "AvgPool" -> pool(a, false);
            case "LRN" -> lrn(a);
            case "Concat" -> concat(true);
            case "ConcatV2" -> concat(false);
            case "Reshape" -> reshape();
            case "MatMul" -> matMul(a);
            case "Softmax" -> unary(x -> x.softmax(-1));
            case "Add", "AddV2" -> binary(NDArray::add);
            case "Sub" -> binary(NDArray::sub);
            case "Mul" -> binary(NDArray::mul);
            default -> throw new GraphException("unsupported TensorFlow op '" + node.getOp() + "' at node '"
                    + node.getName() + "'. Supported ops: " + String.join(", ", SUPPORTED));
        };
    }

    private static void checkFormat(NodeDef node) {
        AttrValue f = node.getAttrMap().get("data_format");
        if (f != null && !f.getS().toStringUtf8().equals("NHWC")) {
            throw new GraphException("node '" + node.getName() + "' uses data_format " + f.getS().toStringUtf8()
                    + "; circuitscope reads NHWC TensorFlow graphs");
        }
    }

    private static Value[] out(NDArray x) {
        return new Value[] {new Value.Array(x)};
    }

    private static Op unary(java.util.function.UnaryOperator<NDArray> f) {
        return (in, m) -> out(f.apply(in[0].array()));
    }

    /** Spatial entries (H, W) of an NHWC attribute list. */
    private static long[] spatial(Map<String, AttrValue> a, String name, long fallback) {
        AttrValue v = a.get(name);
        if (v == null || v.getList().getICount() == 0) {
            return new long[] {fallback, fallback};
        }
        if (v.getList().getICount() != 4) {
            throw new GraphException(name + " must have 4 entries (NHWC), not " + v.getList().getICount());
        }
        return new long[] {v.getList().getI(1), v.getList().getI(2)};
    }

    private static String padding(Map<String, AttrValue> a) {
        AttrValue p = a.get("padding");
        String s = p == null ? "VALID" : p.getS().toStringUtf8();
        if (!s.equals("SAME") && !s.equals("VALID")) {
            throw new GraphException("padding '" + s + "' is not supported (SAME or VALID)");
        }
        return s;
    }

    private static long[] pads(String padding, NDArray x, long[] kernel, long[] strides, long[] dilations) {
        return padding.equals("SAME") ? SpatialPadding.same(x.getShape().get(2), x.getShape().get(3), kernel,
                strides, dilations, true) : new long[] {0, 0, 0, 0};
    }

    private static Op conv(Map<String, AttrValue> a, boolean depthwise) {
        long[] strides = spatial(a, "strides", 1);
        long[] dilations = spatial(a, "dilations", 1);
        String padding = padding(a);
        return (in, m) -> {
            NDArray x = in[0].array();
            NDArray w = in[1].array();
            long[] kernel = {w.getShape().get(2), w.getShape().get(3)};
            int group = depthwise ? (int) x.getShape().get(1) : 1;
            return out(Kernels.conv2d(x, w, null, strides, pads(padding, x, kernel, strides, dilations), dilations,
                    group, m));
        };
    }

    private static Op pool(Map<String, AttrValue> a, boolean max) {
        long[] kernel = spatial(a, "ksize", 1);
        long[] strides = spatial(a, "strides", 1);
        String padding = padding(a);
        return (in, m) -> {
            NDArray x = in[0].array();
            long[] p = pads(padding, x, kernel, strides, new long[] {1, 1});
            // TensorFlow's average pool leaves padding out of the count.
            return out(max ? Kernels.maxPool(x, kernel, strides, p, false)
                    : Kernels.avgPool(x, kernel, strides, p, false, false, m));
        };
    }

    private static Op lrn(Map<String, AttrValue> a) {
        long radius = a.containsKey("depth_radius") ? a.get("depth_radius").getI() : 5;
        float bias = a.containsKey("bias") ? a.get("bias").getF() : 1f;
        float alpha = a.containsKey("alpha") ? a.get("alpha").getF() : 1f;
        float beta = a.containsKey("beta") ? a.get("beta").getF() : 0.5f;
        long size = 2 * radius + 1;
        // TensorFlow scales the window sum by alpha; the shared kernel (ONNX's form) by alpha / size.
        return unary(x -> Kernels.lrn(x, size, alpha * size, beta, bias));
    }

    /** An NHWC axis as the NCHW axis that holds the same dimension (for 4-D values). */
    private static int axisNchw(long axis, int rank) {
        int ax = (int) (axis < 0 ? axis + rank : axis);
        if (rank != 4) {
            return ax;
        }
        return switch (ax) {
            case 0 -> 0;
            case 1 -> 2;
            case 2 -> 3;
            default -> 1;
        };
    }

    private static Op concat(boolean axisFirst) {
        return (in, m) -> {
            Value axisValue = axisFirst ? in[0] : in[in.length - 1];
            long axis = axisValue.ints().data()[0];
            NDList list = new NDList();
            for (int i = axisFirst ? 1 : 0; i < (axisFirst ? in.length : in.length - 1); i++) {
                list.add(in[i].array());
            }
            return out(NDArrays.concat(list, axisNchw(axis, list.get(0).getShape().dimension())));
        };
    }

    private static Op reshape() {
        return (in, m) -> {
            NDArray x = in[0].array();
            long[] target = in[1].ints().data();
            if (x.getShape().dimension() == 4) {
                x = x.transpose(0, 2, 3, 1);
            }
            NDArray y = x.reshape(new Shape(target));
            if (y.getShape().dimension() == 4) {
                y = y.transpose(0, 3, 1, 2);
            }
            return out(y);
        };
    }

    private static Op matMul(Map<String, AttrValue> a) {
        boolean ta = a.containsKey("transpose_a") && a.get("transpose_a").getB();
        boolean tb = a.containsKey("transpose_b") && a.get("transpose_b").getB();
        return (in, m) -> {
            NDArray x = in[0].array();
            NDArray w = in[1].array();
            return out((ta ? x.transpose() : x).matMul(tb ? w.transpose() : w));
        };
    }

    private static Op binary(BinaryOperator<NDArray> f) {
        return (in, m) -> {
            NDArray x = in[0].array();
            NDArray y = in[1].array();
            // A channel vector broadcasts over NHWC's last axis, which is axis 1 here.
            if (x.getShape().dimension() == 4 && y.getShape().dimension() == 1) {
                y = y.reshape(1, -1, 1, 1);
            } else if (y.getShape().dimension() == 4 && x.getShape().dimension() == 1) {
                x = x.reshape(1, -1, 1, 1);
            }
            return out(f.apply(x, y));
        };
    }
}
