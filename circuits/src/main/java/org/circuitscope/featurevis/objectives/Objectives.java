package org.circuitscope.featurevis.objectives;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.circuitscope.model.Layer;
import org.circuitscope.model.Model;
import org.circuitscope.model.ModelException;
import org.circuitscope.model.Unit;

/**
 * The objectives of feature visualisation, after Lucid's {@code optvis.objectives}: units to excite (neuron, channel,
 * direction, class logit), regularisers on the image (L1, L2, total variation, blur), and batch objectives
 * (diversity, channel interpolation). Combine them with {@link VisObjective#plus} and friends.
 *
 * <p>Activations are N×C×H×W (or N×C for fully connected layers); a channel's value is its mean over positions.
 */
public final class Objectives {
    /**
     * The name under which objectives read the image being optimised (RGB [0, 1], before the random transforms),
     * as Lucid's {@code T("input")}.
     */
    public static final String INPUT = "input";

    private Objectives() {
    }

    // ---- units

    /** A unit parsed from {@code layer:channel} or {@code layer:channel@y,x}, or a direction. */
    public static VisObjective unit(Unit unit) {
        if (unit instanceof Unit.Channel c) {
            return channel(c.layer(), c.channel());
        }
        if (unit instanceof Unit.Neuron n) {
            return neuron(n.layer(), n.channel(), n.y(), n.x());
        }
        if (unit instanceof Unit.Feature f) {
            return feature(f);
        }
        if (unit instanceof Unit.FeatureAt fa) {
            return featureAt(fa);
        }
        Unit.Direction d = (Unit.Direction) unit;
        return direction(d.layer(), d.vector());
    }

    /**
     * A dictionary feature's mean over positions: its encoder read at every position ({@link Unit.Feature#map}),
     * rectified as the dictionary's codes are.
     */
    public static VisObjective feature(Unit.Feature f) {
        return new Simple(f.toString(), f.layer(), m -> f.check(checkLayer(m, f.layer()).channels()),
                a -> spatialMean(f.map(a)));
    }

    /**
     * A dictionary feature at one position ({@code conv3/sae:17@4,4}): its map read at (y, x) of the layer on the
     * image being optimised, counted as {@link #neuron(String, int, int, int)} counts a neuron's position.
     */
    public static VisObjective featureAt(Unit.FeatureAt fa) {
        Unit.Feature f = fa.feature();
        String layer = f.layer();
        return new Simple(fa.toString(), layer, m -> {
            Layer l = checkLayer(m, layer);
            f.check(l.channels());
            if (!l.spatial()) {
                throw new ModelException("layer '" + layer + "' has no positions (shape "
                        + Arrays.toString(l.shape()) + "): use the feature itself (" + f + ")");
            }
        }, (a, seen) -> {
            if (a.getShape().dimension() != 4) {
                throw new ModelException("a feature at a position needs a spatial layer; '" + layer + "' has shape "
                        + a.getShape());
            }
            long[] p;
            try {
                p = seen.position(layer, fa.y(), fa.x(), a.getShape().get(2), a.getShape().get(3));
            } catch (ModelException e) {
                throw new ModelException("feature " + fa + ": " + e.getMessage(), e);
            }
            return f.map(a).get(new NDIndex(":, {}, {}", p[0], p[1]));
        });
    }

    /** {@code layer:channel} or {@code layer:channel@y,x}. */
    public static VisObjective unit(String text) {
        return unit(Unit.parse(text));
    }

    /** A channel's mean activation over all positions. */
    public static VisObjective channel(String layer, int channel) {
        checkIndex(channel, "channel");
        return new Simple(layer + ":" + channel, layer, m -> checkChannel(m, layer, channel),
                a -> spatialMean(channelOf(a, channel, layer)));
    }

    /** One neuron: a channel at the centre position of the layer (whatever the input size). */
    public static VisObjective neuron(String layer, int channel) {
        return neuron(layer, channel, -1, -1);
    }

