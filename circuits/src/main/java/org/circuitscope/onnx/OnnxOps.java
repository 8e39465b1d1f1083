package org.circuitscope.onnx;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BinaryOperator;
import java.util.function.LongBinaryOperator;
import java.util.function.UnaryOperator;
import org.circuitscope.graph.GraphException;
import org.circuitscope.graph.Kernels;
import org.circuitscope.graph.SpatialPadding;
import org.circuitscope.graph.Op;
import org.circuitscope.graph.Value;
import org.circuitscope.onnx.proto.Onnx.NodeProto;

/**
 * The ONNX operators circuitscope imports, each bound to its attributes as an {@link Op} built from DJL NDArray
 * operations (so gradients flow through them). Semantics follow the ONNX operator specification.
 */
final class OnnxOps {
    static final Set<String> SUPPORTED = new TreeSet<>(List.of(
            "Conv", "Relu", "LeakyRelu", "Clip", "Sigmoid", "Tanh", "MaxPool", "AveragePool", "GlobalAveragePool",
            "GlobalMaxPool", "LRN", "BatchNormalization", "Concat", "Add", "Sub", "Mul", "Div", "Gemm", "MatMul",
            "Flatten", "Reshape", "Transpose", "Squeeze", "Unsqueeze", "Softmax", "Dropout", "Identity", "Pad",
            "Constant", "Shape", "Gather", "Cast", "ReduceMean", "Sum"));

    private OnnxOps() {
    }

    static Op create(NodeProto node, int opset) {
        Attributes a = new Attributes(node);
        return switch (node.getOpType()) {
            case "Conv" -> conv(a);
            case "Relu" -> unary(Activation::relu);
            case "LeakyRelu" -> {
                float alpha = a.getFloat("alpha", 0.01f);
                yield unary(x -> Activation.leakyRelu(x, alpha));
            }
            case "Sigmoid" -> unary(Activation::sigmoid);
            case "Tanh" -> unary(Activation::tanh);
            case "Clip" -> clip(a, opset);
            case "MaxPool" -> maxPool(a);
            case "AveragePool" -> avgPool(a);
            case "GlobalAveragePool" -> unary(x -> Kernels.globalPool(x, true));
            case "GlobalMaxPool" -> unary(x -> Kernels.globalPool(x, false));
            case "LRN" -> lrn(a);
            case "BatchNormalization" -> batchNorm(a);
            case "Concat" -> concat(a);
            case "Add" -> binary(NDArray::add, Long::sum);
            case "Sub" -> binary(NDArray::sub, (x, y) -> x - y);
            case "Mul" -> binary(NDArray::mul, (x, y) -> x * y);
            case "Div" -> binary(NDArray::div, (x, y) -> x / y);
            case "Gemm" -> gemm(a);
            case "MatMul" -> (in, m) -> out(in[0].array().matMul(in[1].array()));
            case "Flatten" -> flatten(a);
            case "Reshape" -> reshape(a);
            case "Transpose" -> transpose(a);
            case "Squeeze" -> squeeze(a, opset);
            case "Unsqueeze" -> unsqueeze(a, opset);
            case "Softmax" -> softmax(a, opset);
            case "Dropout", "Identity" -> (in, m) -> new Value[] {in[0]};
            case "Pad" -> pad(a, opset);
            case "Shape" -> shape(a);
            case "Gather" -> gather(a);
            case "Cast" -> cast(a);
            case "ReduceMean" -> reduceMean(a, opset);
            case "Sum" -> (in, m) -> {
                NDArray acc = in[0].array();
                for (int i = 1; i < in.length; i++) {
                    acc = acc.add(in[i].array());
                }
                return out(in.length == 1 ? acc.duplicate() : acc);
            };
            default -> throw new GraphException("unsupported ONNX op '" + node.getOpType() + "' at node '"
                    + nodeName(node) + "'. Supported ops: " + String.join(", ", SUPPORTED));
        };
    }

    static String nodeName(NodeProto node) {
        return node.getName().isEmpty() ? String.join(",", node.getOutputList()) : node.getName();
    }

    private static Value[] out(NDArray x) {
        return new Value[] {new Value.Array(x)};
    }

    private static Op unary(UnaryOperator<NDArray> f) {
        return (in, m) -> out(f.apply(in[0].array()));
    }

