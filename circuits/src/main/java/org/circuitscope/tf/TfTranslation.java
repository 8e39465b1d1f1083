package org.circuitscope.tf;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.circuitscope.graph.Attributes;
import org.circuitscope.graph.GraphException;
import org.circuitscope.graph.Node;
import org.circuitscope.graph.Value;
import org.circuitscope.tf.proto.Tf.AttrValue;
import org.circuitscope.tf.proto.Tf.NodeDef;

/**
 * Translates TensorFlow GraphDef nodes into circuitscope's op vocabulary. TensorFlow's images are NHWC; in the
 * vocabulary every 4-D value is NCHW, so this is where layout-dependent meaning moves: axes are renumbered, a
 * per-channel bias becomes a [C,1,1] constant, SAME padding becomes auto_pad SAME_UPPER, and a Reshape of a 4-D
 * value reads it in NHWC order (Transpose, Reshape, and Transpose back when the result is 4-D). Filters are
 * converted to OIHW by the importer. Ranks are followed through the graph so each translation knows its input's.
 */
final class TfTranslation {
    static final Set<String> SUPPORTED = new TreeSet<>(List.of("Placeholder", "Const", "Identity", "Conv2D",
            "DepthwiseConv2dNative", "BiasAdd", "Relu", "Relu6", "Sigmoid", "Tanh", "MaxPool", "AvgPool", "LRN",
            "Concat", "ConcatV2", "Reshape", "MatMul", "Softmax", "Add", "AddV2", "Sub", "Mul", "NoOp"));

    private final Map<String, Value> constants;
    private final Map<String, Integer> ranks = new HashMap<>();
    private final Map<String, Long> depthwiseMultiplier = new HashMap<>();

    TfTranslation(Map<String, Value> constants, String input, int inputRank) {
        this.constants = constants;
        ranks.put(input, inputRank);
    }

    private int rank(String value, NodeDef at) {
        Value c = constants.get(value);
        if (c != null) {
            return c instanceof Value.Ints i ? i.shape().length : c.array().getShape().dimension();
        }
        Integer r = ranks.get(value);
        if (r == null) {
            throw new GraphException("node '" + at.getName() + "' (" + at.getOp() + ") reads '" + value + "', whose "
                    + "rank circuitscope could not follow");
        }
        return r;
    }

