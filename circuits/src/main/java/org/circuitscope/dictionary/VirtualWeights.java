package org.circuitscope.dictionary;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.circuitscope.display.Displayable;
import org.circuitscope.display.Figure;
import org.circuitscope.model.Model;
import org.circuitscope.model.ModelException;
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
    public static VirtualWeights between(Model model, String lowerLayer, FeatureDictionary lowerDict, String upperLayer,
                                         FeatureDictionary upperDict) {
        String lo = lowerDict != null ? lowerDict.layer() : lowerLayer;
        String up = upperDict != null ? upperDict.layer() : upperLayer;
        ExpandedWeights k = ExpandedWeights.compose(model, lo, up);
        Tensor t = k.tensor();
        int o = (int) t.shape()[0];
        int c = (int) t.shape()[1];
        int kh = (int) t.shape()[2];
        int kw = (int) t.shape()[3];
        if (lowerDict != null && lowerDict.channels() != c || upperDict != null && upperDict.channels() != o) {
            throw new ModelException("the dictionaries were learnt on " + (lowerDict == null ? c : lowerDict.channels())
                    + " and " + (upperDict == null ? o : upperDict.channels()) + " channels, but the path from " + lo
                    + " to " + up + " joins " + c + " to " + o);
        }
        float[][] dec = lowerDict != null ? rows(lowerDict.decoderMatrix().toFloatMatrix()) : identity(c);
        float[][] enc = upperDict != null ? rows(upperDict.encoderMatrix().toFloatMatrix()) : identity(o);
        return compute(lowerDict != null ? lo + "/" + lowerDict.name() : lo,
                upperDict != null ? up + "/" + upperDict.name() : up, t.data(), o, c, kh, kw, dec, enc);
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
        // first K·D: for each output channel, offset and lower feature; then E·(K·D)
        double[] kd = new double[o * nl * p];
        for (int oo = 0; oo < o; oo++) {
            for (int i = 0; i < nl; i++) {
                float[] d = decoder[i];
                for (int cc = 0; cc < c; cc++) {
                    if (d[cc] == 0) {
                        continue;
                    }
                    int base = (oo * c + cc) * p;
                    for (int q = 0; q < p; q++) {
                        kd[(oo * nl + i) * p + q] += kernel[base + q] * d[cc];
                    }
                }
            }
        }
        float[] v = new float[nu * nl * p];
        for (int j = 0; j < nu; j++) {
            float[] e = encoder[j];
            for (int oo = 0; oo < o; oo++) {
                if (e[oo] == 0) {
                    continue;
                }
                for (int i = 0; i < nl; i++) {
                    int from = (oo * nl + i) * p;
                    int to = (j * nl + i) * p;
                    for (int q = 0; q < p; q++) {
                        v[to + q] += (float) (e[oo] * kd[from + q]);
                    }
                }
            }
        }
        return new VirtualWeights(lowerName, upperName, nl, nu, kh, kw, v);
    }

    private static float[][] rows(float[][] m) {
        return m;
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
