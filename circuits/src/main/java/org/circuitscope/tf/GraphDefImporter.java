package org.circuitscope.tf;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.circuitscope.graph.Graph;
import org.circuitscope.graph.GraphException;
import org.circuitscope.graph.Node;
import org.circuitscope.graph.Value;
import org.circuitscope.model.ModelException;
import org.circuitscope.tf.proto.Tf.DataType;
import org.circuitscope.tf.proto.Tf.GraphDef;
import org.circuitscope.tf.proto.Tf.NodeDef;
import org.circuitscope.tf.proto.Tf.TensorProto;

/**
 * Turns a frozen TensorFlow GraphDef ({@code .pb}) into an executable {@link Graph}. Layer names are the graph's
 * node names (for Lucid's InceptionV1: {@code conv2d0}, {@code mixed3b}, {@code mixed3b_3x3_pre_relu}, …). Values
 * are kept NCHW; convolution filters are stored OIHW, like every other model circuitscope loads.
 */
public final class GraphDefImporter {

    /** What a GraphDef holds, ready to run. */
    public record Imported(Graph graph, long[] inputShape) {
    }

    private GraphDefImporter() {
    }

    public static Imported load(Path file, NDManager manager) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new ModelException("no model file at " + file.toAbsolutePath());
        } catch (IOException e) {
            throw new ModelException("cannot read " + file + ": " + e.getMessage(), e);
        }
        return load(bytes, file.getFileName().toString(), manager);
    }

    public static Imported load(byte[] bytes, String what, NDManager manager) {
        GraphDef g;
        try {
            g = GraphDef.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new ModelException(what + " is not a valid TensorFlow GraphDef (" + bytes.length + " bytes; the "
                    + "protobuf parser says: " + e.getMessage() + "). Is the file truncated, or not a frozen graph?",
                    e);
        }
        if (g.getNodeCount() == 0) {
            throw new ModelException(what + " is not a TensorFlow GraphDef: it holds no nodes");
        }
        return build(g, manager);
    }

    static String valueName(String input) {
        String s = input.startsWith("^") ? input.substring(1) : input;
        return s.endsWith(":0") ? s.substring(0, s.length() - 2) : s;
    }

    public static Imported build(GraphDef g, NDManager manager) {
        Map<String, Value> constants = new LinkedHashMap<>();
        List<NodeDef> placeholders = new ArrayList<>();
        List<String> unsupported = new ArrayList<>();
        for (NodeDef n : g.getNodeList()) {
            if (n.getOp().equals("Const")) {
                TensorProto t = n.getAttrMap().get("value").getTensor();
                long[] shape = TfTensors.shape(t.getTensorShape());
                constants.put(n.getName(), TfTensors.isInteger(t) ? new Value.Ints(shape, TfTensors.longs(t,
                        n.getName())) : new Value.Array(manager.create(TfTensors.floats(t, n.getName()),
                        new Shape(shape))));
            } else if (n.getOp().equals("Placeholder")) {
                placeholders.add(n);
            } else if (!TfOps.SUPPORTED.contains(n.getOp())) {
                unsupported.add(n.getOp() + " at node '" + n.getName() + "'");
            }
        }
        if (!unsupported.isEmpty()) {
            throw new GraphException("the graph uses TensorFlow ops circuitscope does not import: "
                    + String.join("; ", unsupported.subList(0, Math.min(10, unsupported.size())))
                    + (unsupported.size() > 10 ? " and " + (unsupported.size() - 10) + " more" : "")
                    + ". Supported ops: " + String.join(", ", TfOps.SUPPORTED));
        }
        NodeDef input = chooseInput(placeholders);

        // Weights read through Identity ("…/read") are the same constants under another name.
        for (NodeDef n : g.getNodeList()) {
            if (n.getOp().equals("Identity") && constants.containsKey(valueName(n.getInput(0)))) {
                constants.put(n.getName(), constants.get(valueName(n.getInput(0))));
            }
        }
        Set<String> converted = new HashSet<>();
        List<Node> nodes = new ArrayList<>();
        Set<String> consumed = new HashSet<>();
        for (NodeDef n : g.getNodeList()) {
            String op = n.getOp();
            if (op.equals("Const") || op.equals("Placeholder") || op.equals("NoOp") || constants.containsKey(
                    n.getName())) {
                continue;
            }
            List<String> inputs = n.getInputList().stream().filter(i -> !i.startsWith("^"))
                    .map(GraphDefImporter::valueName).toList();
            consumed.addAll(inputs);
            if ((op.equals("Conv2D") || op.equals("DepthwiseConv2dNative")) && converted.add(inputs.get(1))) {
                constants.put(inputs.get(1), filterToOihw(constants.get(inputs.get(1)), op, n.getName()));
            }
            List<String> params = inputs.stream().filter(i -> constants.get(i) instanceof Value.Array).toList();
            nodes.add(new Node(n.getName(), op, inputs, List.of(n.getName()), TfOps.create(n), params));
        }
        List<String> outputs = outputs(nodes, consumed);
        long[] inputShape = input.getAttrMap().containsKey("shape")
                ? TfTensors.shape(input.getAttrMap().get("shape").getShape()) : new long[0];
        long[] nchw = inputShape.length == 4 ? new long[] {inputShape[0], inputShape[3], inputShape[1],
                inputShape[2]} : inputShape;
        return new Imported(new Graph(input.getName(), constants, nodes, outputs), nchw);
    }

    private static NodeDef chooseInput(List<NodeDef> placeholders) {
        List<NodeDef> floats = placeholders.stream().filter(p -> !p.getAttrMap().containsKey("dtype")
                || p.getAttrMap().get("dtype").getType() == DataType.DT_FLOAT).toList();
        if (floats.size() == 1) {
            return floats.get(0);
        }
        for (NodeDef p : floats) {
            if (p.getName().equals("input")) {
                return p;
            }
        }
        throw new ModelException("circuitscope runs graphs with one float image input (a Placeholder); this one has "
                + floats.stream().map(NodeDef::getName).toList());
    }

    /** TensorFlow's HWIO filter (H×W×in×multiplier for depthwise) as OIHW. */
    private static Value filterToOihw(Value filter, String op, String node) {
        if (filter == null || !(filter instanceof Value.Array)) {
            throw new GraphException("node '" + node + "' (" + op + ") needs a constant filter");
        }
        NDArray w = filter.array();
        if (w.getShape().dimension() != 4) {
            throw new GraphException("node '" + node + "' has a filter of shape " + w.getShape() + ", not 4-D");
        }
        NDArray oihw;
        if (op.equals("DepthwiseConv2dNative")) {
            Shape s = w.getShape();
            // H×W×C×M → (C·M)×1×H×W, output channel c·M + m as TensorFlow orders them.
            oihw = w.reshape(s.get(0), s.get(1), s.get(2) * s.get(3), 1).transpose(2, 3, 0, 1);
        } else {
            oihw = w.transpose(3, 2, 0, 1);
        }
        NDArray dense = oihw.duplicate();
        oihw.close();
        return new Value.Array(dense);
    }

    /** Values nothing reads; the logits of the last softmax (its input) first, so it is taken for class scores. */
    private static List<String> outputs(List<Node> nodes, Set<String> consumed) {
        List<String> sinks = new ArrayList<>();
        for (Node n : nodes) {
            if (!consumed.contains(n.name())) {
                sinks.add(n.name());
            }
        }
        for (int i = nodes.size() - 1; i >= 0; i--) {
            Node n = nodes.get(i);
            if (n.opType().equals("Softmax") && sinks.contains(n.name())) {
                List<String> r = new ArrayList<>();
                r.add(n.inputs().get(0));
                r.addAll(sinks);
                return r;
            }
        }
        return sinks;
    }
}
