package org.circuitscope.model;

import ai.djl.ndarray.NDArray;
import java.util.Arrays;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Something in a layer that can be looked at: a whole channel (the mean over positions is its activation), one
 * neuron (a channel at one position), a direction in the layer's channel space, a feature of a dictionary learnt
 * on the layer, or such a feature at one position. Printed and parsed as {@code layer:channel},
 * {@code layer:channel@y,x}, {@code layer/dictionary:feature} (for example {@code conv4/sae:17}: feature 17 of the
 * dictionary registered as {@code sae}, learnt on {@code conv4}) and {@code layer/dictionary:feature@y,x}.
 */
public sealed interface Unit permits Unit.Channel, Unit.Neuron, Unit.Direction, Unit.Feature, Unit.FeatureAt {

    String layer();

    static Channel channel(String layer, int channel) {
        return new Channel(layer, channel);
    }

    static Neuron neuron(String layer, int channel, int y, int x) {
        return new Neuron(layer, channel, y, x);
    }

    static Direction direction(String layer, float[] vector) {
        return new Direction(layer, vector);
    }

    /** Feature {@code f} read at one position (y, x) of its layer, as a neuron is a channel at one position. */
    static FeatureAt featureAt(Feature f, int y, int x) {
        return new FeatureAt(f, y, x);
    }

    /** Parses {@code layer:channel} or {@code layer:channel@y,x}; layer names may themselves contain ':' or '/'. */
    static Unit parse(String text) {
        return parse(text, Map.of());
    }

    /**
     * Parses {@code layer:channel}, {@code layer:channel@y,x}, or {@code layer/name:index} where {@code name} is
     * one of {@code dictionaries} (by the name it was registered under) and {@code layer} the layer it was learnt
     * on: that dictionary's feature {@code index}; {@code layer/name:index@y,x} is that feature at position (y, x).
     * A text whose part between the last '/' and the ':' names no dictionary is a channel of a layer whose name
     * contains '/' ({@code fire4/concat:12}), as before.
     */
    static Unit parse(String text, Map<String, ? extends FeatureBasis> dictionaries) {
        String t = text.trim();
        Matcher f = FEATURE.matcher(t);
        if (f.matches() && dictionaries.containsKey(f.group(2))) {
            FeatureBasis d = dictionaries.get(f.group(2));
            if (!d.layer().equals(f.group(1))) {
                throw new ModelException("dictionary '" + f.group(2) + "' was learnt on layer '" + d.layer()
                        + "', not '" + f.group(1) + "': write " + d.layer() + "/" + f.group(2) + ":" + f.group(3));
            }
            int i = Integer.parseInt(f.group(3));
            if (i >= d.size()) {
                throw new ModelException("dictionary '" + f.group(2) + "' has " + d.size() + " features (0.."
                        + (d.size() - 1) + "); there is no feature " + i);
            }
            Feature feature = d.feature(i);
            return f.group(4) == null ? feature
                    : new FeatureAt(feature, Integer.parseInt(f.group(4)), Integer.parseInt(f.group(5)));
        }
        Matcher m = FORM.matcher(t);
        if (!m.matches()) {
            throw new ModelException("'" + text + "' is not a unit: write layer:channel (e.g. fire4/concat:12), "
                    + "layer:channel@y,x (e.g. conv3:5@7,7), layer/dictionary:feature (conv3/sae:17) or "
                    + "layer/dictionary:feature@y,x");
        }
        int c = Integer.parseInt(m.group(2));
        if (m.group(3) == null) {
            return new Channel(m.group(1), c);
        }
        return new Neuron(m.group(1), c, Integer.parseInt(m.group(3)), Integer.parseInt(m.group(4)));
    }

    Pattern FORM = Pattern.compile("(.+):(\\d+)(?:@(\\d+),(\\d+))?");

    /**
     * The dictionary {@code layer/name} names (a layer seen through a dictionary, whose channels are its features,
     * as in {@code %activations --layers conv3/sae}), or null when {@code text} is not of that form or names no
     * dictionary of {@code dictionaries} learnt on that layer.
     */
    static FeatureBasis dictionaryView(String text, Map<String, ? extends FeatureBasis> dictionaries) {
        Matcher v = VIEW.matcher(text.trim());
        if (!v.matches() || !dictionaries.containsKey(v.group(2))) {
            return null;
        }
        FeatureBasis d = dictionaries.get(v.group(2));
        if (!d.layer().equals(v.group(1))) {
            throw new ModelException("dictionary '" + v.group(2) + "' was learnt on layer '" + d.layer()
                    + "', not '" + v.group(1) + "': write " + d.layer() + "/" + v.group(2));
        }
        return d;
    }

