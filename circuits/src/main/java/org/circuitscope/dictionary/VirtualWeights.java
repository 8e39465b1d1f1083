package org.circuitscope.dictionary;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.circuitscope.display.Displayable;
import org.circuitscope.display.Figure;
import org.circuitscope.model.Model;
import org.circuitscope.model.ModelException;
import org.circuitscope.model.Unit;
import org.circuitscope.tensor.Tensor;
import org.circuitscope.weights.ExpandedWeights;
import org.circuitscope.weights.Heatmaps;

/**
 * Weights between dictionary features of two layers ("virtual weights"): with the path between the layers
 * linearised as {@link ExpandedWeights} does (for adjacent layers, the convolution's kernel K), a unit of the
 * lower feature i (its decoder row d<sub>i</sub> in the lower layer) reaches the upper feature j (encoder row
 * e<sub>j</sub>) through
 * <pre>V[j][i][dy][dx] = Σ_o Σ_c e_j[o] · K[o][c][dy][dx] · d_i[c]</pre>
 * a k×k kernel like a neuron's. Either side may be the layer's own neurons (no dictionary): the identity there.
 */
public final class VirtualWeights implements Displayable {
    private final String lowerName;
    private final String upperName;
    private final int lower;
    private final int upper;
    private final int kh;
    private final int kw;
    /** upper × lower × kh × kw */
    private final float[] v;
    private int focus = -1;
    private int top = 12;

    private VirtualWeights(String lowerName, String upperName, int lower, int upper, int kh, int kw, float[] v) {
        this.lowerName = lowerName;
        this.upperName = upperName;
        this.lower = lower;
        this.upper = upper;
        this.kh = kh;
        this.kw = kw;
        this.v = v;
    }

    /**
     * The virtual weights from {@code lowerDict}'s features (its layer's neurons when null, on {@code lowerLayer})
     * to {@code upperDict}'s (or {@code upperLayer}'s neurons).
     */
    public static VirtualWeights between(Model model, String lowerLayer, Unit.FeatureBasis lowerDict,
                                         String upperLayer, Unit.FeatureBasis upperDict) {
        Path p = Path.of(model, lowerLayer, lowerDict, upperLayer, upperDict, new HashMap<>());
        float[][] enc = upperDict != null ? encoderRows(upperDict) : identity(p.o);
        return compute(name(p.lo, lowerDict), name(p.up, upperDict), p.kernel, p.o, p.c, p.kh, p.kw,
                decoderRows(lowerDict, p.c), enc);
    }

    /**
     * The kernels into one upper unit, feature {@code j} of {@code upperDict} (channel {@code j} of
     * {@code upperLayer} when null), from every lower feature of {@code lowerDict} (every channel of
     * {@code lowerLayer} when null): lower × kh × kw, the row {@code j} of {@link #between} computed alone.
     * {@code cache} keeps the linearised paths by layer pair (as circuits reuse them).
     */
    public static Tensor into(Model model, String lowerLayer, Unit.FeatureBasis lowerDict, String upperLayer,
                              Unit.FeatureBasis upperDict, int j, Map<String, ExpandedWeights> cache) {
        Path p = Path.of(model, lowerLayer, lowerDict, upperLayer, upperDict, cache);
        int count = upperDict != null ? upperDict.size() : p.o;
        if (j < 0 || j >= count) {
            throw new ModelException((upperDict != null ? "dictionary '" + dictionaryName(upperDict) + "' has "
                    : "layer '" + p.up + "' has ") + count + (upperDict != null ? " features" : " channels")
                    + "; there is no " + j);
        }
        float[] e = upperDict != null ? upperDict.feature(j).weights() : oneHot(p.o, j);
        float[][] dec = decoderRows(lowerDict, p.c);
        return new Tensor(new long[] {dec.length, p.kh, p.kw}, row(p.kernel, p.o, p.c, p.kh * p.kw, e, dec));
    }

    /** The linearised path between two layers and its sizes, checked against the dictionaries on either side. */
    private record Path(String lo, String up, float[] kernel, int o, int c, int kh, int kw) {
        static Path of(Model model, String lowerLayer, Unit.FeatureBasis lowerDict, String upperLayer,
                       Unit.FeatureBasis upperDict, Map<String, ExpandedWeights> cache) {
            String lo = lowerDict != null ? lowerDict.layer() : lowerLayer;
            String up = upperDict != null ? upperDict.layer() : upperLayer;
            if (lo == null || up == null) {
                throw new ModelException("virtual weights need both layers: give the lower and upper layer or a "
                        + "dictionary on each");
            }
            ExpandedWeights k = cache.computeIfAbsent(model.layers().get(lo).name() + "\u0000"
                    + model.layers().get(up).name(), key -> ExpandedWeights.compose(model, lo, up));
            Tensor t = k.tensor();
            int o = (int) t.shape()[0];
            int c = (int) t.shape()[1];
            int lowerChannels = lowerDict == null ? c : lowerDict.direction(0).length;
            int upperChannels = upperDict == null ? o : upperDict.feature(0).channels();
            if (lowerChannels != c || upperChannels != o) {
                throw new ModelException("the dictionaries were learnt on " + lowerChannels + " and " + upperChannels
                        + " channels, but the path from " + lo + " to " + up + " joins " + c + " to " + o);
            }
            return new Path(k.from(), k.to(), t.data(), o, c, (int) t.shape()[2], (int) t.shape()[3]);
        }
    }

    private static String dictionaryName(Unit.FeatureBasis d) {
        return d.feature(0).dictionary();
    }

