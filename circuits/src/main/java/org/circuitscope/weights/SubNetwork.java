package org.circuitscope.weights;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.circuitscope.model.Layer;
import org.circuitscope.model.LayerGraph;
import org.circuitscope.model.Model;
import org.circuitscope.model.ModelException;
import org.circuitscope.tensor.Tensor;

/**
 * The part of a network between two layers, runnable on its own from the upstream layer's activations: every layer
 * that reads {@code from} (directly or not) and that {@code to} depends on. It runs in two modes:
 * <ul>
 * <li>{@link Mode#LINEAR}: the linearised path of "Visualizing Weights": ReLUs and other activation functions as
 * identity, max pools as average pools, no biases, batch norm as its scale. Inputs from outside the path count as
 * zero. Its gradient with respect to {@code from} is the expanded weights, wherever the input is.</li>
 * <li>{@link Mode#ACTUAL}: the network as it is (biases, ReLUs, max pools); inputs from outside the path
 * ({@link #sideInputs()}) must be given. Used for attribution and the circuit pruning check.</li>
 * </ul>
 * Both modes run the model's own graph executor on the path's nodes (the linearised forms are the op vocabulary's
 * {@link org.circuitscope.ops.OpSet#bindLinear}), so the upstream map may have any spatial size and every op means
 * here what it means in the forward pass. Works inside a DJL {@code GradientCollector}.
 */
public final class SubNetwork {

    /** How the path is run. */
    public enum Mode { LINEAR, ACTUAL }

    private final Model model;
    private final Layer from;
    private final Layer to;
    private final List<Layer> layers;
    private final Set<String> sideInputs;
    private final Map<String, List<Tensor>> params = new HashMap<>();

    private SubNetwork(Model model, Layer from, Layer to, List<Layer> layers, Set<String> sideInputs) {
        this.model = model;
        this.from = from;
        this.to = to;
        this.layers = layers;
        this.sideInputs = sideInputs;
    }

    /** The layers between {@code from} (exclusive) and {@code to} (inclusive); fails when there is no path. */
    public static SubNetwork between(Model model, String fromLayer, String toLayer) {
        LayerGraph g = model.layers();
        Layer from = g.get(fromLayer);
        Layer to = g.get(toLayer);
        if (from.name().equals(to.name())) {
            throw new ModelException("'" + from.name() + "' is both ends of the path: give two different layers");
        }
        Set<String> downstream = new LinkedHashSet<>();
        Deque<String> todo = new ArrayDeque<>(g.consumers(from.name()));
        while (!todo.isEmpty()) {
            String n = todo.pop();
            if (downstream.add(n)) {
                todo.addAll(g.consumers(n));
            }
        }
        if (!downstream.contains(to.name())) {
            List<String> names = g.names();
            boolean before = names.indexOf(to.name()) < names.indexOf(from.name());
            throw new ModelException("there is no path from layer '" + from.name() + "' to layer '" + to.name()
                    + "': '" + to.name() + "' does not read '" + from.name() + "', directly or through other layers"
                    + (before ? " (it comes before it; swap them?)" : " (they are on separate branches)"));
        }
        Set<String> upstream = new LinkedHashSet<>();
        todo.push(to.name());
        while (!todo.isEmpty()) {
            String n = todo.pop();
            if (upstream.add(n)) {
                todo.addAll(g.inputs(n));
            }
        }
        List<Layer> path = new ArrayList<>();
        Set<String> side = new LinkedHashSet<>();
        for (Layer l : g.all()) {
            if (downstream.contains(l.name()) && upstream.contains(l.name())) {
                if (l.op().equals("TorchScript")) {
                    throw new ModelException("the path from '" + from.name() + "' to '" + to.name() + "' goes "
                            + "through an opaque TorchScript module, whose inside circuitscope cannot read");
                }
                path.add(l);
            }
        }
        Set<String> onPath = new LinkedHashSet<>();
        path.forEach(l -> onPath.add(l.name()));
        for (Layer l : path) {
            for (String in : l.inputs()) {
                if (!in.equals(from.name()) && !onPath.contains(in)) {
                    side.add(in);
                }
            }
        }
        return new SubNetwork(model, from, to, List.copyOf(path), Set.copyOf(side));
    }

    public Layer from() {
        return from;
    }

    public Layer to() {
        return to;
    }

    /** The layers on the path in execution order, {@link #to()} last. */
    public List<Layer> layers() {
        return layers;
    }

    /** Layers outside the path that layers on it read (a residual branch, another block's output). */
    public Set<String> sideInputs() {
        return sideInputs;
    }

    /** The float parameters of a layer on the path (kernel, bias, batch-norm statistics), in the node's order. */
    List<Tensor> parameters(Layer l) {
        return params.computeIfAbsent(l.name(), k -> new ArrayList<>(model.parameters(k).values()));
    }

    /**
     * Runs the path on {@code a} (N×C×H×W activations of {@link #from()}); {@code side} holds the side inputs in
     * {@link Mode#ACTUAL} mode (ignored in LINEAR mode, where they count as zero). Arrays are created on {@code m}.
     */
    public NDArray run(NDArray a, Mode mode, Map<String, NDArray> side, NDManager m) {
        if (a.getShape().get(1) != from.channels()) {
            throw new ModelException("layer '" + from.name() + "' has " + from.channels() + " channels, but the "
                    + "array given for it has shape " + a.getShape());
        }
        Map<String, NDArray> given = new LinkedHashMap<>();
        if (mode == Mode.ACTUAL) {
            for (String s : sideInputs) {
                NDArray v = side == null ? null : side.get(s);
                if (v == null) {
                    throw new ModelException("running '" + from.name() + "' → '" + to.name() + "' needs the "
                            + "activations of '" + s + "', which is not on the path; give them as a side input");
                }
                given.put(s, v);
            }
        }
        given.put(from.name(), a);
        NDArray out = model.forwardDownstream(given, List.of(to.name()), mode == Mode.LINEAR, m).get(to.name());
        if (out == null) {
            // linearised, the path carried only zeros to here
            long[] s = to.shape().clone();
            s[0] = a.getShape().get(0);
            return m.zeros(new Shape(s), a.getDataType());
        }
        return out;
    }
}
