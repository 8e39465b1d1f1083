package org.circuitscope.onnx;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.circuitscope.graph.Attributes;
import org.circuitscope.graph.GraphException;
import org.circuitscope.graph.Node;
import org.circuitscope.graph.Value;
import org.circuitscope.onnx.proto.Onnx.AttributeProto;
import org.circuitscope.onnx.proto.Onnx.NodeProto;
import org.circuitscope.onnx.proto.Onnx.TensorProto;
import org.circuitscope.ops.OpSet;
import org.circuitscope.tensor.Tensor;

/**
 * Translates ONNX nodes of any opset into circuitscope's op vocabulary ({@link OpSet}): attributes become typed
 * {@link Attributes}, and the forms ONNX changed over its opsets become the one canonical form (Clip's bounds,
 * Pad's pads and Reduce's axes from constant inputs to attributes; Squeeze, Unsqueeze, Split and Slice attributes to
 * integer inputs; Softmax before opset 13 marked coerce_2d; Upsample as an asymmetric Resize).
 */
final class OnnxTranslation {
    /** ONNX ops taken in besides the vocabulary's own names (translated into it). */
    static final Set<String> EXTRA = Set.of("Constant", "Upsample");

    private final int opset;
    private final TensorDecoder decoder;
    private final Map<String, Value> constants;

    /** {@code constants} holds the initializers and folded Constant nodes seen so far; translation may add some. */
    OnnxTranslation(int opset, TensorDecoder decoder, Map<String, Value> constants) {
        this.opset = opset;
        this.decoder = decoder;
        this.constants = constants;
    }

    static Set<String> supported() {
        Set<String> all = new TreeSet<>(OpSet.names());
        all.addAll(EXTRA);
        return all;
    }

    static String nodeName(NodeProto node) {
        return node.getName().isEmpty() ? String.join(",", node.getOutputList()) : node.getName();
    }

    /** The node in the vocabulary. */
    Node translate(NodeProto n) {
        String name = nodeName(n);
        Attributes.Builder a = attributes(n).toBuilder();
        List<String> in = new ArrayList<>(n.getInputList());
        String op = n.getOpType();
        switch (op) {
            case "Clip" -> {
                if (opset >= 11) {
                    foldFloat(in, 1, a, "min", name);
                    foldFloat(in, 2, a, "max", name);
                }
            }
            case "Pad" -> {
                if (opset >= 11) {
                    a.set("pads", ints(in, 1, name, "pads"));
                    if (in.size() > 2 && !in.get(2).isEmpty()) {
                        a.set("value", floatConstant(in.get(2), name, "constant_value"));
                    }
                    if (in.size() > 3 && !in.get(3).isEmpty()) {
                        a.set("axes", ints(in, 3, name, "axes"));
                    }
                    in = in.subList(0, 1);
                }
            }
            case "Squeeze", "Unsqueeze" -> {
                if (opset < 13) {
                    long[] axes = attributes(n).getInts("axes", null);
                    a.remove("axes");
                    in = new ArrayList<>(in.subList(0, 1));
                    if (axes != null) {
                        in.add(addInts(name + "/axes", axes));
                    }
                }
            }
            case "ReduceMean", "ReduceMax", "ReduceMin", "ReduceSum", "ReduceProd", "ReduceSumSquare", "ReduceL1",
                 "ReduceL2", "ReduceLogSum", "ReduceLogSumExp" -> {
                boolean axesInput = op.equals("ReduceSum") ? opset >= 13 : opset >= 18;
                if (axesInput && in.size() > 1 && !in.get(1).isEmpty()) {
                    a.set("axes", ints(in, 1, name, "axes"));
                }
                in = in.subList(0, 1);
            }
            case "Softmax", "LogSoftmax" -> {
                if (opset < 13) {
                    a.set("coerce_2d", 1L);
                }
            }
            case "Split" -> {
                long[] split = attributes(n).getInts("split", null);
                a.remove("split");
                if (split != null) {
                    in = new ArrayList<>(in.subList(0, 1));
                    in.add(addInts(name + "/split", split));
                } else if ((in.size() < 2 || in.get(1).isEmpty()) && !attributes(n).has("num_outputs")) {
                    a.set("num_outputs", (long) n.getOutputCount());
                }
            }
            case "Slice" -> {
                if (opset < 10) {
                    Attributes old = attributes(n);
                    in = new ArrayList<>(in.subList(0, 1));
                    in.add(addInts(name + "/starts", old.requireInts("starts")));
                    in.add(addInts(name + "/ends", old.requireInts("ends")));
                    if (old.has("axes")) {
                        in.add(addInts(name + "/axes", old.getInts("axes", null)));
                    }
                    a = Attributes.builder();
                }
            }
            case "Resize" -> {
                if (opset < 11) {
                    // Resize-10 is Upsample's semantics with scales as the second input
                    a.set("coordinate_transformation_mode", "asymmetric");
                    if (attributes(n).getString("mode", "nearest").equals("nearest")) {
                        a.set("nearest_mode", "floor");
                    }
                    in = List.of(in.get(0), "", in.get(1));
                }
            }
            case "Upsample" -> {
                op = "Resize";
                String mode = attributes(n).getString("mode", "nearest");
                a = Attributes.builder().set("mode", mode).set("coordinate_transformation_mode", "asymmetric");
                if (mode.equals("nearest")) {
                    a.set("nearest_mode", "floor");
                }
                float[] scales = attributes(n).getFloats("scales", null);
                String scalesName = scales != null ? addFloats(name + "/scales", scales) : in.get(1);
                in = List.of(in.get(0), "", scalesName);
            }
            case "Dropout" -> {
                if (opset < 12 && in.size() > 1) {
                    in = in.subList(0, 1);
                }
            }
            case "Add", "Sub", "Mul", "Div", "Gemm", "Pow" -> {
                Attributes old = attributes(n);
                if (old.getInt("broadcast", 0) != 0 && old.has("axis") && !op.equals("Gemm")) {
                    throw new GraphException("node '" + name + "' (" + op + ") uses the pre-opset-7 broadcast with "
                            + "axis " + old.getInt("axis", 0) + ", which circuitscope does not run; re-export the "
                            + "model with a newer opset");
                }
                a.remove("broadcast").remove("axis");
            }
            case "ConstantOfShape" -> {
                TensorProto t = attributeTensor(n, "value");
                if (t != null && TensorDecoder.isInteger(t)) {
                    a.set("value_is_integer", 1L);
                }
            }
            default -> {
            }
        }
        return new Node(name, op, trimTrailingAbsent(in), List.copyOf(n.getOutputList()), a.build());
    }

