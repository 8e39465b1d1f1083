package org.circuitscope.organism;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.circuitscope.onnx.export.OnnxWriter;

/**
 * The organism's network, as plain weights: five 3×3 convolutions {@code conv1..conv5} (stride 1, padding 1, ReLU),
 * 2×2 max pooling after the first three ({@code pool1..pool3}), global average pooling ({@code gap}) and a linear
 * classifier ({@code logits}). With base width W the channels are W, 2W, 3W, 4W, 4W; the default W = 16 gives
 * 16, 32, 48, 64, 64 and 84k parameters; {@link #initial(int[], int, long)} takes any five widths (the
 * superposition organism narrows {@code conv4} to fewer channels than the world has part types). Input: N×3×64×64 RGB in [0, 1], then (x - {@link #MEAN}) / {@link #STD}
 * per channel (the ONNX metadata says so; centred inputs get training off its first plateau much sooner).
 */
public final class OrganismNet {

    /** The convolution layers, in order. */
    public static final List<String> CONVS = List.of("conv1", "conv2", "conv3", "conv4", "conv5");

    /** Which convolutions are followed by 2×2 max pooling. */
    static final boolean[] POOL_AFTER = {true, true, true, false, false};

    /** The per-channel mean subtracted from RGB in [0, 1] before the first convolution. */
    public static final float MEAN = 0.5f;
    /** The per-channel standard deviation the centred input is divided by. */
    public static final float STD = 0.25f;

    private final int[] channels;
    private final int classes;
    private final Map<String, float[]> values = new LinkedHashMap<>();
    private final Map<String, long[]> shapes = new LinkedHashMap<>();

    private OrganismNet(int[] channels, int classes) {
        this.channels = channels.clone();
        this.classes = classes;
    }

    /** The channels of each convolution for base width {@code w}. */
    public static int[] channels(int w) {
        return new int[] {w, 2 * w, 3 * w, 4 * w, 4 * w};
    }

    /**
     * Fresh weights from a seed: He-normal convolution and classifier weights, zero biases; drawn in Java from a
     * {@link SplittableRandom}, so the start of training never depends on the engine's generator.
     */
    public static OrganismNet initial(int width, int classes, long seed) {
        if (width < 1) {
            throw new IllegalArgumentException("width must be >= 1, got " + width);
        }
        return initial(channels(width), classes, seed);
    }

    /**
     * Fresh weights from a seed for convolutions of these widths ({@code conv1..conv5}, in order), drawn as
     * {@link #initial(int, int, long)} draws them: {@code initial(channels(w), k, seed)} is {@code initial(w, k,
     * seed)}.
     */
    public static OrganismNet initial(int[] channels, int classes, long seed) {
        if (channels.length != CONVS.size() || java.util.Arrays.stream(channels).anyMatch(c -> c < 1)
                || classes < 2) {
            throw new IllegalArgumentException("the organism needs " + CONVS.size() + " channel counts >= 1 and "
                    + "classes >= 2, got " + java.util.Arrays.toString(channels) + " and " + classes);
        }
        OrganismNet net = new OrganismNet(channels, classes);
        SplittableRandom r = new SplittableRandom(seed);
        int in = 3;
        int[] ch = channels;
        for (int i = 0; i < CONVS.size(); i++) {
            String name = CONVS.get(i);
            long[] ws = {ch[i], in, 3, 3};
            net.put(name + ".weight", ws, gaussian(r, ch[i] * in * 9, Math.sqrt(2.0 / (in * 9))));
            net.put(name + ".bias", new long[] {ch[i]}, new float[ch[i]]);
            in = ch[i];
        }
        net.put("logits.weight", new long[] {classes, in}, gaussian(r, classes * in, Math.sqrt(1.0 / in)));
        net.put("logits.bias", new long[] {classes}, new float[classes]);
        return net;
    }

