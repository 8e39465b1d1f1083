package org.circuitscope.model.ort;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.circuitscope.onnx.proto.Onnx.AttributeProto;
import org.circuitscope.onnx.proto.Onnx.GraphProto;
import org.circuitscope.onnx.proto.Onnx.ModelProto;
import org.circuitscope.onnx.proto.Onnx.NodeProto;
import org.circuitscope.onnx.proto.Onnx.TensorProto;
import org.circuitscope.onnx.proto.Onnx.TensorShapeProto;
import org.circuitscope.onnx.proto.Onnx.ValueInfoProto;

/**
 * The ONNX side of {@link OrtExecutor}: whether a file computes in ONNX Runtime what circuitscope's importer computes
 * from it, and the file edited so that a session returns the layers asked for at any batch size.
 */
final class OrtGraphs {
    private static final Set<Integer> FLOAT_TYPES = Set.of(TensorProto.DataType.FLOAT16_VALUE,
            TensorProto.DataType.DOUBLE_VALUE, TensorProto.DataType.BFLOAT16_VALUE, 17, 18, 19, 20);
    private static final Set<Integer> NARROW_INTEGERS = Set.of(TensorProto.DataType.UINT8_VALUE,
            TensorProto.DataType.INT8_VALUE, TensorProto.DataType.UINT16_VALUE, TensorProto.DataType.INT16_VALUE,
            21, 22);

    private OrtGraphs() {
    }

    /**
     * Why ONNX Runtime would not compute what circuitscope computes from this file, or null when it would. The
     * importer reads every floating tensor as float32 and every integer one as int64, so a file with float16,
     * float64, bfloat16 or narrow-integer (quantised) tensors, or casts to such types, runs other arithmetic in ONNX
     * Runtime; weights in external data files are not loaded from bytes.
     */
    static String refusal(ModelProto model, String imageInput) {
        GraphProto g = model.getGraph();
        for (TensorProto t : g.getInitializerList()) {
            String r = tensorRefusal(t, "initializer '" + t.getName() + "'");
            if (r != null) {
                return r;
            }
        }
        for (NodeProto n : g.getNodeList()) {
            for (AttributeProto a : n.getAttributeList()) {
                if (a.hasG() || a.getGraphsCount() > 0) {
                    return "node '" + n.getName() + "' (" + n.getOpType() + ") holds a subgraph";
                }
                if (a.hasT()) {
                    String r = tensorRefusal(a.getT(), "node '" + n.getName() + "' (" + n.getOpType() + ")");
                    if (r != null) {
                        return r;
                    }
                }
            }
            if ((n.getOpType().equals("Cast")) && castsTo(n) != null) {
                return "node '" + n.getName() + "' casts to " + castsTo(n) + ", which circuitscope computes in "
                        + "float32/int64";
            }
        }
        for (ValueInfoProto v : g.getInputList()) {
            if (v.getName().equals(imageInput) && v.hasType() && v.getType().hasTensorType()
                    && v.getType().getTensorType().hasElemType()
                    && v.getType().getTensorType().getElemType() != TensorProto.DataType.FLOAT_VALUE) {
                return "its input '" + imageInput + "' is of ONNX type " + v.getType().getTensorType().getElemType()
                        + ", not float32";
            }
        }
        return null;
    }

    private static String tensorRefusal(TensorProto t, String where) {
        if (t.getDataLocation() == TensorProto.DataLocation.EXTERNAL) {
            return where + " keeps its values in an external data file";
        }
        if (FLOAT_TYPES.contains(t.getDataType())) {
            return where + " is of ONNX type " + t.getDataType() + " (not float32), which circuitscope reads as "
                    + "float32";
        }
        if (NARROW_INTEGERS.contains(t.getDataType())) {
            return where + " holds quantised integers (ONNX type " + t.getDataType() + ")";
        }
        return null;
    }

    private static String castsTo(NodeProto n) {
        for (AttributeProto a : n.getAttributeList()) {
            if (a.getName().equals("to") && (FLOAT_TYPES.contains((int) a.getI())
                    || NARROW_INTEGERS.contains((int) a.getI()))) {
                return "ONNX type " + a.getI();
            }
        }
        return null;
    }