    /**
     * One neuron: a channel at position (y, x) of the layer on the image being optimised (negative y and x mean
     * the centre). During the optimisation the model sees the image padded, shifted, scaled and turned; the neuron
     * read is the one that looks at the same place of the image as (y, x) does on the untransformed image
     * ({@link Seen}).
     */
    public static VisObjective neuron(String layer, int channel, int y, int x) {
        checkIndex(channel, "channel");
        String d = layer + ":" + channel + (y < 0 ? "@centre" : "@" + y + "," + x);
        return new Simple(d, layer, m -> {
            Layer l = checkChannel(m, layer, channel);
            if (!l.spatial()) {
                throw new ModelException("layer '" + layer + "' has no positions (shape "
                        + Arrays.toString(l.shape()) + "): use a channel objective (" + layer + ":" + channel + ")");
            }
        }, (a, seen) -> {
            if (a.getShape().dimension() != 4) {
                throw new ModelException("neuron objective needs a spatial layer; '" + layer + "' has shape "
                        + a.getShape());
            }
            long[] p;
            try {
                p = seen.position(layer, y, x, a.getShape().get(2), a.getShape().get(3));
            } catch (ModelException e) {
                throw new ModelException("neuron " + layer + ":" + channel + ": " + e.getMessage(), e);
            }
            return a.get(new NDIndex(":, {}, {}, {}", channel, p[0], p[1]));
        });
    }

    /** The dot product of the activations with {@code vector} (one weight per channel), averaged over positions. */
    public static VisObjective direction(String layer, float[] vector) {
        return direction(layer, vector, 0);
    }

    /**
     * A direction in channel space: at each position {@code dot(a, v) · max(0.1, cos(a, v))^cossimPower}, averaged
     * over positions (Lucid's form; power 0 is the plain dot product, higher powers favour the direction itself
     * over mere magnitude).
     */
    public static VisObjective direction(String layer, float[] vector, double cossimPower) {
        float[] v = vector.clone();
        double norm = 0;
        for (float f : v) {
            norm += f * f;
        }
        if (!(norm > 0)) {
            throw new ModelException("a direction needs a non-zero vector");
        }
        float vnorm = (float) Math.sqrt(norm);
        String d = layer + ":direction[" + v.length + "]" + (cossimPower != 0 ? "·cos^" + fmt(cossimPower) : "");
        return new Simple(d, layer, m -> {
            Layer l = m.layers().get(layer);
            if (l.channels() != v.length) {
                throw new ModelException("direction has " + v.length + " values but layer '" + layer + "' has "
                        + l.channels() + " channels");
            }
        }, a -> {
            Shape s = a.getShape();
            long[] bshape = new long[s.dimension()];
            Arrays.fill(bshape, 1);
            bshape[1] = v.length;
            NDArray vec = a.getManager().create(v, new Shape(bshape));
            NDArray dot = a.mul(vec).sum(new int[] {1});
            if (cossimPower == 0) {
                return spatialMean(dot);
            }
            NDArray anorm = a.square().sum(new int[] {1}).add(1e-12f).sqrt();
            NDArray cos = dot.div(anorm.mul(vnorm)).maximum(0.1f);
            return spatialMean(dot.mul(cos.pow((float) cossimPower)));
        });
    }

    /** A class's score: the channel {@code cls} of the model's class output ({@link Model#classOutput()}). */
    public static VisObjective classLogit(Model model, int cls) {
        String layer = model.classOutput();
        String label = cls >= 0 && cls < model.labels().size() ? " (" + model.labels().get(cls) + ")" : "";
        VisObjective c = channel(layer, cls);
        return new Simple("class " + cls + label, layer, m -> c.validate(m, 1), a -> c.perImage(Map.of(layer, a)));
    }

    /** A class's score read from a named output layer. */
    public static VisObjective classLogit(String layer, int cls) {
        VisObjective c = channel(layer, cls);
        return new Simple("class " + cls, layer, m -> c.validate(m, 1), a -> c.perImage(Map.of(layer, a)));
    }

    // ---- regularisers (penalties: subtract them)

    /** Sum of |x − constant| over the image (or a layer): subtract it to keep the image near the constant. */
    public static VisObjective l1(String layer, double constant) {
        return new Simple("L1(" + layer + ")", layer, m -> checkLayer(m, layer),
                a -> perImageSum(a.sub((float) constant).abs()));
    }

    public static VisObjective l1() {
        return l1(INPUT, 0.5);
    }

    /** √(ε + Σ (x − constant)²) for each image (or a layer's activations). */
    public static VisObjective l2(String layer, double constant) {
        return new Simple("L2(" + layer + ")", layer, m -> checkLayer(m, layer),
                a -> perImageSum(a.sub((float) constant).square()).add(1e-6f).sqrt());
    }

    public static VisObjective l2() {
        return l2(INPUT, 0.5);
    }

    /** Total variation: the sum of absolute differences between neighbouring pixels, per image. */
    public static VisObjective totalVariation(String layer) {
        return new Simple("TV(" + layer + ")", layer, m -> checkLayer(m, layer), a -> {
            long h = a.getShape().get(2);
            long w = a.getShape().get(3);
            NDArray dy = a.get(new NDIndex(":, :, 1:, :")).sub(a.get(new NDIndex(":, :, :{}, :", h - 1)));
            NDArray dx = a.get(new NDIndex(":, :, :, 1:")).sub(a.get(new NDIndex(":, :, :, :{}", w - 1)));
            return perImageSum(dy.abs()).add(perImageSum(dx.abs()));
        });
    }