    /** The nodes in the vocabulary for one TensorFlow node; the last one's output is the TF node's name. */
    List<Node> translate(NodeDef n, List<String> inputs) {
        checkFormat(n);
        Map<String, AttrValue> a = n.getAttrMap();
        String name = n.getName();
        List<Node> out = new ArrayList<>();
        int rank;
        switch (n.getOp()) {
            case "Conv2D", "DepthwiseConv2dNative" -> {
                boolean depthwise = n.getOp().equals("DepthwiseConv2dNative");
                String filterName = oihwFilter(inputs.get(1), depthwise, n);
                NDArray filter = constants.get(filterName).array();
                long group = depthwise ? filter.getShape().get(0) / depthwiseMultiplier.get(filterName) : 1;
                out.add(node(name, "Conv", List.of(inputs.get(0), filterName), Attributes.builder()
                        .set("kernel_shape", filter.getShape().get(2), filter.getShape().get(3))
                        .set("strides", spatial(a, "strides", 1)).set("dilations", spatial(a, "dilations", 1))
                        .set("auto_pad", padding(a)).set("group", group).build()));
                rank = 4;
            }
            case "BiasAdd" -> {
                rank = rank(inputs.get(0), n);
                out.add(node(name, "Add", List.of(inputs.get(0), channelConstant(inputs.get(1), rank, n)),
                        Attributes.NONE));
            }
            case "Relu", "Sigmoid", "Tanh", "Identity" -> {
                rank = rank(inputs.get(0), n);
                out.add(node(name, n.getOp(), inputs.subList(0, 1), Attributes.NONE));
            }
            case "Relu6" -> {
                rank = rank(inputs.get(0), n);
                out.add(node(name, "Clip", inputs.subList(0, 1), Attributes.builder().set("min", 0f)
                        .set("max", 6f).build()));
            }
            case "MaxPool", "AvgPool" -> {
                Attributes.Builder b = Attributes.builder().set("kernel_shape", spatial(a, "ksize", 1))
                        .set("strides", spatial(a, "strides", 1)).set("auto_pad", padding(a));
                if (n.getOp().equals("AvgPool")) {
                    // TensorFlow's average pool leaves padding out of the count
                    b.set("count_include_pad", 0L);
                }
                out.add(node(name, n.getOp().equals("MaxPool") ? "MaxPool" : "AveragePool", inputs.subList(0, 1),
                        b.build()));
                rank = 4;
            }
            case "LRN" -> {
                long radius = a.containsKey("depth_radius") ? a.get("depth_radius").getI() : 5;
                float bias = a.containsKey("bias") ? a.get("bias").getF() : 1f;
                float alpha = a.containsKey("alpha") ? a.get("alpha").getF() : 1f;
                float beta = a.containsKey("beta") ? a.get("beta").getF() : 0.5f;
                long size = 2 * radius + 1;
                // TensorFlow scales the window sum by alpha; the vocabulary (ONNX's form) by alpha / size
                out.add(node(name, "LRN", inputs.subList(0, 1), Attributes.builder().set("size", size)
                        .set("alpha", alpha * size).set("beta", beta).set("bias", bias).build()));
                rank = 4;
            }
            case "Concat", "ConcatV2" -> {
                boolean axisFirst = n.getOp().equals("Concat");
                String axisName = axisFirst ? inputs.get(0) : inputs.get(inputs.size() - 1);
                List<String> parts = axisFirst ? inputs.subList(1, inputs.size())
                        : inputs.subList(0, inputs.size() - 1);
                if (!(constants.get(axisName) instanceof Value.Ints axisValue)) {
                    throw new GraphException("node '" + name + "' (" + n.getOp() + ") takes its axis from '"
                            + axisName + "', which is not a constant");
                }
                rank = rank(parts.get(0), n);
                out.add(node(name, "Concat", parts, Attributes.builder()
                        .set("axis", (long) nchwAxis(axisValue.data()[0], rank)).build()));
            }
            case "Reshape" -> {
                if (!(constants.get(inputs.get(1)) instanceof Value.Ints target)) {
                    throw new GraphException("node '" + name + "' (Reshape) takes its shape from '" + inputs.get(1)
                            + "', which is not a constant");
                }
                int from = rank(inputs.get(0), n);
                rank = target.data().length;
                String x = inputs.get(0);
                if (from == 4) {
                    x = name + "/nhwc";
                    out.add(node(x, "Transpose", List.of(inputs.get(0)), perm(0, 2, 3, 1)));
                }
                if (rank == 4) {
                    out.add(node(name + "/nhwc_result", "Reshape", List.of(x, inputs.get(1)), Attributes.NONE));
                    out.add(node(name, "Transpose", List.of(name + "/nhwc_result"), perm(0, 3, 1, 2)));
                } else {
                    out.add(node(name, "Reshape", List.of(x, inputs.get(1)), Attributes.NONE));
                }
            }
            case "MatMul" -> {
                boolean ta = a.containsKey("transpose_a") && a.get("transpose_a").getB();
                boolean tb = a.containsKey("transpose_b") && a.get("transpose_b").getB();
                out.add(node(name, "Gemm", inputs.subList(0, 2), Attributes.builder().set("transA", ta ? 1L : 0L)
                        .set("transB", tb ? 1L : 0L).build()));
                rank = 2;
            }
            case "Softmax" -> {
                rank = rank(inputs.get(0), n);
                out.add(node(name, "Softmax", inputs.subList(0, 1), Attributes.builder().set("axis", rank == 4
                        ? 1L : -1L).build()));
            }
            case "Add", "AddV2", "Sub", "Mul" -> {
                String op = n.getOp().equals("AddV2") ? "Add" : n.getOp();
                int rx = rank(inputs.get(0), n);
                int ry = rank(inputs.get(1), n);
                rank = Math.max(rx, ry);
                String x = rx < 4 && ry == 4 ? channelConstant(inputs.get(0), 4, n) : inputs.get(0);
                String y = ry < 4 && rx == 4 ? channelConstant(inputs.get(1), 4, n) : inputs.get(1);
                out.add(node(name, op, List.of(x, y), Attributes.NONE));
            }
            default -> throw new GraphException("unsupported TensorFlow op '" + n.getOp() + "' at node '" + name
                    + "'. Supported ops: " + String.join(", ", SUPPORTED));
        }
        ranks.put(name, rank);
        for (Node made : out) {
            ranks.putIfAbsent(made.output(), rank);
        }
        return out;
    }