    /**
     * The file cut down to what {@code outputs} need, with those values as the graph's outputs, its batch dimension
     * (and, with {@code freeSpatial}, height and width) symbolic, the intermediate shapes it records dropped (ONNX
     * Runtime infers them again for the batch it is given), and each Reshape of {@code reshapeTargets} (by its
     * output) reading the target circuitscope runs it with instead of the file's ({@link
     * org.circuitscope.model.Model}'s batch generalisation: a literal 1 in front read as "the batch").
     */
    static byte[] edit(ModelProto model, String imageInput, List<String> outputs, Map<String, long[]> reshapeTargets,
                       boolean freeSpatial) {
        ModelProto.Builder m = model.toBuilder();
        GraphProto.Builder g = m.getGraphBuilder();
        Set<String> taken = new HashSet<>();
        for (TensorProto t : g.getInitializerList()) {
            taken.add(t.getName());
        }
        for (NodeProto n : g.getNodeList()) {
            taken.addAll(n.getOutputList());
        }
        // the Reshapes circuitscope generalised read new initializers holding its targets
        List<TensorProto> added = new ArrayList<>();
        for (NodeProto.Builder n : g.getNodeBuilderList()) {
            if (!n.getOpType().equals("Reshape") || n.getOutputCount() == 0 || n.getInputCount() < 2) {
                continue;
            }
            long[] target = reshapeTargets.get(n.getOutput(0));
            if (target == null) {
                continue;
            }
            String name = n.getInput(1) + "/any_batch";
            for (int k = 1; taken.contains(name); k++) {
                name = n.getInput(1) + "/any_batch_" + k;
            }
            taken.add(name);
            TensorProto.Builder t = TensorProto.newBuilder().setName(name)
                    .setDataType(TensorProto.DataType.INT64_VALUE).addDims(target.length);
            for (long v : target) {
                t.addInt64Data(v);
            }
            added.add(t.build());
            n.setInput(1, name);
        }
        g.addAllInitializer(added);

        // keep only the nodes the outputs need (ONNX Runtime would run the rest too)
        List<NodeProto> nodes = new ArrayList<>(g.getNodeList());
        Map<String, Integer> producer = new HashMap<>();
        for (int i = 0; i < nodes.size(); i++) {
            for (String o : nodes.get(i).getOutputList()) {
                producer.put(o, i);
            }
        }
        boolean[] needed = new boolean[nodes.size()];
        Set<String> read = new HashSet<>(outputs);
        Deque<String> todo = new ArrayDeque<>(outputs);
        while (!todo.isEmpty()) {
            Integer i = producer.get(todo.pop());
            if (i != null && !needed[i]) {
                needed[i] = true;
                for (String in : nodes.get(i).getInputList()) {
                    if (read.add(in)) {
                        todo.push(in);
                    }
                }
            }
        }
        List<NodeProto> kept = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            if (needed[i]) {
                kept.add(nodes.get(i));
            }
        }
        g.clearNode().addAllNode(kept);
        List<TensorProto> initializers = g.getInitializerList().stream().filter(t -> read.contains(t.getName()))
                .toList();
        g.clearInitializer().addAllInitializer(initializers);
        Set<String> initializerNames = new HashSet<>();
        initializers.forEach(t -> initializerNames.add(t.getName()));
        // the image input, and initializers that an old IR version also lists as inputs
        List<ValueInfoProto> inputs = new ArrayList<>();
        for (ValueInfoProto v : g.getInputList()) {
            if (v.getName().equals(imageInput)) {
                inputs.add(free(v, freeSpatial));
            } else if (initializerNames.contains(v.getName())) {
                inputs.add(v);
            }
        }
        g.clearInput().addAllInput(inputs);

        Map<String, ValueInfoProto> declared = new HashMap<>();
        for (ValueInfoProto v : g.getOutputList()) {
            declared.put(v.getName(), v);
        }
        g.clearOutput();
        for (String o : new LinkedHashSet<>(outputs)) {
            ValueInfoProto d = declared.get(o);
            ValueInfoProto.Builder v = ValueInfoProto.newBuilder().setName(o);
            if (d != null && d.hasType() && d.getType().hasTensorType() && d.getType().getTensorType().hasElemType()) {
                // the declared element type, without the declared shape (it has the traced batch)
                v.getTypeBuilder().getTensorTypeBuilder().setElemType(d.getType().getTensorType().getElemType());
            }
            g.addOutput(v);
        }
        g.clearValueInfo();
        return m.build().toByteArray();
    }

    private static ValueInfoProto free(ValueInfoProto v, boolean freeSpatial) {
        if (!v.hasType() || !v.getType().hasTensorType() || !v.getType().getTensorType().hasShape()) {
            return v;
        }
        ValueInfoProto.Builder b = v.toBuilder();
        TensorShapeProto.Builder shape = b.getTypeBuilder().getTensorTypeBuilder().getShapeBuilder();
        String[] names = {"N", "C", "H", "W"};
        for (int d = 0; d < shape.getDimCount(); d++) {
            if (d == 0 || freeSpatial && d >= 2) {
                shape.setDim(d, TensorShapeProto.Dimension.newBuilder().setDimParam(d < names.length ? names[d]
                        : "D" + d));
            }
        }
        return b.build();
    }
}