    private static int axis(long axis, int rank) {
        return (int) (axis < 0 ? axis + rank : axis);
    }

    // ---- convolution and pooling

    private static long[] pads(Attributes a, NDArray x, long[] kernel, long[] strides, long[] dilations) {
        if (kernel.length != 2) {
            throw new GraphException("only 2-D convolutions and pools are supported; kernel_shape is "
                    + Arrays.toString(kernel));
        }
        String autoPad = a.getString("auto_pad", "NOTSET");
        return switch (autoPad) {
            case "NOTSET" -> {
                long[] p = a.getInts("pads", new long[] {0, 0, 0, 0});
                if (p.length != 4) {
                    throw new GraphException("pads must have 4 values for a 2-D op, not " + p.length);
                }
                yield p;
            }
            case "VALID" -> new long[] {0, 0, 0, 0};
            case "SAME_UPPER", "SAME_LOWER" -> SpatialPadding.same(x.getShape().get(2), x.getShape().get(3), kernel,
                    strides, dilations, autoPad.equals("SAME_UPPER"));
            default -> throw new GraphException("unknown auto_pad '" + autoPad + "'");
        };
    }

    private static Op conv(Attributes a) {
        long[] strides = a.getInts("strides", new long[] {1, 1});
        long[] dilations = a.getInts("dilations", new long[] {1, 1});
        int group = (int) a.getInt("group", 1);
        return (in, m) -> {
            NDArray x = in[0].array();
            NDArray w = in[1].array();
            long[] kernel = a.getInts("kernel_shape", new long[] {w.getShape().get(2), w.getShape().get(3)});
            NDArray b = in.length > 2 && in[2] != null ? in[2].array() : null;
            long[] p = pads(a, x, kernel, strides, dilations);
            return out(Kernels.conv2d(x, w, b, strides, p, dilations, group, m));
        };
    }

    private static Op maxPool(Attributes a) {
        long[] kernel = a.requireInts("kernel_shape");
        long[] strides = a.getInts("strides", new long[] {1, 1});
        long[] dilations = a.getInts("dilations", new long[] {1, 1});
        boolean ceil = a.getInt("ceil_mode", 0) != 0;
        if (dilations[0] != 1 || dilations[1] != 1) {
            throw new GraphException("MaxPool with dilations " + Arrays.toString(dilations) + " is not supported");
        }
        return (in, m) -> {
            NDArray x = in[0].array();
            return out(Kernels.maxPool(x, kernel, strides, pads(a, x, kernel, strides, dilations), ceil));
        };
    }

    private static Op avgPool(Attributes a) {
        long[] kernel = a.requireInts("kernel_shape");
        long[] strides = a.getInts("strides", new long[] {1, 1});
        boolean ceil = a.getInt("ceil_mode", 0) != 0;
        boolean countPad = a.getInt("count_include_pad", 0) != 0;
        return (in, m) -> {
            NDArray x = in[0].array();
            long[] p = pads(a, x, kernel, strides, new long[] {1, 1});
            return out(Kernels.avgPool(x, kernel, strides, p, ceil, countPad, m));
        };
    }

    private static Op lrn(Attributes a) {
        float alpha = a.getFloat("alpha", 1e-4f);
        float beta = a.getFloat("beta", 0.75f);
        float bias = a.getFloat("bias", 1f);
        long size = a.getInt("size", 0);
        if (size <= 0) {
            throw new GraphException("LRN needs a positive 'size' attribute");
        }
        return unary(x -> Kernels.lrn(x, size, alpha, beta, bias));
    }

    private static Op batchNorm(Attributes a) {
        float eps = a.getFloat("epsilon", 1e-5f);
        return (in, m) -> {
            NDArray x = in[0].array();
            NDArray scale = in[1].array();
            NDArray shift = in[2].array();
            NDArray mean = in[3].array();
            NDArray var = in[4].array();
            Shape perChannel = channelShape(x);
            NDArray k = scale.div(var.add(eps).sqrt());
            NDArray b = shift.sub(mean.mul(k));
            return out(x.mul(k.reshape(perChannel)).add(b.reshape(perChannel)));
        };
    }

    private static Shape channelShape(NDArray x) {
        long[] s = new long[x.getShape().dimension()];
        Arrays.fill(s, 1);
        s[1] = x.getShape().get(1);
        return new Shape(s);
    }