    Pattern VIEW = Pattern.compile("(.+)/([A-Za-z_][A-Za-z0-9_]*)");

    /** {@code layer/dictionary:index[@y,x]}: the dictionary's name is a plain identifier. */
    Pattern FEATURE = Pattern.compile("(.+)/([A-Za-z_][A-Za-z0-9_]*):(\\d+)(?:@(\\d+),(\\d+))?");

    /**
     * Something whose features are units: a dictionary learnt on one layer ({@code org.circuitscope.dictionary}).
     */
    interface FeatureBasis {
        /** The layer the features live in. */
        String layer();

        /** How many features there are. */
        int size();

        /** Feature {@code index} as a unit. */
        Feature feature(int index);

        /**
         * Feature {@code index}'s direction in the layer's channel space (its decoder row): what one unit of the
         * feature adds to the layer's activation vector.
         */
        float[] direction(int index);

        /** Every feature's map over a layer's activations: N×C×H×W gives N×size×H×W (N×C gives N×size). */
        default NDArray maps(NDArray a) {
            ai.djl.ndarray.NDList list = new ai.djl.ndarray.NDList();
            for (int i = 0; i < size(); i++) {
                list.add(feature(i).map(a));
            }
            return ai.djl.ndarray.NDArrays.stack(list, 1);
        }
    }

    record Channel(String layer, int channel) implements Unit {
        public Channel {
            if (channel < 0) {
                throw new ModelException("channel index must be 0 or more, not " + channel);
            }
        }

        @Override
        public String toString() {
            return layer + ":" + channel;
        }
    }

    record Neuron(String layer, int channel, int y, int x) implements Unit {
        public Neuron {
            if (channel < 0 || y < 0 || x < 0) {
                throw new ModelException("channel and position must be 0 or more: " + channel + "@" + y + "," + x);
            }
        }

        @Override
        public String toString() {
            return layer + ":" + channel + "@" + y + "," + x;
        }
    }

    record Direction(String layer, float[] vector) implements Unit {
        public Direction {
            vector = vector.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Direction d && d.layer.equals(layer) && Arrays.equals(d.vector, vector);
        }

        @Override
        public int hashCode() {
            return layer.hashCode() * 31 + Arrays.hashCode(vector);
        }

        @Override
        public String toString() {
            return layer + ":direction[" + vector.length + "]";
        }
    }

