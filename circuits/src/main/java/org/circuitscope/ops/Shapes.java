package org.circuitscope.ops;

import static org.circuitscope.ops.Values.array;
import static org.circuitscope.ops.Values.axis;
import static org.circuitscope.ops.Values.out;
import static org.circuitscope.ops.Values.present;
import static org.circuitscope.ops.Values.shapeOf;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.circuitscope.graph.Attributes;
import org.circuitscope.graph.GraphException;
import org.circuitscope.graph.UnsupportedVariantException;
import org.circuitscope.graph.Op;
import org.circuitscope.graph.Value;
import org.circuitscope.tensor.Tensor;

/** Ops that move, select or reshape elements; they work on float tensors and on Java-side integer tensors. */
final class Shapes {
    private Shapes() {
    }

    static Op identity(Attributes a) {
        return (in, m) -> out(in[0]);
    }

    /** Dropout at inference: the identity (only its first output is computed; ratio and training are ignored). */
    static Op dropout(Attributes a) {
        return (in, m) -> {
            if (present(in, 2) && Values.scalar(in[2]) != 0) {
                throw new UnsupportedVariantException("is in training mode (training_mode is true); circuitscope runs "
                        + "inference");
            }
            return out(in[0]);
        };
    }

    static Value reshaped(Value v, long[] shape) {
        if (v instanceof Value.Ints i) {
            return new Value.Ints(shape, i.data());
        }
        return new Value.Array(v.array().reshape(new Shape(shape)));
    }

    static Op reshape(Attributes a) {
        boolean allowZero = a.getInt("allowzero", 0) != 0;
        return (in, m) -> out(reshaped(in[0], resolveShape(shapeOf(in[0]), in[1].ints().data(), allowZero)));
    }

    static long[] resolveShape(long[] from, long[] target, boolean allowZero) {
        long[] r = target.clone();
        long known = 1;
        int infer = -1;
        for (int i = 0; i < r.length; i++) {
            if (r[i] == 0 && !allowZero) {
                if (i >= from.length) {
                    throw new GraphException("cannot copy dimension " + i + " of " + Arrays.toString(from)
                            + " into " + Arrays.toString(target));
                }
                r[i] = from[i];
            }
            if (r[i] == -1) {
                if (infer >= 0) {
                    throw new GraphException("reshape target " + Arrays.toString(target) + " has two -1 entries");
                }
                infer = i;
            } else if (r[i] < 0) {
                throw new GraphException("reshape target " + Arrays.toString(target) + " has a negative size");
            } else {
                known *= r[i];
            }
        }
        long total = Values.product(from);
        if (infer >= 0) {
            r[infer] = known == 0 ? 0 : total / known;
        }
        if (Values.product(r) != total) {
            throw new GraphException("cannot reshape " + Arrays.toString(from) + " (" + total + " values) to "
                    + Arrays.toString(target));
        }
        return r;
    }

    static Op flatten(Attributes a) {
        long axisAttr = a.getInt("axis", 1);
        return (in, m) -> {
            long[] s = shapeOf(in[0]);
            long ax = axisAttr < 0 ? axisAttr + s.length : axisAttr;
            if (ax < 0 || ax > s.length) {
                throw new GraphException("axis " + axisAttr + " is out of range for rank " + s.length);
            }
            long outer = Values.product(Arrays.copyOfRange(s, 0, (int) ax));
            long inner = Values.product(Arrays.copyOfRange(s, (int) ax, s.length));
            return out(reshaped(in[0], new long[] {outer, inner}));
        };
    }

    static Op transpose(Attributes a) {
        long[] permAttr = a.getInts("perm", null);
        return (in, m) -> {
            int rank = Values.rank(in[0]);
            int[] perm = new int[rank];
            if (permAttr == null) {
                for (int i = 0; i < rank; i++) {
                    perm[i] = rank - 1 - i;
                }
            } else {
                if (permAttr.length != rank) {
                    throw new GraphException("perm " + Arrays.toString(permAttr) + " does not fit rank " + rank);
                }
                for (int i = 0; i < rank; i++) {
                    perm[i] = axis(permAttr[i], rank);
                }
            }
            if (in[0] instanceof Value.Ints i) {
                return out(IntTensors.transpose(i, perm));
            }
            return out(in[0].array().transpose(perm));
        };
    }