    private static Op clip(Attributes a, int opset) {
        return (in, m) -> {
            float lo = -Float.MAX_VALUE;
            float hi = Float.MAX_VALUE;
            if (opset < 11) {
                lo = a.getFloat("min", lo);
                hi = a.getFloat("max", hi);
            } else {
                if (in.length > 1 && in[1] != null) {
                    lo = scalar(in[1]);
                }
                if (in.length > 2 && in[2] != null) {
                    hi = scalar(in[2]);
                }
            }
            return out(in[0].array().clip(lo, hi));
        };
    }

    private static float scalar(Value v) {
        if (v instanceof Value.Ints i) {
            return i.data()[0];
        }
        return v.array().toFloatArray()[0];
    }

    // ---- arithmetic and linear algebra

    private static Op binary(BinaryOperator<NDArray> f, LongBinaryOperator g) {
        return (in, m) -> {
            if (in[0] instanceof Value.Ints x && in[1] instanceof Value.Ints y) {
                return new Value[] {broadcastInts(x, y, g)};
            }
            return out(f.apply(asArray(in[0], m), asArray(in[1], m)));
        };
    }

    private static Value.Ints broadcastInts(Value.Ints x, Value.Ints y, LongBinaryOperator g) {
        if (x.data().length == 1 || y.data().length == 1 || x.data().length == y.data().length) {
            int n = Math.max(x.data().length, y.data().length);
            long[] r = new long[n];
            for (int i = 0; i < n; i++) {
                r[i] = g.applyAsLong(x.data()[x.data().length == 1 ? 0 : i], y.data()[y.data().length == 1 ? 0 : i]);
            }
            return new Value.Ints(x.data().length >= y.data().length ? x.shape() : y.shape(), r);
        }
        throw new GraphException("cannot broadcast integer tensors " + x + " and " + y);
    }

    private static NDArray asArray(Value v, NDManager m) {
        if (v instanceof Value.Ints i) {
            float[] f = new float[i.data().length];
            for (int k = 0; k < f.length; k++) {
                f[k] = i.data()[k];
            }
            return m.create(f, new Shape(i.shape()));
        }
        return v.array();
    }

    private static Op gemm(Attributes a) {
        float alpha = a.getFloat("alpha", 1f);
        float beta = a.getFloat("beta", 1f);
        boolean transA = a.getInt("transA", 0) != 0;
        boolean transB = a.getInt("transB", 0) != 0;
        return (in, m) -> {
            NDArray x = in[0].array();
            NDArray w = in[1].array();
            if (transA) {
                x = x.transpose();
            }
            if (transB) {
                w = w.transpose();
            }
            if (x.getShape().get(1) != w.getShape().get(0)) {
                throw new GraphException("matrix product of " + x.getShape() + " and " + w.getShape()
                        + " does not fit; the input image probably has a size the model was not built for");
            }
            NDArray y = x.matMul(w);
            if (alpha != 1f) {
                y = y.mul(alpha);
            }
            if (in.length > 2 && in[2] != null) {
                NDArray c = in[2].array();
                y = y.add(beta == 1f ? c : c.mul(beta));
            }
            return out(y);
        };
    }

    private static Op softmax(Attributes a, int opset) {
        long axisAttr = a.getInt("axis", opset >= 13 ? -1 : 1);
        return (in, m) -> {
            NDArray x = in[0].array();
            int rank = x.getShape().dimension();
            int axis = axis(axisAttr, rank);
            if (opset >= 13 || axis == rank - 1) {
                return out(x.softmax(axis));
            }
            Shape s = x.getShape();
            long outer = 1;
            for (int i = 0; i < axis; i++) {
                outer *= s.get(i);
            }
            return out(x.reshape(outer, -1).softmax(1).reshape(s));
        };
    }

    // ---- shapes

    private static Op flatten(Attributes a) {
        long axisAttr = a.getInt("axis", 1);
        return (in, m) -> {
            NDArray x = in[0].array();
            Shape s = x.getShape();
            int axis = axis(axisAttr, s.dimension());
            long outer = 1;
            for (int i = 0; i < axis; i++) {
                outer *= s.get(i);
            }
            return out(x.reshape(outer, s.size() / Math.max(outer, 1)));
        };
    }