    /**
     * Feature {@code index} of the dictionary called {@code dictionary}, learnt on {@code layer}. Its value at a
     * position is read from the channel vector a there as {@code w·a + bias}, rectified when {@code rectified}:
     * the dictionary's encoder row for the feature (for a TopK sparse autoencoder, before the top-k selection,
     * which depends on the other features; see the dictionary's own encoding for codes). When {@code nonNegative}
     * is given (NMF), the value is instead the feature's coefficient in the non-negative least-squares solve over
     * all the dictionary's features ({@link NonNegative}), started from that rectified reading. Everything an
     * instrument needs travels with the unit, as a direction's vector does.
     */
    record Feature(String layer, String dictionary, int index, float[] weights, float bias, boolean rectified,
                   NonNegative nonNegative) implements Unit {
        public Feature {
            if (index < 0) {
                throw new ModelException("feature index must be 0 or more, not " + index);
            }
            weights = weights.clone();
            if (nonNegative != null && (index >= nonNegative.size() || nonNegative.channels() != weights.length)) {
                throw new ModelException("feature " + index + " of " + weights.length + " channels does not belong to "
                        + "a non-negative solve of " + nonNegative.size() + " features of " + nonNegative.channels()
                        + " channels");
            }
        }

        /** A feature read by its encoder row alone. */
        public Feature(String layer, String dictionary, int index, float[] weights, float bias, boolean rectified) {
            this(layer, dictionary, index, weights, bias, rectified, null);
        }

        /** The encoder row (a copy). */
        @Override
        public float[] weights() {
            return weights.clone();
        }

        /** The layer's channel count this feature reads. */
        public int channels() {
            return weights.length;
        }

        /** Throws unless {@code layerChannels} matches the encoder. */
        public void check(long layerChannels) {
            if (layerChannels != weights.length) {
                throw new ModelException("feature " + this + " reads " + weights.length + " channels but layer '"
                        + layer + "' has " + layerChannels);
            }
        }

        /**
         * The feature's map over a layer's activations, differentiably on the engine: N×C×H×W gives N×H×W, N×C
         * gives N. Arrays are attached to {@code a}'s manager.
         */
        public NDArray map(NDArray a) {
            check(a.getShape().get(1));
            if (nonNegative != null) {
                return nonNegative.codes(a).get(":, " + index);
            }
            NDArray w = a.getManager().create(weights);
            NDArray v;
            if (a.getShape().dimension() == 4) {
                v = a.mul(w.reshape(1, weights.length, 1, 1)).sum(new int[] {1});
            } else {
                v = a.matMul(w.reshape(weights.length, 1)).reshape(a.getShape().get(0));
            }
            v = v.add(bias);
            return rectified ? ai.djl.nn.Activation.relu(v) : v;
        }

        /**
         * The feature's value at one position of an activation array on the heap laid out N×C×H×W:
         * {@code base} is the image's offset, {@code hw} the positions per channel, {@code p} the position.
         */
        public float at(float[] d, int base, int hw, int p) {
            if (nonNegative != null) {
                float[] x = new float[weights.length];
                for (int c = 0; c < x.length; c++) {
                    x[c] = d[base + c * hw + p];
                }
                return nonNegative.code(x)[index];
            }
            double s = bias;
            for (int c = 0; c < weights.length; c++) {
                s += (double) weights[c] * d[base + c * hw + p];
            }
            return (float) (rectified ? Math.max(0, s) : s);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Feature f && f.layer.equals(layer) && f.dictionary.equals(dictionary)
                    && f.index == index && Arrays.equals(f.weights, weights) && f.bias == bias
                    && f.rectified == rectified && java.util.Objects.equals(f.nonNegative, nonNegative);
        }

        @Override
        public int hashCode() {
            return (layer.hashCode() * 31 + dictionary.hashCode()) * 31 + index;
        }

        @Override
        public String toString() {
            return layer + "/" + dictionary + ":" + index;
        }
    }

    /**
     * The non-negative least-squares codes of a dictionary with decoder D (size×C): for a channel vector a, the
     * z ≥ 0 minimising ‖a − Dᵀz‖², by {@code iterations} steps of projected gradient descent
     * z ← max(0, z − (D Dᵀ z − D a) / L) with L the largest eigenvalue of D Dᵀ, from the rectified least-squares
     * coefficients max(0, (D Dᵀ)⁻¹ D a). The same iteration runs on the engine ({@link #codes}, differentiable) and on
     * the heap ({@link #code}).
     *
     * @param start the least-squares encoder rows, size×C
     * @param step  I − D Dᵀ / L, size×size
     * @param drive D / L, size×C
     */
    record NonNegative(int size, int channels, float[] start, float[] step, float[] drive, int iterations) {
        public NonNegative {
            if (start.length != size * channels || drive.length != size * channels || step.length != size * size
                    || iterations < 0) {
                throw new ModelException("a non-negative solve of " + size + " features of " + channels
                        + " channels needs size×C encoder and decoder rows and a size×size step");
            }
        }

        /** The solve for decoder rows {@code decoder} (size×C) started from encoder rows {@code start}. */
        public static NonNegative of(float[] decoder, float[] start, int size, int channels, int iterations) {
            double[] g = new double[size * size];
            for (int i = 0; i < size; i++) {
                for (int j = 0; j < size; j++) {
                    double s = 0;
                    for (int c = 0; c < channels; c++) {
                        s += (double) decoder[i * channels + c] * decoder[j * channels + c];
                    }
                    g[i * size + j] = s;
                }
            }
            // the largest eigenvalue of the Gram matrix by power iteration, with a margin
            double[] v = new double[size];
            Arrays.fill(v, 1 / Math.sqrt(size));
            double lambda = 0;
            for (int it = 0; it < 200; it++) {
                double[] w = new double[size];
                for (int i = 0; i < size; i++) {
                    for (int j = 0; j < size; j++) {
                        w[i] += g[i * size + j] * v[j];
                    }
                }
                double norm = 0;
                for (double x : w) {
                    norm += x * x;
                }
                norm = Math.sqrt(norm);
                if (norm == 0) {
                    break;
                }
                lambda = norm;
                for (int i = 0; i < size; i++) {
                    v[i] = w[i] / norm;
                }
            }
            double l = Math.max(1e-12, lambda * 1.01);
            float[] step = new float[size * size];
            for (int i = 0; i < size; i++) {
                for (int j = 0; j < size; j++) {
                    step[i * size + j] = (float) ((i == j ? 1 : 0) - g[i * size + j] / l);
                }
            }
            float[] drive = new float[size * channels];
            for (int q = 0; q < drive.length; q++) {
                drive[q] = (float) (decoder[q] / l);
            }
            return new NonNegative(size, channels, start.clone(), step, drive, iterations);
        }