    private static String name(String layer, Unit.FeatureBasis d) {
        return d == null ? layer : layer + "/" + dictionaryName(d);
    }

    private static float[][] encoderRows(Unit.FeatureBasis d) {
        float[][] rows = new float[d.size()][];
        for (int j = 0; j < rows.length; j++) {
            rows[j] = d.feature(j).weights();
        }
        return rows;
    }

    /** The lower side's decoder rows (its directions), or the identity for a layer's own channels. */
    private static float[][] decoderRows(Unit.FeatureBasis d, int c) {
        if (d == null) {
            return identity(c);
        }
        float[][] rows = new float[d.size()][];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = d.direction(i);
        }
        return rows;
    }

    private static float[] oneHot(int n, int j) {
        float[] e = new float[n];
        e[j] = 1;
        return e;
    }

    /**
     * The product itself, on the heap: {@code kernel} is o×c×kh×kw, {@code decoder} lower×c rows,
     * {@code encoder} upper×o rows.
     */
    static VirtualWeights compute(String lowerName, String upperName, float[] kernel, int o, int c, int kh, int kw,
                                  float[][] decoder, float[][] encoder) {
        int p = kh * kw;
        int nl = decoder.length;
        int nu = encoder.length;
        float[] v = new float[nu * nl * p];
        for (int j = 0; j < nu; j++) {
            System.arraycopy(row(kernel, o, c, p, encoder[j], decoder), 0, v, j * nl * p, nl * p);
        }
        return new VirtualWeights(lowerName, upperName, nl, nu, kh, kw, v);
    }

    /**
     * One upper unit's row, V[j] = e_j · K · Dᵀ: first e_j · K (c×p, over the output channels), then each lower
     * row d_i against it. {@code kernel} is o×c×p, {@code e} o values, {@code decoder} lower×c rows.
     */
    private static float[] row(float[] kernel, int o, int c, int p, float[] e, float[][] decoder) {
        double[] ek = new double[c * p];
        for (int oo = 0; oo < o; oo++) {
            if (e[oo] == 0) {
                continue;
            }
            int base = oo * c * p;
            for (int q = 0; q < c * p; q++) {
                ek[q] += (double) e[oo] * kernel[base + q];
            }
        }
        int nl = decoder.length;
        float[] out = new float[nl * p];
        for (int i = 0; i < nl; i++) {
            float[] d = decoder[i];
            for (int cc = 0; cc < c; cc++) {
                if (d[cc] == 0) {
                    continue;
                }
                for (int q = 0; q < p; q++) {
                    out[i * p + q] += (float) (d[cc] * ek[cc * p + q]);
                }
            }
        }
        return out;
    }

    private static float[][] identity(int n) {
        float[][] id = new float[n][n];
        for (int i = 0; i < n; i++) {
            id[i][i] = 1;
        }
        return id;
    }

    /** The kh×kw kernel from lower feature {@code i} to upper feature {@code j}, row-major (a copy). */
    public float[] kernel(int j, int i) {
        if (j < 0 || j >= upper || i < 0 || i >= lower) {
            throw new ModelException("virtual weights are " + upper + "×" + lower + "; there is no (" + j + ", " + i
                    + ")");
        }
        int base = (j * lower + i) * kh * kw;
        return Arrays.copyOfRange(v, base, base + kh * kw);
    }

    public int kernelHeight() {
        return kh;
    }

    public int kernelWidth() {
        return kw;
    }

    public int lowerFeatures() {
        return lower;
    }

    public int upperFeatures() {
        return upper;
    }

    /** The lower features by the L2 norm of their kernel into upper feature {@code j}, strongest first. */
    public int[] strongestInto(int j, int n) {
        double[] norm = new double[lower];
        for (int i = 0; i < lower; i++) {
            for (float f : kernel(j, i)) {
                norm[i] += f * f;
            }
        }
        return java.util.stream.IntStream.range(0, lower).boxed().sorted((a, b) -> Double.compare(norm[b], norm[a]))
                .limit(n).mapToInt(Integer::intValue).toArray();
    }

    /** Shows the {@code n} strongest kernels into upper feature {@code j} when displayed. */
    public VirtualWeights into(int j, int n) {
        kernel(j, 0);
        this.focus = j;
        this.top = n;
        return this;
    }

    /** The heatmaps into the focused upper feature (the first one unless {@link #into} chose). */
    public Figure figure() {
        int j = Math.max(0, focus);
        List<Heatmaps.Panel> panels = new ArrayList<>();
        List<float[]> ks = new ArrayList<>();
        for (int i : strongestInto(j, top)) {
            float[] k = kernel(j, i);
            ks.add(k);
            double sum = 0;
            for (float f : k) {
                sum += f;
            }
            panels.add(new Heatmaps.Panel(lowerName + ":" + i, "sum " + Heatmaps.format(sum), k, kh, kw, null,
                    sum >= 0 ? Heatmaps.RED : Heatmaps.BLUE));
        }
        double range = Heatmaps.range(ks.toArray(new float[0][]));
        return Heatmaps.smallMultiples(toString(), "virtual weights into " + upperName + ":" + j + " from "
                + lowerName, panels, range, Math.min(6, panels.size()), Math.max(8, Math.min(36, 180 / Math.max(kh,
                kw))));
    }

    @Override
    public Map<String, Object> representations() {
        return figure().representations();
    }

    @Override
    public String toString() {
        return "virtual weights from " + lowerName + " (" + lower + ") to " + upperName + " (" + upper + "), " + kh
                + "×" + kw;
    }
}
