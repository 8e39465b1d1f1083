package org.circuitscope.weights;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.circuitscope.graph.Kernels;
import org.circuitscope.graph.SpatialPadding;
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
 * Because it is built from the layers' recorded attributes (kernel_shape, strides, pads, dilations, group) and
 * weights, the upstream map may have any spatial size. Works inside a DJL {@code GradientCollector}.
 */
public final class SubNetwork {

    /** How the path is run. */
    public enum Mode { LINEAR, ACTUAL }

    static final Set<String> ACTIVATIONS = Set.of("Relu", "LeakyRelu", "Clip", "Sigmoid", "Tanh", "Elu", "Selu",
            "HardSigmoid", "Identity", "Dropout", "LRN");
    static final Set<String> SUPPORTED = Set.of("Conv", "Relu", "LeakyRelu", "Clip", "Sigmoid", "Tanh", "Elu",
            "Selu", "HardSigmoid", "Identity", "Dropout", "LRN", "MaxPool", "AveragePool", "Concat", "Add", "Sum",
            "BatchNormalization", "GlobalAveragePool");

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
                if (!SUPPORTED.contains(l.op())) {
                    throw new ModelException("the path from '" + from.name() + "' to '" + to.name()
                            + "' goes through layer '" + l.name() + "' (" + l.op() + "), which weights cannot be "
                            + "expanded through; supported ops: " + String.join(", ", new java.util.TreeSet<>(SUPPORTED)));
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

    /** Whether {@code to} directly follows a single convolution reading {@code from} (no pools, no sums). */
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
        Map<String, NDArray> env = new HashMap<>();
        env.put(from.name(), a);
        for (Layer l : layers) {
            List<NDArray> ins = new ArrayList<>();
            for (String in : l.inputs()) {
                NDArray v = env.get(in);
                if (v == null && mode == Mode.ACTUAL) {
                    v = side == null ? null : side.get(in);
                    if (v == null) {
                        throw new ModelException("running '" + from.name() + "' → '" + to.name() + "' needs the "
                                + "activations of '" + in + "', which is not on the path; give them as a side input");
                    }
                }
                ins.add(v);
            }
            env.put(l.name(), apply(l, ins, mode, m));
        }
        return env.get(to.name());
    }

    private NDArray apply(Layer l, List<NDArray> ins, Mode mode, NDManager m) {
        boolean linear = mode == Mode.LINEAR;
        NDArray x = ins.get(0);
        switch (l.op()) {
            case "Conv" -> {
                List<Tensor> p = parameters(l);
                NDArray w = m.create(p.get(0).data(), new Shape(p.get(0).shape()));
                NDArray b = !linear && p.size() > 1 ? m.create(p.get(1).data(), new Shape(p.get(1).shape())) : null;
                long[] kernel = l.attribute("kernel_shape", new long[] {w.getShape().get(2), w.getShape().get(3)});
                long[] strides = l.attribute("strides", new long[] {1, 1});
                long[] dil = l.attribute("dilations", new long[] {1, 1});
                int group = (int) l.attribute("group", new long[] {1})[0];
                long[] pads = pads(l, x.getShape().get(2), x.getShape().get(3), kernel, strides, dil);
                return Kernels.conv2d(x, w, b, strides, pads, dil, group, m);
            }
            case "MaxPool", "AveragePool" -> {
                long[] kernel = l.attribute("kernel_shape", null);
                long[] strides = l.attribute("strides", new long[] {1, 1});
                boolean ceil = l.attribute("ceil_mode", new long[] {0})[0] != 0;
                long[] pads = pads(l, x.getShape().get(2), x.getShape().get(3), kernel, strides, new long[] {1, 1});
                if (l.op().equals("MaxPool") && !linear) {
                    return Kernels.maxPool(x, kernel, strides, pads, ceil);
                }
                boolean countPad = l.op().equals("MaxPool") || l.attribute("count_include_pad",
                        new long[] {0})[0] != 0;
                return Kernels.avgPool(x, kernel, strides, pads, ceil, countPad, m);
            }
            case "GlobalAveragePool" -> {
                return Kernels.globalPool(x, true);
            }
            case "Concat" -> {
                if (!ConvChannel.channelAxis(l)) {
                    throw new ModelException("layer '" + l.name() + "' concatenates along an axis other than channels");
                }
                NDArray like = ins.stream().filter(v -> v != null).findFirst().orElseThrow();
                NDList parts = new NDList();
                for (int i = 0; i < ins.size(); i++) {
                    NDArray v = ins.get(i);
                    if (v == null) {
                        long c = model.layers().get(l.inputs().get(i)).channels();
                        v = m.zeros(new Shape(like.getShape().get(0), c, like.getShape().get(2),
                                like.getShape().get(3)), like.getDataType());
                    }
                    parts.add(v);
                }
                return NDArrays.concat(parts, 1);
            }
            case "Add", "Sum" -> {
                NDArray acc = null;
                for (NDArray v : ins) {
                    if (v != null) {
                        acc = acc == null ? v : acc.add(v);
                    }
                }
                return acc;
            }
            case "BatchNormalization" -> {
                List<Tensor> p = parameters(l);
                float[] k = bnScale(p);
                Shape s = new Shape(1, k.length, 1, 1);
                NDArray y = x.mul(m.create(k, s));
                if (!linear) {
                    float[] shift = new float[k.length];
                    for (int c = 0; c < k.length; c++) {
                        shift[c] = p.get(1).data()[c] - p.get(2).data()[c] * k[c];
                    }
                    y = y.add(m.create(shift, s));
                }
                return y;
            }
            case "Relu" -> {
                return linear ? x : ai.djl.nn.Activation.relu(x);
            }
            case "Identity", "Dropout" -> {
                return x;
            }
            default -> {
                if (linear && ACTIVATIONS.contains(l.op())) {
                    return x;
                }
                throw new ModelException("layer '" + l.name() + "' (" + l.op() + ") can only be run linearised "
                        + "(as identity) here; its exact parameters are not recorded");
            }
        }
    }

    /** Batch norm's per-channel scale: gamma / sqrt(var + 1e-5) (ONNX's default epsilon). */
    static float[] bnScale(List<Tensor> p) {
        float[] gamma = p.get(0).data();
        float[] var = p.get(3).data();
        float[] k = new float[gamma.length];
        for (int c = 0; c < k.length; c++) {
            k[c] = (float) (gamma[c] / Math.sqrt(var[c] + 1e-5));
        }
        return k;
    }

    /** The padding {begin_h, begin_w, end_h, end_w} of a conv or pool layer for an input of h×w. */
    static long[] pads(Layer l, long h, long w, long[] kernel, long[] strides, long[] dilations) {
        for (String key : l.attributes().keySet()) {
            if (key.startsWith("auto_pad=")) {
                String mode = key.substring("auto_pad=".length());
                if (mode.equals("VALID")) {
                    return new long[] {0, 0, 0, 0};
                }
                return SpatialPadding.same(h, w, kernel, strides, dilations, mode.equals("SAME_UPPER"));
            }
        }
        long[] p = l.attribute("pads", new long[] {0, 0, 0, 0});
        if (p.length != 4) {
            throw new ModelException("layer '" + l.name() + "' has pads " + java.util.Arrays.toString(p)
                    + "; only 2-D layers are supported");
        }
        return p;
    }
}