    public static VisObjective totalVariation() {
        return totalVariation(INPUT);
    }

    /**
     * Lucid's blur penalty: ½ Σ (x − blur(x))², where blur(x) is a fixed 3×3 blur of the current image that
     * gradients do not flow through; subtracting it pulls the image towards its blurred self each step.
     */
    public static VisObjective blur() {
        return new Simple("blur", INPUT, m -> {
        }, a -> perImageSum(a.sub(blur3x3(a.stopGradient()).stopGradient()).square()).mul(0.5f));
    }

    // ---- batch objectives

    /**
     * Lucid's diversity term: how alike the batch's images are at {@code layer}, as the cosine similarity of their
     * Gram matrices (channel × channel correlations over positions), summed over the other images and divided by
     * the batch size. Subtract it (times a weight) to make a batch of visualisations differ from each other.
     */
    public static VisObjective diversity(String layer) {
        return new Simple("diversity(" + layer + ")", layer, m -> checkLayer(m, layer), a -> {
            long n = a.getShape().get(0);
            long c = a.getShape().get(1);
            NDArray f = a.reshape(n, c, -1);
            NDArray gram = f.batchMatMul(f.transpose(0, 2, 1)).reshape(n, c * c);
            NDArray norm = gram.square().sum(new int[] {1}, true).add(1e-20f).sqrt();
            NDArray g = gram.div(norm);
            NDArray sim = g.matMul(g.transpose());
            NDArray self = g.square().sum(new int[] {1});
            return sim.sum(new int[] {1}).sub(self).div((float) n);
        });
    }

    /**
     * Blends two units across the batch (Lucid's channel interpolation): image i of N maximises
     * {@code (1 − t)·channel1 + t·channel2} with t = i / (N − 1).
     */
    public static VisObjective channelInterpolate(String layer1, int channel1, String layer2, int channel2) {
        VisObjective a = channel(layer1, channel1);
        VisObjective b = channel(layer2, channel2);
        return new VisObjective("interpolate(" + layer1 + ":" + channel1 + " → " + layer2 + ":" + channel2 + ")") {
            @Override
            public NDArray perImage(Map<String, NDArray> acts) {
                NDArray va = a.perImage(acts);
                NDArray vb = b.perImage(acts);
                int n = (int) va.getShape().get(0);
                float[] t = new float[n];
                float[] s = new float[n];
                for (int i = 0; i < n; i++) {
                    t[i] = n == 1 ? 0 : i / (float) (n - 1);
                    s[i] = 1 - t[i];
                }
                return va.mul(va.getManager().create(s)).add(vb.mul(va.getManager().create(t)));
            }

            @Override
            public Set<String> layers() {
                return new java.util.LinkedHashSet<>(List.of(layer1, layer2));
            }

            @Override
            public void validate(Model model, int batch) {
                a.validate(model, batch);
                b.validate(model, batch);
            }
        };
    }

    /** The sum of {@code channel(layer, channels[i]).onImage(i)}: image i of the batch shows channel i (a layer sheet). */
    public static VisObjective sheet(String layer, int... channels) {
        if (channels.length == 0) {
            throw new ModelException("a sheet needs at least one channel");
        }
        VisObjective o = null;
        for (int i = 0; i < channels.length; i++) {
            VisObjective c = channel(layer, channels[i]).onImage(i);
            o = o == null ? c : o.plus(c);
        }
        int[] chs = channels.clone();
        VisObjective sum = o;
        return new VisObjective(layer + " channels " + describeRange(chs)) {
            @Override
            public NDArray perImage(Map<String, NDArray> acts) {
                // one gather instead of N masked copies: image i reads channel chs[i]
                NDArray a = acts.get(layer);
                int n = (int) a.getShape().get(0);
                if (n != chs.length) {
                    return sum.perImage(acts);
                }
                long[] rows = new long[n];
                for (int i = 0; i < n; i++) {
                    rows[i] = i;
                }
                NDArray means = a.getShape().dimension() == 4 ? a.reshape(n, a.getShape().get(1), -1).mean(new int[] {2})
                        : a.reshape(n, -1);
                long[] idx = new long[n];
                for (int i = 0; i < n; i++) {
                    idx[i] = i * means.getShape().get(1) + chs[i];
                }
                return means.reshape(-1).get(a.getManager().create(idx));
            }

            @Override
            public Set<String> layers() {
                return Set.of(layer);
            }

            @Override
            public void validate(Model model, int batch) {
                sum.validate(model, batch);
            }
        };
    }