    private static Op reshape(Attributes a) {
        boolean allowZero = a.getInt("allowzero", 0) != 0;
        return (in, m) -> {
            long[] target = a.has("shape") ? a.getInts("shape", null) : in[1].ints().data().clone();
            if (in[0] instanceof Value.Ints i) {
                return new Value[] {new Value.Ints(resolveShape(i.shape(), target, allowZero), i.data())};
            }
            NDArray x = in[0].array();
            return out(x.reshape(new Shape(resolveShape(x.getShape().getShape(), target, allowZero))));
        };
    }

    private static long[] resolveShape(long[] from, long[] target, boolean allowZero) {
        long[] r = target.clone();
        long known = 1;
        int infer = -1;
        for (int i = 0; i < r.length; i++) {
            if (r[i] == 0 && !allowZero) {
                r[i] = from[i];
            }
            if (r[i] == -1) {
                infer = i;
            } else {
                known *= r[i];
            }
        }
        long total = 1;
        for (long d : from) {
            total *= d;
        }
        if (infer >= 0) {
            r[infer] = known == 0 ? 0 : total / known;
        }
        long made = 1;
        for (long d : r) {
            made *= d;
        }
        if (made != total) {
            throw new GraphException("cannot reshape " + Arrays.toString(from) + " to " + Arrays.toString(target));
        }
        return r;
    }

    private static Op transpose(Attributes a) {
        return (in, m) -> {
            long[] perm = a.getInts("perm", null);
            NDArray x = in[0].array();
            if (perm == null) {
                return out(x.transpose());
            }
            int[] p = new int[perm.length];
            for (int i = 0; i < p.length; i++) {
                p[i] = (int) perm[i];
            }
            return out(x.transpose(p));
        };
    }

    private static long[] axesOf(Attributes a, Value[] in, int opset) {
        if (opset >= 13) {
            return in.length > 1 && in[1] != null ? in[1].ints().data() : null;
        }
        return a.getInts("axes", null);
    }

    private static Op squeeze(Attributes a, int opset) {
        return (in, m) -> {
            long[] axes = axesOf(a, in, opset);
            long[] shape = in[0] instanceof Value.Ints i ? i.shape() : in[0].array().getShape().getShape();
            boolean[] drop = new boolean[shape.length];
            if (axes == null) {
                for (int i = 0; i < shape.length; i++) {
                    drop[i] = shape[i] == 1;
                }
            } else {
                for (long ax : axes) {
                    int k = axis(ax, shape.length);
                    if (shape[k] != 1) {
                        throw new GraphException("cannot squeeze axis " + k + " of size " + shape[k]);
                    }
                    drop[k] = true;
                }
            }
            long[] r = new long[shape.length];
            int n = 0;
            for (int i = 0; i < shape.length; i++) {
                if (!drop[i]) {
                    r[n++] = shape[i];
                }
            }
            return reshaped(in[0], Arrays.copyOf(r, n));
        };
    }

    private static Op unsqueeze(Attributes a, int opset) {
        return (in, m) -> {
            long[] axes = axesOf(a, in, opset);
            if (axes == null) {
                throw new GraphException("Unsqueeze needs axes");
            }
            long[] shape = in[0] instanceof Value.Ints i ? i.shape() : in[0].array().getShape().getShape();
            int rank = shape.length + axes.length;
            boolean[] inserted = new boolean[rank];
            for (long ax : axes) {
                inserted[axis(ax, rank)] = true;
            }
            long[] r = new long[rank];
            int k = 0;
            for (int i = 0; i < rank; i++) {
                r[i] = inserted[i] ? 1 : shape[k++];
            }
            return reshaped(in[0], r);
        };
    }

    private static Value[] reshaped(Value v, long[] shape) {
        if (v instanceof Value.Ints i) {
            return new Value[] {new Value.Ints(shape, i.data())};
        }
        return out(v.array().reshape(new Shape(shape)));
    }

    private static Op concat(Attributes a) {
        long axisAttr = a.getInt("axis", 0);
        return (in, m) -> {
            boolean allInts = Arrays.stream(in).allMatch(v -> v instanceof Value.Ints);
            if (allInts) {
                long[] joined = Arrays.stream(in).flatMapToLong(v -> Arrays.stream(((Value.Ints) v).data()))
                        .toArray();
                return new Value[] {Value.Ints.vector(joined)};
            }
            NDList list = new NDList();
            for (Value v : in) {
                list.add(asArray(v, m));
            }
            return out(NDArrays.concat(list, axis(axisAttr, list.get(0).getShape().dimension())));
        };
    }