    static Op squeeze(Attributes a) {
        return (in, m) -> {
            long[] shape = shapeOf(in[0]);
            boolean[] drop = new boolean[shape.length];
            if (!present(in, 1)) {
                for (int i = 0; i < shape.length; i++) {
                    drop[i] = shape[i] == 1;
                }
            } else {
                for (long ax : in[1].ints().data()) {
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
            return out(reshaped(in[0], Arrays.copyOf(r, n)));
        };
    }

    static Op unsqueeze(Attributes a) {
        return (in, m) -> {
            long[] axes = in[1].ints().data();
            long[] shape = shapeOf(in[0]);
            int rank = shape.length + axes.length;
            boolean[] inserted = new boolean[rank];
            for (long ax : axes) {
                int k = axis(ax, rank);
                if (inserted[k]) {
                    throw new GraphException("axes " + Arrays.toString(axes) + " repeat axis " + k);
                }
                inserted[k] = true;
            }
            long[] r = new long[rank];
            int k = 0;
            for (int i = 0; i < rank; i++) {
                r[i] = inserted[i] ? 1 : shape[k++];
            }
            return out(reshaped(in[0], r));
        };
    }

    static Op concat(Attributes a) {
        if (!a.has("axis")) {
            throw new GraphException("lacks the required attribute 'axis'");
        }
        long axisAttr = a.getInt("axis", 0);
        return (in, m) -> {
            int rank = Values.rank(in[0]);
            int ax = axis(axisAttr, rank);
            boolean allInts = Arrays.stream(in).allMatch(v -> v instanceof Value.Ints);
            if (allInts) {
                List<Value.Ints> parts = new ArrayList<>();
                for (Value v : in) {
                    parts.add((Value.Ints) v);
                }
                return out(IntTensors.concat(parts, ax));
            }
            NDList list = new NDList();
            for (Value v : in) {
                list.add(array(v, m));
            }
            return out(NDArrays.concat(list, ax));
        };
    }

    /** Split into as many outputs as the node has: by the sizes given as a second input, else evenly. */
    static Op split(Attributes a) {
        long axisAttr = a.getInt("axis", 0);
        long outputs = a.getInt("num_outputs", 0);
        return (in, m) -> {
            NDArray x = array(in[0], m);
            int ax = axis(axisAttr, x.getShape().dimension());
            long size = x.getShape().get(ax);
            long[] sizes;
            if (present(in, 1)) {
                sizes = in[1].ints().data();
            } else {
                if (outputs <= 0) {
                    throw new GraphException("needs split sizes or num_outputs");
                }
                long chunk = (size + outputs - 1) / outputs;
                sizes = new long[(int) outputs];
                for (int i = 0; i < outputs; i++) {
                    sizes[i] = Math.max(0, Math.min(chunk, size - i * chunk));
                }
            }
            if (Arrays.stream(sizes).sum() != size) {
                throw new GraphException("split sizes " + Arrays.toString(sizes) + " do not add up to " + size);
            }
            Value[] r = new Value[sizes.length];
            long start = 0;
            for (int i = 0; i < sizes.length; i++) {
                r[i] = new Value.Array(x.get(new NDIndex().addAllDim(ax).addSliceDim(start, start + sizes[i])));
                start += sizes[i];
            }
            return r;
        };
    }

    /** Slice with starts, ends, axes and steps as integer inputs (ONNX opset 10 and later). */
    static Op slice(Attributes a) {
        return (in, m) -> {
            long[] shape = shapeOf(in[0]);
            int rank = shape.length;
            long[] starts = in[1].ints().data();
            long[] ends = in[2].ints().data();
            long[] axes = present(in, 3) ? in[3].ints().data() : null;
            long[] steps = present(in, 4) ? in[4].ints().data() : null;
            long[] b = new long[rank];
            long[] e = shape.clone();
            long[] st = new long[rank];
            Arrays.fill(st, 1);
            for (int i = 0; i < starts.length; i++) {
                int ax = axis(axes == null ? i : axes[i], rank);
                long step = steps == null ? 1 : steps[i];
                if (step == 0) {
                    throw new GraphException("has a step of 0");
                }
                long dim = shape[ax];
                long s = starts[i] < 0 ? starts[i] + dim : starts[i];
                long en = ends[i] < 0 ? ends[i] + dim : ends[i];
                if (step > 0) {
                    s = Math.max(0, Math.min(s, dim));
                    en = Math.max(0, Math.min(en, dim));
                } else {
                    s = Math.max(-1, Math.min(s, dim - 1));
                    en = Math.max(-1, Math.min(en, dim - 1));
                }
                b[ax] = s;
                e[ax] = en;
                st[ax] = step;
            }
            if (in[0] instanceof Value.Ints i) {
                return out(IntTensors.slice(i, b, e, st));
            }
            return out(sliceArray(in[0].array(), b, e, st, m));
        };
    }

    private static NDArray sliceArray(NDArray x, long[] b, long[] e, long[] st, NDManager m) {
        NDIndex idx = new NDIndex();
        List<Integer> flipped = new ArrayList<>();
        long[] shape = x.getShape().getShape();
        for (int d = 0; d < b.length; d++) {
            if (st[d] > 0) {
                long end = Math.max(b[d], e[d]);
                idx.addSliceDim(b[d], end, st[d]);
            } else {
                // a negative step: the same elements as a positive step over the flipped axis
                long n = Math.max(0, (b[d] - e[d] - st[d] - 1) / -st[d]);
                long fb = shape[d] - 1 - b[d];
                idx.addSliceDim(fb, n == 0 ? fb : fb + (n - 1) * -st[d] + 1, -st[d]);
                flipped.add(d);
            }
        }
        NDArray src = flipped.isEmpty() ? x : x.flip(flipped.stream().mapToInt(Integer::intValue).toArray());
        return src.get(idx);
    }

    /** Pad with ONNX pads (begins of every axis, then ends) as an attribute; modes constant, reflect, edge. */
    static Op pad(Attributes a) {
        long[] pads = a.requireInts("pads");
        String mode = a.getString("mode", "constant");
        float value = a.getFloat("value", 0f);
        if (!List.of("constant", "reflect", "edge").contains(mode)) {
            throw new GraphException("has mode '" + mode + "'; circuitscope pads in modes constant, reflect, edge");
        }
        for (long p : pads) {
            if (p < 0) {
                throw new GraphException("has negative pads " + Arrays.toString(pads) + " (cropping), which "
                        + "circuitscope does not run");
            }
        }
        long[] axes = a.getInts("axes", null);
        if (axes != null && pads.length != 2 * axes.length) {
            throw new GraphException("has " + pads.length + " pads for " + axes.length + " axes");
        }
        return (in, m) -> {
            NDArray x = in[0].array();
            int rank = x.getShape().dimension();
            long[] full = Geometry.fullPads(a, rank);
            if (full == null) {
                throw new GraphException("has pads " + Arrays.toString(pads) + " for an input of rank " + rank);
            }
            return out(pad(x, full, mode, value));
        };
    }

    static NDArray pad(NDArray x, long[] pads, String mode, float value) {
        int rank = x.getShape().dimension();
        if (mode.equals("constant")) {
            long[] torchOrder = new long[2 * rank];
            for (int d = 0; d < rank; d++) {
                torchOrder[2 * (rank - 1 - d)] = pads[d];
                torchOrder[2 * (rank - 1 - d) + 1] = pads[d + rank];
            }
            return x.pad(new Shape(torchOrder), value);
        }
        // reflect and edge: built axis by axis from slices, so autograd sees through it
        NDArray r = x;
        for (int d = 0; d < rank; d++) {
            long before = pads[d];
            long after = pads[d + rank];
            if (before == 0 && after == 0) {
                continue;
            }
            long n = r.getShape().get(d);
            if (mode.equals("reflect") && (before >= n || after >= n)) {
                throw new GraphException("cannot reflect-pad " + before + "+" + after + " on an axis of size " + n);
            }
            NDList parts = new NDList();
            for (long i = before; i >= 1; i--) {
                long src = mode.equals("reflect") ? i : 0;
                parts.add(r.get(new NDIndex().addAllDim(d).addSliceDim(src, src + 1)));
            }
            parts.add(r);
            for (long i = 1; i <= after; i++) {
                long src = mode.equals("reflect") ? n - 1 - i : n - 1;
                parts.add(r.get(new NDIndex().addAllDim(d).addSliceDim(src, src + 1)));
            }
            r = NDArrays.concat(parts, d);
        }
        return r;
    }

    /** Shape, with start and end clamped to the rank as ONNX says. */
    static Op shape(Attributes a) {
        long startAttr = a.getInt("start", 0);
        Long endAttr = a.has("end") ? a.getInt("end", 0) : null;
        return (in, m) -> {
            long[] s = shapeOf(in[0]);
            int rank = s.length;
            int start = clampAxis(startAttr, rank);
            int end = endAttr == null ? rank : clampAxis(endAttr, rank);
            return out(Value.Ints.vector(Arrays.copyOfRange(s, start, Math.max(start, end))));
        };
    }

    private static int clampAxis(long v, int rank) {
        long a = v < 0 ? v + rank : v;
        return (int) Math.max(0, Math.min(rank, a));
    }

    static Op size(Attributes a) {
        return (in, m) -> out(Value.Ints.scalar(Values.product(shapeOf(in[0]))));
    }

    /** Gather along an axis with integer indices of any shape (the result takes the indices' shape there). */
    static Op gather(Attributes a) {
        long axisAttr = a.getInt("axis", 0);
        return (in, m) -> {
            Value.Ints idx = in[1].ints();
            int ax = axis(axisAttr, Values.rank(in[0]));
            if (in[0] instanceof Value.Ints data) {
                return out(IntTensors.gather(data, idx, ax));
            }
            NDArray x = in[0].array();
            long size = x.getShape().get(ax);
            NDList parts = new NDList();
            for (long k : idx.data()) {
                long kk = k < 0 ? k + size : k;
                if (kk < 0 || kk >= size) {
                    throw new GraphException("index " + k + " is out of range for an axis of size " + size);
                }
                parts.add(x.get(new NDIndex().addAllDim(ax).addSliceDim(kk, kk + 1)));
            }
            long[] s = x.getShape().getShape();
            long[] shape = new long[s.length - 1 + idx.shape().length];
            System.arraycopy(s, 0, shape, 0, ax);
            System.arraycopy(idx.shape(), 0, shape, ax, idx.shape().length);
            System.arraycopy(s, ax + 1, shape, ax + idx.shape().length, s.length - ax - 1);
            NDArray joined = parts.isEmpty() ? m.zeros(new Shape(shape), x.getDataType())
                    : NDArrays.concat(parts, ax);
            return out(joined.reshape(new Shape(shape)));
        };
    }

    /** ONNX TensorProto data types that are integers or booleans (kept on the Java side when small). */
    static boolean integerType(long to) {
        return to == 2 || to == 3 || to == 4 || to == 5 || to == 6 || to == 7 || to == 9 || to == 12 || to == 13;
    }

    static Op cast(Attributes a) {
        long to = a.getInt("to", 1);
        if (!integerType(to) && to != 1 && to != 10 && to != 11 && to != 16) {
            throw new GraphException("casts to ONNX data type " + to + "; circuitscope computes in float32 and keeps "
                    + "integers (shapes, indices) exactly");
        }
        return (in, m) -> {
            if (in[0] instanceof Value.Ints i) {
                if (!integerType(to)) {
                    return out(array(i, m));
                }
                return out(to == 9 ? booleans(i) : i);
            }
            NDArray x = in[0].array();
            if (integerType(to)) {
                float[] f = x.toType(DataType.FLOAT32, false).toFloatArray();
                long[] l = new long[f.length];
                for (int k = 0; k < f.length; k++) {
                    l[k] = to == 9 ? (f[k] != 0 ? 1 : 0) : (long) f[k];
                }
                return out(new Value.Ints(x.getShape().getShape(), l));
            }
            return out(x.getDataType() == DataType.FLOAT32 ? x.duplicate() : x.toType(DataType.FLOAT32, false));
        };
    }

    private static Value.Ints booleans(Value.Ints i) {
        long[] r = new long[i.data().length];
        for (int k = 0; k < r.length; k++) {
            r[k] = i.data()[k] != 0 ? 1 : 0;
        }
        return new Value.Ints(i.shape(), r);
    }

    static Op expand(Attributes a) {
        return (in, m) -> {
            long[] target = in[1].ints().data();
            if (in[0] instanceof Value.Ints i) {
                return out(IntTensors.expand(i, target));
            }
            NDArray x = in[0].array();
            long[] shape = IntTensors.broadcast(x.getShape().getShape(), target);
            return out(x.broadcast(new Shape(shape)).duplicate());
        };
    }

    static Op tile(Attributes a) {
        return (in, m) -> out(array(in[0], m).tile(in[1].ints().data()));
    }

    /** ConstantOfShape: a float tensor of the value (0 by default), or integers when the value is an integer. */
    static Op constantOfShape(Attributes a) {
        Tensor value = a.getTensor("value");
        boolean integer = a.getInt("value_is_integer", 0) != 0;
        float v = value == null ? 0f : value.data()[0];
        return (in, m) -> {
            long[] shape = present(in, 0) ? in[0].ints().data() : new long[0];
            if (integer) {
                long[] data = new long[(int) Values.product(shape)];
                Arrays.fill(data, (long) v);
                return out(new Value.Ints(shape, data));
            }
            return out(m.full(new Shape(shape), v));
        };
    }

    static Op range(Attributes a) {
        return (in, m) -> {
            if (in[0] instanceof Value.Ints s && in[1] instanceof Value.Ints l && in[2] instanceof Value.Ints d) {
                long start = s.data()[0];
                long limit = l.data()[0];
                long delta = d.data()[0];
                int n = (int) Math.max(0, (long) Math.ceil((double) (limit - start) / delta));
                long[] r = new long[n];
                for (int i = 0; i < n; i++) {
                    r[i] = start + i * delta;
                }
                return out(Value.Ints.vector(r));
            }
            float start = Values.scalar(in[0]);
            float limit = Values.scalar(in[1]);
            float delta = Values.scalar(in[2]);
            int n = (int) Math.max(0, Math.ceil((limit - start) / delta));
            float[] r = new float[n];
            for (int i = 0; i < n; i++) {
                r[i] = start + i * delta;
            }
            return out(m.create(r, new Shape(n)));
        };
    }
}
