package org.circuitscope.onnx;

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
import org.circuitscope.onnx.proto.Onnx.GraphProto;
import org.circuitscope.onnx.proto.Onnx.ModelProto;
import org.circuitscope.onnx.proto.Onnx.NodeProto;
import org.circuitscope.onnx.proto.Onnx.OperatorSetIdProto;
import org.circuitscope.onnx.proto.Onnx.StringStringEntryProto;
import org.circuitscope.onnx.proto.Onnx.TensorProto;
import org.circuitscope.onnx.proto.Onnx.TensorShapeProto;
import org.circuitscope.onnx.proto.Onnx.ValueInfoProto;

/**
 * Turns an ONNX model file into an executable {@link Graph} of DJL operations. Weights become arrays owned by the
 * given manager; {@code Constant} nodes are folded into constants; integer tensors stay on the Java side.
 */
public final class OnnxImporter {

    /** What an ONNX file holds, ready to run. */
    public record Imported(Graph graph, Map<String, String> metadata, long[] inputShape, int opset,
                           String producer) {
    }

    private OnnxImporter() {
    }

    public static ModelProto parse(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new ModelException("no model file at " + file.toAbsolutePath());
        } catch (IOException e) {
            throw new ModelException("cannot read " + file + ": " + e.getMessage(), e);
        }
        return parse(bytes, file.getFileName().toString());
    }

    public static ModelProto parse(byte[] bytes, String what) {
        ModelProto model;
        try {
            model = ModelProto.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new ModelException(what + " is not a valid ONNX model (" + bytes.length + " bytes; the protobuf "
                    + "parser says: " + e.getMessage() + "). Is the file truncated, or not ONNX?", e);
        }
        if (!model.hasGraph() || model.getGraph().getNodeCount() == 0) {
            throw new ModelException(what + " is not an ONNX model: it holds no graph nodes (" + bytes.length
                    + " bytes). Is the file truncated, or not ONNX?");
        }
        return model;
    }

    public static Imported load(Path file, NDManager manager) {
        return build(parse(file), file.toAbsolutePath().getParent(), manager);
    }

    public static Imported load(byte[] bytes, String what, NDManager manager) {
        return build(parse(bytes, what), null, manager);
    }

    public static Imported build(ModelProto model, Path baseDir, NDManager manager) {
        OnnxValidator.check(model);
        GraphProto g = model.getGraph();
        int opset = opset(model);
        TensorDecoder decoder = new TensorDecoder(baseDir);

        Map<String, Value> constants = new LinkedHashMap<>();
        for (TensorProto t : g.getInitializerList()) {
            constants.put(t.getName(), constant(t, decoder, manager));
        }
        OnnxTranslation translation = new OnnxTranslation(opset, decoder, constants);
        List<Node> nodes = new ArrayList<>();
        List<String> unsupported = new ArrayList<>();
        Set<String> supported = OnnxTranslation.supported();
        for (NodeProto n : g.getNodeList()) {
            if (!n.getDomain().isEmpty() && !n.getDomain().equals("ai.onnx")) {
                unsupported.add(n.getOpType() + " (domain " + n.getDomain() + ") at node '"
                        + OnnxTranslation.nodeName(n) + "'");
                continue;
            }
            if (!supported.contains(n.getOpType())) {
                unsupported.add(n.getOpType() + " at node '" + OnnxTranslation.nodeName(n) + "'");
                continue;
            }
            if (n.getOpType().equals("Constant")) {
                constants.put(n.getOutput(0), constantNode(n, decoder, manager));
                continue;
            }
            nodes.add(translation.translate(n));
        }
        if (!unsupported.isEmpty()) {
            throw new GraphException("the model uses ONNX ops circuitscope does not import: "
                    + String.join("; ", unsupported.subList(0, Math.min(12, unsupported.size())))
                    + (unsupported.size() > 12 ? " and " + (unsupported.size() - 12) + " more" : "")
                    + ". Supported ops: " + String.join(", ", supported));
        }

        Set<String> initializerNames = new HashSet<>(constants.keySet());
        Set<String> read = new HashSet<>();
        for (NodeProto n : g.getNodeList()) {
            read.addAll(n.getInputList());
        }
        // inputs that nothing reads (some exporters declare dummies) are not the image input
        List<ValueInfoProto> realInputs = g.getInputList().stream()
                .filter(v -> !initializerNames.contains(v.getName()) && read.contains(v.getName())).toList();
        if (realInputs.size() != 1) {
            throw new ModelException("circuitscope runs models with exactly one image input; this one has "
                    + realInputs.stream().map(ValueInfoProto::getName).toList());
        }
        ValueInfoProto input = realInputs.get(0);
        List<String> outputs = g.getOutputList().stream().map(ValueInfoProto::getName).toList();

        Map<String, String> metadata = new LinkedHashMap<>();
        for (StringStringEntryProto e : model.getMetadataPropsList()) {
            metadata.put(e.getKey(), e.getValue());
        }
        Graph graph = new Graph(input.getName(), constants, nodes, outputs);
        return new Imported(graph, metadata, dims(input), opset, model.getProducerName());
    }

    private static long[] dims(ValueInfoProto v) {
        if (!v.hasType() || !v.getType().hasTensorType() || !v.getType().getTensorType().hasShape()) {
            return null;
        }
        List<TensorShapeProto.Dimension> d = v.getType().getTensorType().getShape().getDimList();
        long[] r = new long[d.size()];
        for (int i = 0; i < r.length; i++) {
            r[i] = d.get(i).hasDimValue() ? d.get(i).getDimValue() : -1;
        }
        return r;
    }

    private static int opset(ModelProto model) {
        for (OperatorSetIdProto o : model.getOpsetImportList()) {
            if (o.getDomain().isEmpty() || o.getDomain().equals("ai.onnx")) {
                return (int) o.getVersion();
            }
        }
        return 1;
    }

    private static Value constant(TensorProto t, TensorDecoder decoder, NDManager manager) {
        long[] dims = TensorDecoder.dims(t);
        if (TensorDecoder.isInteger(t)) {
            return new Value.Ints(dims, decoder.longs(t));
        }
        return new Value.Array(manager.create(decoder.floats(t), new Shape(dims)));
    }

    private static Value constantNode(NodeProto n, TensorDecoder decoder, NDManager manager) {
        for (var a : n.getAttributeList()) {
            switch (a.getName()) {
                case "value" -> {
                    return constant(a.getT(), decoder, manager);
                }
                case "value_float" -> {
                    return new Value.Array(manager.create(new float[] {a.getF()}, new Shape()));
                }
                case "value_floats" -> {
                    float[] f = new float[a.getFloatsCount()];
                    for (int i = 0; i < f.length; i++) {
                        f[i] = a.getFloats(i);
                    }
                    return new Value.Array(manager.create(f, new Shape(f.length)));
                }
                case "value_int" -> {
                    return Value.Ints.scalar(a.getI());
                }
                case "value_ints" -> {
                    return Value.Ints.vector(a.getIntsList().stream().mapToLong(Long::longValue).toArray());
                }
                default -> {
                }
            }
        }
        throw new GraphException("Constant node '" + OnnxTranslation.nodeName(n) + "' has no value attribute "
                + "circuitscope reads (value, value_float(s), value_int(s))");
    }
}
