package org.circuitscope.torchscript;

import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValueUtils;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.util.Pair;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.circuitscope.graph.Graph;
import org.circuitscope.graph.GraphException;
import org.circuitscope.graph.Node;
import org.circuitscope.graph.Op;
import org.circuitscope.graph.Value;
import org.circuitscope.model.ModelException;

/**
 * Loads a TorchScript module as a one-node graph whose outputs are what the module returns: a tensor (named
 * {@code output}), or a {@code Dict[str, Tensor]} of named intermediate activations, which then become the
 * model's layers. The module runs in eval mode; autograd records it only when the input carries gradients.
 */
public final class TorchScriptImporter {
    public static final String NODE = "torchscript";

    private TorchScriptImporter() {
    }

    /** A loaded module: its graph, and the module's parameters by their dotted names. */
    public record Imported(Graph graph, Map<String, NDArray> parameters) {
    }

    public static Imported load(Path file, NDManager manager, int height, int width) {
        if (!Files.isRegularFile(file)) {
            throw new ModelException("no model file at " + file.toAbsolutePath());
        }
        TorchScriptArchive.check(file);
        PtSymbolBlock block;
        try {
            // trainParam=true keeps the parameters differentiable-through; the module itself stays in eval mode.
            block = JniUtils.loadModule((PtNDManager) manager, file, true, new String[0], new String[0], true);
        } catch (EngineException | IllegalArgumentException e) {
            throw new ModelException(file.getFileName() + " is not a TorchScript module PyTorch can load ("
                    + e.getMessage() + "). Export with torch.jit.script(model).save(path) or torch.jit.trace.", e);
        }
        Op op = (in, m) -> {
            NDArray x = in[0].array();
            NDList out = IValueUtils.forward(block, new NDList(x), x.hasGradient());
            Value[] values = new Value[out.size()];
            for (int i = 0; i < values.length; i++) {
                values[i] = new Value.Array(out.get(i));
            }
            return values;
        };
        List<String> outputs = probe(op, manager, height, width, file);
        Map<String, NDArray> params = new LinkedHashMap<>();
        for (Pair<String, Parameter> p : block.getDirectParameters()) {
            params.put(p.getKey(), p.getValue().getArray());
        }
        Op named = (in, m) -> order(op.apply(in, m), outputs);
        Node node = new Node(NODE, "TorchScript", List.of("input"), outputs);
        return new Imported(new Graph("input", Map.of(), List.of(node), outputs, Map.of(NODE, named)), params);
    }

    private static List<String> probe(Op op, NDManager manager, int height, int width, Path file) {
        try (NDManager m = manager.newSubManager()) {
            NDArray zeros = m.zeros(new Shape(1, 3, height, width));
            Value[] out = op.apply(new Value[] {new Value.Array(zeros)}, m);
            List<String> names = new ArrayList<>();
            Map<String, long[]> shapes = new LinkedHashMap<>();
            for (Value v : out) {
                String n = v.array().getName();
                n = n == null || n.isEmpty() ? (out.length == 1 ? "output" : "output" + names.size()) : n;
                names.add(n);
                shapes.put(n, v.array().getShape().getShape());
            }
            // DJL hands a dict back in hash order, not the order the module filled it in. For the CNNs this is
            // for, resolution falls along the network: list spatial maps first, larger first, then by name.
            names.sort(Comparator.<String>comparingLong(k -> -spatial(shapes.get(k))).thenComparing(k -> k));
            return names;
        } catch (EngineException e) {
            throw new ModelException("the TorchScript module " + file.getFileName() + " does not run on a 1×3×"
                    + height + "×" + width + " input: " + e.getMessage() + ". Give its input size.", e);
        }
    }

    private static long spatial(long[] shape) {
        long n = 1;
        for (int i = 2; i < shape.length; i++) {
            n *= shape[i];
        }
        return shape.length > 2 ? n : 0;
    }

    /** Puts a dict's arrays (named by key) in the order the graph declared. */
    private static Value[] order(Value[] values, List<String> outputs) {
        if (values.length == 1 && outputs.size() == 1) {
            return values;
        }
        Value[] r = new Value[outputs.size()];
        for (Value v : values) {
            int i = outputs.indexOf(v.array().getName());
            if (i < 0) {
                throw new GraphException("the module returned an unexpected key '" + v.array().getName() + "'");
            }
            r[i] = v;
        }
        return r;
    }
}