    /** Turns RGB in [0, 1] into the network's input, in place: (x - MEAN) / STD. */
    public static void normalize(float[] pixels) {
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (pixels[i] - MEAN) / STD;
        }
    }

    private static float[] gaussian(SplittableRandom r, int n, double std) {
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = (float) (r.nextGaussian() * std);
        }
        return out;
    }

    void put(String name, long[] shape, float[] data) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        if (n != data.length) {
            throw new IllegalArgumentException(name + ": " + data.length + " values for shape " + List.of(shape));
        }
        shapes.put(name, shape.clone());
        values.put(name, data);
    }

    /** The channels of {@code conv1..conv5}. */
    public int[] channels() {
        return channels.clone();
    }

    public int classes() {
        return classes;
    }

    /** Parameter names in a fixed order: conv1.weight, conv1.bias, ..., logits.weight, logits.bias. */
    public List<String> parameterNames() {
        return Collections.unmodifiableList(new ArrayList<>(values.keySet()));
    }

    /** A parameter's values (row-major, live: not a copy). */
    public float[] values(String name) {
        float[] v = values.get(name);
        if (v == null) {
            throw new IllegalArgumentException("no parameter '" + name + "'; they are " + values.keySet());
        }
        return v;
    }

    public long[] shape(String name) {
        values(name);
        return shapes.get(name).clone();
    }

    /** How many numbers the network holds. */
    public long parameterCount() {
        long n = 0;
        for (float[] v : values.values()) {
            n += v.length;
        }
        return n;
    }

    /** A deep copy. */
    public OrganismNet copy() {
        OrganismNet c = new OrganismNet(channels, classes);
        for (String k : values.keySet()) {
            c.put(k, shapes.get(k), values.get(k).clone());
        }
        return c;
    }

    /** The largest absolute difference between two networks' weights (infinite when the shapes differ). */
    public double maxAbsDifference(OrganismNet other) {
        if (!values.keySet().equals(other.values.keySet())) {
            return Double.POSITIVE_INFINITY;
        }
        double max = 0;
        for (String k : values.keySet()) {
            float[] a = values.get(k);
            float[] b = other.values.get(k);
            if (a.length != b.length) {
                return Double.POSITIVE_INFINITY;
            }
            for (int i = 0; i < a.length; i++) {
                max = Math.max(max, Math.abs(a[i] - b[i]));
            }
        }
        return max;
    }

    /**
     * The network as an ONNX model (opset 13). Tensor names follow the layer names: {@code conv1_pre_relu} (the
     * convolution), {@code conv1} (after ReLU), {@code pool1}, ..., {@code gap}, {@code flatten}, {@code logits};
     * weights are initializers {@code conv1.weight}, {@code conv1.bias}, ... The metadata says how to feed it.
     *
     * @param labels the class names, in output order
     * @param source one line on how the weights were made
     */
    public byte[] toOnnx(List<String> labels, String source) {
        if (labels.size() != classes) {
            throw new IllegalArgumentException(labels.size() + " labels for " + classes + " classes");
        }
        int size = World.SIZE;
        OnnxWriter w = new OnnxWriter("organism");
        w.input("input", new long[] {-1, 3, size, size}, "N");
        String x = "input";
        for (int i = 0; i < CONVS.size(); i++) {
            String name = CONVS.get(i);
            w.initializer(name + ".weight", shapes.get(name + ".weight"), values.get(name + ".weight"));
            w.initializer(name + ".bias", shapes.get(name + ".bias"), values.get(name + ".bias"));
            w.conv(x, name + "_pre_relu", name + ".weight", name + ".bias", new long[] {3, 3}, new long[] {1, 1},
                    new long[] {1, 1, 1, 1});
            w.relu(name + "_pre_relu", name);
            x = name;
            if (POOL_AFTER[i]) {
                String pool = "pool" + (i + 1);
                w.maxPool(x, pool, new long[] {2, 2}, new long[] {2, 2}, new long[] {0, 0, 0, 0});
                x = pool;
            }
        }
        w.globalAveragePool(x, "gap");
        w.flatten("gap", "flatten", 1);
        w.initializer("logits.weight", shapes.get("logits.weight"), values.get("logits.weight"));
        w.initializer("logits.bias", shapes.get("logits.bias"), values.get("logits.bias"));
        w.gemm("flatten", "logits.weight", "logits.bias", "logits", true);
        w.output("logits", new long[] {-1, classes}, "N");
        w.producer("circuitscope", "0.1.0");
        w.metadata("input.channel_order", "RGB");
        w.metadata("input.range", "0..1");
        w.metadata("input.mean", MEAN + "," + MEAN + "," + MEAN);
        w.metadata("input.std", STD + "," + STD + "," + STD);
        w.metadata("input.size", Integer.toString(size));
        w.metadata("labels", String.join("\n", labels));
        w.metadata("source", source);
        w.docString("circuitscope model organism: a small CNN trained on the synthetic world "
                + "org.circuitscope.organism.World (" + String.join(", ", labels) + ")");
        return w.toBytes();
    }
}