    /**
     * The filter as an OIHW constant (converted once per filter, kept under its own name): TensorFlow's HWIO, or
     * H×W×C×M for a depthwise filter, whose output channel c·M + m becomes row c·M + m of a [C·M, 1, H, W] kernel.
     */
    private String oihwFilter(String filter, boolean depthwise, NodeDef at) {
        String name = filter + "/oihw";
        if (constants.containsKey(name)) {
            return name;
        }
        if (!(constants.get(filter) instanceof Value.Array v)) {
            throw new GraphException("node '" + at.getName() + "' (" + at.getOp() + ") needs a constant filter");
        }
        NDArray w = v.array();
        if (w.getShape().dimension() != 4) {
            throw new GraphException("node '" + at.getName() + "' has a filter of shape " + w.getShape() + ", not 4-D");
        }
        Shape s = w.getShape();
        NDArray oihw = depthwise ? w.reshape(s.get(0), s.get(1), s.get(2) * s.get(3), 1).transpose(2, 3, 0, 1)
                : w.transpose(3, 2, 0, 1);
        constants.put(name, new Value.Array(oihw.duplicate()));
        oihw.close();
        if (depthwise) {
            depthwiseMultiplier.put(name, s.get(3));
        }
        return name;
    }

    private static Node node(String name, String op, List<String> inputs, Attributes a) {
        return new Node(name, op, inputs, List.of(name), a);
    }

    private static Attributes perm(long... p) {
        return Attributes.builder().set("perm", p).build();
    }

    /**
     * A constant that broadcasts over NHWC's last axis, as one that broadcasts over NCHW's channel axis: a vector
     * of C becomes C×1×1; a 4-D NHWC constant is transposed. Scalars stay as they are.
     */
    private String channelConstant(String value, int targetRank, NodeDef at) {
        Value v = constants.get(value);
        if (v == null) {
            if (rank(value, at) <= 1) {
                throw new GraphException("node '" + at.getName() + "' (" + at.getOp() + ") broadcasts a computed "
                        + "vector '" + value + "' over an image; circuitscope needs that operand to be a constant");
            }
            return value;
        }
        if (targetRank != 4 || !(v instanceof Value.Array arr)) {
            return value;
        }
        NDArray c = arr.array();
        int r = c.getShape().dimension();
        if (r == 0 || c.getShape().size() == 1) {
            return value;
        }
        String name = value + "/nchw";
        if (!constants.containsKey(name)) {
            NDArray moved;
            if (r == 1) {
                moved = c.reshape(new Shape(c.getShape().get(0), 1, 1));
            } else if (r == 4) {
                moved = c.transpose(0, 3, 1, 2);
            } else {
                throw new GraphException("node '" + at.getName() + "' broadcasts a constant of shape " + c.getShape()
                        + " over an NHWC image, which circuitscope does not translate");
            }
            NDArray dense = moved.duplicate();
            constants.put(name, new Value.Array(dense));
        }
        return name;
    }

    private static void checkFormat(NodeDef node) {
        AttrValue f = node.getAttrMap().get("data_format");
        if (f != null && !f.getS().toStringUtf8().equals("NHWC")) {
            throw new GraphException("node '" + node.getName() + "' uses data_format " + f.getS().toStringUtf8()
                    + "; circuitscope reads NHWC TensorFlow graphs");
        }
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
        return switch (s) {
            case "SAME" -> "SAME_UPPER";
            case "VALID" -> "VALID";
            default -> throw new GraphException("padding '" + s + "' is not supported (SAME or VALID)");
        };
    }

    /** An NHWC axis as the NCHW axis that holds the same dimension (for 4-D values). */
    static int nchwAxis(long axis, int rank) {
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
}
