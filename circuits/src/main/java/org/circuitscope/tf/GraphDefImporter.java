package org.circuitscope.tf;

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
        TfTensors.checkSizes(g);
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
            } else if (!TfTranslation.SUPPORTED.contains(n.getOp())) {
                unsupported.add(n.getOp() + " at node '" + n.getName() + "'");
            }
        }
        if (!unsupported.isEmpty()) {
            throw new GraphException("the graph uses TensorFlow ops circuitscope does not import: "
                    + String.join("; ", unsupported.subList(0, Math.min(10, unsupported.size())))
                    + (unsupported.size() > 10 ? " and " + (unsupported.size() - 10) + " more" : "")
                    + ". Supported ops: " + String.join(", ", TfTranslation.SUPPORTED));
        }
        NodeDef input = chooseInput(placeholders);

        // Weights read through Identity ("…/read") are the same constants under another name.
        for (NodeDef n : g.getNodeList()) {
            if (n.getOp().equals("Identity") && n.getInputCount() > 0
                    && constants.containsKey(valueName(n.getInput(0)))) {
                constants.put(n.getName(), constants.get(valueName(n.getInput(0))));
            }
        }
        long[] inputShape = input.getAttrMap().containsKey("shape")
                ? TfTensors.shape(input.getAttrMap().get("shape").getShape()) : new long[0];
        TfTranslation translation = new TfTranslation(constants, input.getName(),
                inputShape.length > 0 ? inputShape.length : 4);
        List<Node> nodes = new ArrayList<>();
        for (NodeDef n : topological(g.getNodeList(), constants.keySet(), input.getName())) {
            List<String> inputs = n.getInputList().stream().filter(i -> !i.startsWith("^"))
                    .map(GraphDefImporter::valueName).toList();
            try {
                nodes.addAll(translation.translate(n, inputs));
            } catch (IndexOutOfBoundsException e) {
                // a crafted or damaged graph: an op with fewer inputs than it takes
                throw new GraphException("node '" + n.getName() + "' (" + n.getOp() + ") has too few inputs: "
                        + inputs, e);
            }
        }
        List<String> outputs = outputs(nodes);
        long[] nchw = inputShape.length == 0 ? null : inputShape.length == 4 ? new long[] {inputShape[0], inputShape[3], inputShape[1],
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

    /**
     * The computing nodes in an order where every node follows the nodes it reads (GraphDefs need not be sorted);
     * constants, placeholders and NoOps are left out.
     */
    private static List<NodeDef> topological(List<NodeDef> all, Set<String> constants, String input) {
        Map<String, NodeDef> byName = new LinkedHashMap<>();
        for (NodeDef n : all) {
            String op = n.getOp();
            if (!op.equals("Const") && !op.equals("Placeholder") && !op.equals("NoOp")
                    && !constants.contains(n.getName())) {
                byName.put(n.getName(), n);
            }
        }
        List<NodeDef> order = new ArrayList<>();
        Set<String> done = new HashSet<>(constants);
        done.add(input);
        Set<String> visiting = new HashSet<>();
        for (String name : byName.keySet()) {
            visit(name, byName, done, visiting, order);
        }
        return order;
    }

    private static void visit(String name, Map<String, NodeDef> byName, Set<String> done, Set<String> visiting,
                              List<NodeDef> order) {
        if (done.contains(name)) {
            return;
        }
        NodeDef n = byName.get(name);
        if (n == null) {
            return;
        }
        if (!visiting.add(name)) {
            throw new GraphException("node '" + name + "' is part of a cycle; circuitscope runs frozen feed-forward "
                    + "graphs");
        }
        for (String in : n.getInputList()) {
            if (!in.startsWith("^")) {
                visit(valueName(in), byName, done, visiting, order);
            }
        }
        visiting.remove(name);
        done.add(name);
        order.add(n);
    }

    /** Values nothing reads; the logits of the last softmax (its input) first, so it is taken for class scores. */
    private static List<String> outputs(List<Node> nodes) {
        Set<String> consumed = new HashSet<>();
        for (Node n : nodes) {
            consumed.addAll(n.inputs());
        }
        List<String> sinks = new ArrayList<>();
        for (Node n : nodes) {
            if (!consumed.contains(n.output())) {
                sinks.add(n.output());
            }
        }
        for (int i = nodes.size() - 1; i >= 0; i--) {
            Node n = nodes.get(i);
            if (n.op().equals("Softmax") && sinks.contains(n.output())) {
                List<String> r = new ArrayList<>();
                r.add(n.inputs().get(0));
                r.addAll(sinks);
                return r;
            }
        }
        return sinks;
    }
}