    private static List<String> trimTrailingAbsent(List<String> in) {
        int end = in.size();
        while (end > 1 && in.get(end - 1).isEmpty()) {
            end--;
        }
        return List.copyOf(in.subList(0, end));
    }

    private void foldFloat(List<String> in, int k, Attributes.Builder a, String key, String node) {
        if (in.size() > k && !in.get(k).isEmpty()) {
            a.set(key, floatConstant(in.get(k), node, key));
        }
        if (in.size() > k) {
            in.set(k, "");
        }
        while (in.size() > 1 && in.get(in.size() - 1).isEmpty()) {
            in.remove(in.size() - 1);
        }
    }

    private float floatConstant(String value, String node, String what) {
        Value v = constants.get(value);
        if (v == null) {
            throw new GraphException("node '" + node + "' takes its " + what + " from '" + value + "', which is "
                    + "computed; circuitscope needs it to be a constant");
        }
        if (v instanceof Value.Ints i) {
            return i.data()[0];
        }
        return v.array().toFloatArray()[0];
    }

    private long[] ints(List<String> in, int k, String node, String what) {
        if (in.size() <= k || in.get(k).isEmpty()) {
            throw new GraphException("node '" + node + "' lacks its " + what + " input");
        }
        Value v = constants.get(in.get(k));
        if (!(v instanceof Value.Ints i)) {
            throw new GraphException("node '" + node + "' takes its " + what + " from '" + in.get(k) + "', which "
                    + (v == null ? "is computed" : "is not an integer tensor") + "; circuitscope needs constant "
                    + "integers there");
        }
        return i.data().clone();
    }

    private String addInts(String name, long[] values) {
        String n = fresh(name);
        constants.put(n, Value.Ints.vector(values));
        return n;
    }

    private String addFloats(String name, float[] values) {
        String n = fresh(name);
        constants.put(n, new Value.Ints(new long[] {values.length}, toLongsExact(values, name)));
        return n;
    }

    /** Upsample scales are floats; kept as integers only when they are whole numbers, as ONNX models have them. */
    private static long[] toLongsExact(float[] v, String name) {
        long[] r = new long[v.length];
        for (int i = 0; i < v.length; i++) {
            if (v[i] != Math.rint(v[i])) {
                throw new GraphException("node '" + name + "' has fractional Upsample scales " + Arrays.toString(v)
                        + ", which circuitscope does not run");
            }
            r[i] = (long) v[i];
        }
        return r;
    }

    private String fresh(String name) {
        String n = name;
        for (int k = 1; constants.containsKey(n); k++) {
            n = name + "_" + k;
        }
        return n;
    }

    private static TensorProto attributeTensor(NodeProto n, String name) {
        for (AttributeProto a : n.getAttributeList()) {
            if (a.getName().equals(name) && a.hasT()) {
                return a.getT();
            }
        }
        return null;
    }

    /** A node's attributes in the vocabulary's typed form; graph-valued attributes (If, Loop) are refused. */
    Attributes attributes(NodeProto n) {
        Attributes.Builder b = Attributes.builder();
        for (AttributeProto a : n.getAttributeList()) {
            switch (a.getType()) {
                case INT -> b.set(a.getName(), a.getI());
                case INTS -> b.set(a.getName(), a.getIntsList().stream().mapToLong(Long::longValue).toArray());
                case FLOAT -> b.set(a.getName(), a.getF());
                case FLOATS -> {
                    float[] f = new float[a.getFloatsCount()];
                    for (int i = 0; i < f.length; i++) {
                        f[i] = a.getFloats(i);
                    }
                    b.set(a.getName(), f);
                }
                case STRING -> b.set(a.getName(), a.getS().toStringUtf8());
                case TENSOR -> b.set(a.getName(), new Tensor(TensorDecoder.dims(a.getT()), decoder.floats(a.getT())));
                default -> throw new GraphException("node '" + nodeName(n) + "' (" + n.getOpType() + ") has attribute '"
                        + a.getName() + "' of type " + a.getType() + ", which circuitscope does not read");
            }
        }
        return b.build();
    }
}