        /** The codes of every position on the engine: N×C×H×W gives N×size×H×W, N×C gives N×size. */
        public NDArray codes(NDArray a) {
            ai.djl.ndarray.types.Shape s = a.getShape();
            if (s.get(1) != channels) {
                throw new ModelException("a non-negative solve of " + channels + " channels cannot read "
                        + s.get(1));
            }
            ai.djl.ndarray.NDManager m = a.getManager();
            NDArray rows = s.dimension() == 4 ? a.transpose(0, 2, 3, 1).reshape(-1, channels) : a;
            NDArray st = m.create(step, new ai.djl.ndarray.types.Shape(size, size));
            NDArray b = rows.matMul(m.create(drive, new ai.djl.ndarray.types.Shape(size, channels)).transpose());
            NDArray z = ai.djl.nn.Activation.relu(rows.matMul(m.create(start,
                    new ai.djl.ndarray.types.Shape(size, channels)).transpose()));
            for (int it = 0; it < iterations; it++) {
                // step is symmetric: z (I − G/L) + a D/L, row by row
                z = ai.djl.nn.Activation.relu(z.matMul(st).add(b));
            }
            return s.dimension() == 4 ? z.reshape(s.get(0), s.get(2), s.get(3), size).transpose(0, 3, 1, 2) : z;
        }

        /** The codes of one channel vector on the heap. */
        public float[] code(float[] x) {
            double[] b = new double[size];
            double[] z = new double[size];
            for (int i = 0; i < size; i++) {
                double d = 0;
                double e = 0;
                for (int c = 0; c < channels; c++) {
                    d += (double) drive[i * channels + c] * x[c];
                    e += (double) start[i * channels + c] * x[c];
                }
                b[i] = d;
                z[i] = Math.max(0, e);
            }
            double[] next = new double[size];
            for (int it = 0; it < iterations; it++) {
                for (int i = 0; i < size; i++) {
                    double v = b[i];
                    for (int j = 0; j < size; j++) {
                        v += step[i * size + j] * z[j];
                    }
                    next[i] = Math.max(0, v);
                }
                double[] t = z;
                z = next;
                next = t;
            }
            float[] out = new float[size];
            for (int i = 0; i < size; i++) {
                out[i] = (float) z[i];
            }
            return out;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof NonNegative n && n.size == size && n.channels == channels
                    && n.iterations == iterations && Arrays.equals(n.start, start) && Arrays.equals(n.step, step)
                    && Arrays.equals(n.drive, drive);
        }

        @Override
        public int hashCode() {
            return (size * 31 + channels) * 31 + iterations;
        }

        @Override
        public String toString() {
            return "non-negative least squares over " + size + " features (" + iterations + " projected-gradient "
                    + "steps)";
        }
    }

    /**
     * A dictionary feature at one position (y, x) of its layer: {@code layer/dictionary:index@y,x}, the feature's
     * map ({@link Feature#map}) read there, as a {@link Neuron} is a channel read at one position.
     */
    record FeatureAt(Feature feature, int y, int x) implements Unit {
        public FeatureAt {
            if (feature == null) {
                throw new ModelException("a feature at a position needs a feature");
            }
            if (y < 0 || x < 0) {
                throw new ModelException("a position must be 0 or more: " + feature + "@" + y + "," + x);
            }
        }

        @Override
        public String layer() {
            return feature.layer();
        }

        /** Throws unless (y, x) lies in an h×w map of {@code layer}. */
        public void checkPosition(long h, long w) {
            if (y >= h || x >= w) {
                throw new ModelException("layer '" + layer() + "' is " + h + "×" + w + "; there is no position " + y
                        + "," + x + " (for " + this + ")");
            }
        }

        @Override
        public String toString() {
            return feature + "@" + y + "," + x;
        }
    }
}