    static String describeRange(int[] chs) {
        boolean contiguous = true;
        for (int i = 1; i < chs.length; i++) {
            contiguous &= chs[i] == chs[i - 1] + 1;
        }
        if (contiguous && chs.length > 2) {
            return chs[0] + "–" + chs[chs.length - 1];
        }
        return Arrays.toString(chs);
    }

    // ---- helpers

    static NDArray channelOf(NDArray a, int channel, String layer) {
        long c = a.getShape().dimension() > 1 ? a.getShape().get(1) : 0;
        if (channel >= c) {
            throw new ModelException("channel " + channel + " is out of range: layer '" + layer + "' has " + c
                    + " channels (0–" + (c - 1) + ")");
        }
        return a.get(new NDIndex(":, {}", channel));
    }

    /** Mean over every axis but the first: (N, ...) → (N). */
    static NDArray spatialMean(NDArray a) {
        if (a.getShape().dimension() == 1) {
            return a;
        }
        return a.reshape(a.getShape().get(0), -1).mean(new int[] {1});
    }

    static NDArray perImageSum(NDArray a) {
        return a.reshape(a.getShape().get(0), -1).sum(new int[] {1});
    }

    /** A 3×3 blur ([½ 1 ½; 1 1 1; ½ 1 ½], normalised at the borders), for N×C×H×W arrays. */
    static NDArray blur3x3(NDArray x) {
        long h = x.getShape().get(2);
        long w = x.getShape().get(3);
        NDArray padded = x.pad(new Shape(1, 1, 1, 1), 0);
        NDArray ones = x.onesLike().pad(new Shape(1, 1, 1, 1), 0);
        float[][] k = {{0.5f, 1, 0.5f}, {1, 1, 1}, {0.5f, 1, 0.5f}};
        NDArray sum = null;
        NDArray weight = null;
        for (int dy = 0; dy < 3; dy++) {
            for (int dx = 0; dx < 3; dx++) {
                NDIndex idx = new NDIndex(":, :, {}:{}, {}:{}", dy, dy + h, dx, dx + w);
                NDArray s = padded.get(idx).mul(k[dy][dx]);
                NDArray o = ones.get(idx).mul(k[dy][dx]);
                sum = sum == null ? s : sum.add(s);
                weight = weight == null ? o : weight.add(o);
            }
        }
        return sum.div(weight);
    }

    private static void checkIndex(int i, String what) {
        if (i < 0) {
            throw new ModelException(what + " index must be 0 or more, not " + i);
        }
    }

    static Layer checkLayer(Model m, String layer) {
        if (layer.equals(INPUT)) {
            return null;
        }
        return m.layers().get(layer);
    }

    static Layer checkChannel(Model m, String layer, int channel) {
        Layer l = m.layers().get(layer);
        if (channel >= l.channels()) {
            throw new ModelException("channel " + channel + " is out of range: layer '" + l.name() + "' of model '"
                    + m.name() + "' has " + l.channels() + " channels (0–" + (l.channels() - 1) + ")");
        }
        return l;
    }

    private static String fmt(double d) {
        return VisObjective.fmt(d);
    }

    /** An objective on one layer, given by a validation and a per-image function. */
    private static final class Simple extends VisObjective {
        private final String layer;
        private final java.util.function.Consumer<Model> check;
        private final BiFunction<NDArray, Seen, NDArray> fn;

        Simple(String description, String layer, java.util.function.Consumer<Model> check,
               Function<NDArray, NDArray> fn) {
            this(description, layer, check, (a, seen) -> fn.apply(a));
        }

        Simple(String description, String layer, java.util.function.Consumer<Model> check,
               BiFunction<NDArray, Seen, NDArray> fn) {
            super(description);
            this.layer = layer;
            this.check = check;
            this.fn = fn;
        }

        @Override
        public NDArray perImage(Map<String, NDArray> acts) {
            return perImage(acts, Seen.AS_IS);
        }

        @Override
        public NDArray perImage(Map<String, NDArray> acts, Seen seen) {
            NDArray a = acts.get(layer);
            if (a == null) {
                throw new ModelException("objective " + description() + " needs layer '" + layer
                        + "', which was not computed");
            }
            return fn.apply(a, seen);
        }

        @Override
        public Set<String> layers() {
            return Set.of(layer);
        }

        @Override
        public void validate(Model model, int batch) {
            check.accept(model);
        }
    }
}
