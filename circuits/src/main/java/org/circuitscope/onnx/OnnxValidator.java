package org.circuitscope.onnx;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.circuitscope.model.ModelException;
import org.circuitscope.model.Names;
import org.circuitscope.onnx.proto.Onnx.GraphProto;
import org.circuitscope.onnx.proto.Onnx.ModelProto;
import org.circuitscope.onnx.proto.Onnx.NodeProto;
import org.circuitscope.onnx.proto.Onnx.OperatorSetIdProto;
import org.circuitscope.onnx.proto.Onnx.TensorProto;
import org.circuitscope.onnx.proto.Onnx.ValueInfoProto;

/**
 * The structural checks an ONNX model passes before anything of it is decoded or run: an opset circuitscope
 * knows, outputs that are declared once and produced by the graph, every value produced once, and every node input
 * provided by something. Each failure names what is wrong, so a damaged or hand-edited file is refused at load
 * rather than failing later, deep in a run.
 */
public final class OnnxValidator {
    /** The newest default-domain opset circuitscope knows: the newest in ONNX's own conformance data (shared/onnx-tests). */
    public static final int NEWEST_OPSET = 28;

    private OnnxValidator() {
    }

    /** Throws a {@link ModelException} naming the first structural problem of {@code model}, if it has one. */
    public static void check(ModelProto model) {
        checkOpset(model);
        GraphProto g = model.getGraph();
        Map<String, String> providers = new HashMap<>();
        for (ValueInfoProto v : g.getInputList()) {
            providers.putIfAbsent(v.getName(), "graph input");
        }
        Set<String> initializers = new HashSet<>();
        for (TensorProto t : g.getInitializerList()) {
            if (!initializers.add(t.getName())) {
                throw new ModelException("the model has two initializers called '" + t.getName() + "'");
            }
            providers.put(t.getName(), "initializer");
        }
        for (NodeProto n : g.getNodeList()) {
            String node = OnnxTranslation.nodeName(n);
            for (String o : n.getOutputList()) {
                if (o.isEmpty()) {
                    continue;
                }
                String before = providers.put(o, "node '" + node + "'");
                if (before != null) {
                    throw new ModelException("value '" + o + "' is produced twice: by " + before + " and by node '"
                            + node + "' (" + n.getOpType() + "); each value of an ONNX graph has one producer");
                }
            }
        }
        for (NodeProto n : g.getNodeList()) {
            for (String in : n.getInputList()) {
                if (!in.isEmpty() && !providers.containsKey(in)) {
                    throw new ModelException("node '" + OnnxTranslation.nodeName(n) + "' (" + n.getOpType() + ") reads '"
                            + in + "', which no node, input or initializer provides" + closest(in, providers));
                }
            }
        }
        checkOutputs(g.getOutputList(), providers);
    }

    private static void checkOpset(ModelProto model) {
        for (OperatorSetIdProto o : model.getOpsetImportList()) {
            if (o.getDomain().isEmpty() || o.getDomain().equals("ai.onnx")) {
                long v = o.getVersion();
                if (v > NEWEST_OPSET) {
                    throw new ModelException("the model uses ONNX opset " + v + ", newer than any circuitscope "
                            + "knows (up to " + NEWEST_OPSET + "); export it again with an opset of at most "
                            + NEWEST_OPSET);
                }
                if (v < 1) {
                    throw new ModelException("the model declares ONNX opset " + v + "; opsets start at 1");
                }
            }
        }
    }

    private static void checkOutputs(List<ValueInfoProto> outputs, Map<String, String> providers) {
        if (outputs.isEmpty()) {
            throw new ModelException("the model declares no graph outputs");
        }
        Set<String> seen = new HashSet<>();
        for (ValueInfoProto o : outputs) {
            String name = o.getName();
            if (!seen.add(name)) {
                throw new ModelException("the model declares output '" + name + "' twice");
            }
            if (!providers.containsKey(name)) {
                throw new ModelException("the model declares output '" + name + "', but no node produces it"
                        + closest(name, providers));
            }
        }
    }

    private static String closest(String name, Map<String, String> providers) {
        List<String> c = Names.closest(name, providers.keySet(), 3);
        return c.isEmpty() ? "" : " (closest names: " + String.join(", ", c) + ")";
    }
}