    private static Op pad(Attributes a, int opset) {
        return (in, m) -> {
            String mode = a.getString("mode", "constant");
            if (!mode.equals("constant")) {
                throw new GraphException("Pad mode '" + mode + "' is not supported (only constant)");
            }
            long[] pads;
            double value;
            if (opset < 11) {
                pads = a.requireInts("pads");
                value = a.getFloat("value", 0f);
            } else {
                pads = in[1].ints().data();
                value = in.length > 2 && in[2] != null ? scalar(in[2]) : 0;
            }
            NDArray x = in[0].array();
            int rank = x.getShape().dimension();
            long[] torchOrder = new long[2 * rank];
            for (int d = 0; d < rank; d++) {
                torchOrder[2 * (rank - 1 - d)] = pads[d];
                torchOrder[2 * (rank - 1 - d) + 1] = pads[d + rank];
            }
            return out(x.pad(new Shape(torchOrder), value));
        };
    }

    private static Op shape(Attributes a) {
        return (in, m) -> {
            long[] s = in[0] instanceof Value.Ints i ? i.shape() : in[0].array().getShape().getShape();
            int rank = s.length;
            int start = axis(a.getInt("start", 0), rank);
            int end = a.has("end") ? axis(a.getInt("end", rank), rank) : rank;
            return new Value[] {Value.Ints.vector(Arrays.copyOfRange(s, start, Math.max(start, end)))};
        };
    }

    private static Op gather(Attributes a) {
        long axisAttr = a.getInt("axis", 0);
        return (in, m) -> {
            Value.Ints idx = in[1].ints();
            if (in[0] instanceof Value.Ints data) {
                if (data.shape().length != 1) {
                    throw new GraphException("Gather on integer tensors of rank > 1 is not supported");
                }
                long[] r = new long[idx.data().length];
                for (int i = 0; i < r.length; i++) {
                    long k = idx.data()[i];
                    r[i] = data.data()[(int) (k < 0 ? k + data.data().length : k)];
                }
                return new Value[] {new Value.Ints(idx.shape(), r)};
            }
            NDArray x = in[0].array();
            int axis = axis(axisAttr, x.getShape().dimension());
            long size = x.getShape().get(axis);
            NDList parts = new NDList();
            for (long k : idx.data()) {
                parts.add(x.get(new NDIndex().addAllDim(axis).addIndices(k < 0 ? k + size : k)));
            }
            if (idx.shape().length == 0) {
                return out(parts.get(0));
            }
            NDArray stacked = NDArrays.stack(parts, axis);
            return out(stacked);
        };
    }

    private static Op reduceMean(Attributes a, int opset) {
        boolean keep = a.getInt("keepdims", 1) != 0;
        return (in, m) -> {
            NDArray x = in[0].array();
            int rank = x.getShape().dimension();
            long[] axes = opset >= 18 && in.length > 1 && in[1] != null ? in[1].ints().data()
                    : a.getInts("axes", null);
            boolean[] reduce = new boolean[rank];
            if (axes == null || axes.length == 0) {
                java.util.Arrays.fill(reduce, true);
            } else {
                for (long ax : axes) {
                    reduce[axis(ax, rank)] = true;
                }
            }
            // Mean over each axis in turn, last first, so the remaining axis numbers stay valid.
            NDArray r = x;
            for (int ax = rank - 1; ax >= 0; ax--) {
                if (reduce[ax]) {
                    r = r.mean(new int[] {ax}, keep);
                }
            }
            return out(r);
        };
    }

    private static Op cast(Attributes a) {
        long to = a.getInt("to", 1);
        return (in, m) -> {
            boolean toInteger = to == 6 || to == 7 || to == 2 || to == 3 || to == 5 || to == 9;
            if (in[0] instanceof Value.Ints i) {
                return toInteger ? new Value[] {i} : out(asArray(i, m));
            }
            if (toInteger) {
                NDArray x = in[0].array();
                float[] f = x.toFloatArray();
                long[] l = new long[f.length];
                for (int k = 0; k < f.length; k++) {
                    l[k] = (long) f[k];
                }
                return new Value[] {new Value.Ints(x.getShape().getShape(), l)};
            }
            return out(in[0].array().toType(DataType.FLOAT32, false));
        };
    }
}
