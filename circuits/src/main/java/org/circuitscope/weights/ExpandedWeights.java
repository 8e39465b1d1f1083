package org.circuitscope.weights;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.circuitscope.graph.Node;
import org.circuitscope.graph.Value;
import org.circuitscope.model.DjlSetup;
import org.circuitscope.model.Layer;
import org.circuitscope.model.Model;
import org.circuitscope.model.ModelException;
import org.circuitscope.ops.Geometry;
import org.circuitscope.ops.Linearity;
import org.circuitscope.ops.OpSet;
import org.circuitscope.tensor.Tensor;

/**
 * The effective linear weights from every channel of an upstream layer to channels of a downstream one, as
 * "Visualizing Weights" (Voss et al., 2021) defines them: the path between the layers is treated as linear (ReLUs as
 * identity, max pools as average pools, biases dropped), so layer {@code to} is a convolution of layer {@code from}
 * with a kernel that spans the path's receptive field:
 * <pre>to[j][y][x] = Σ_i Σ_{dy,dx} w[j][i][dy][dx] · from[i][y·strideH + offsetH + dy][x·strideW + offsetW + dx]</pre>
 * Between adjacent layers (a convolution and its input) this is the convolution's own kernel. Two ways to compute it
 * agree: {@link #compose} multiplies kernels along the path (through bottleneck 1×1s, concats, sums and pools) and
 * {@link #byGradient} reads the gradient of each downstream channel at one position with respect to the upstream
 * map in the linearised network ({@link SubNetwork.Mode#LINEAR}).
 */
public final class ExpandedWeights {
    private final String from;
    private final String to;
    private final int[] rows;
    private final int cIn;
    private final int kh;
    private final int kw;
    private final int strideH;
    private final int strideW;
    private final int offH;
    private final int offW;
    private final float[] w;

    ExpandedWeights(String from, String to, int[] rows, int cIn, int kh, int kw, int strideH, int strideW, int offH,
                    int offW, float[] w) {
        this.from = from;
        this.to = to;
        this.rows = rows;
        this.cIn = cIn;
        this.kh = kh;
        this.kw = kw;
        this.strideH = strideH;
        this.strideW = strideW;
        this.offH = offH;
        this.offW = offW;
        this.w = w;
    }

    public String from() {
        return from;
    }

    public String to() {
        return to;
    }

    /** The downstream channels held, in row order (all of {@code to}'s channels for {@link #compose}). */
    public int[] outputChannels() {
        return rows.clone();
    }

    public int inputChannels() {
        return cIn;
    }

    public int kernelHeight() {
        return kh;
    }

    public int kernelWidth() {
        return kw;
    }

    /** {strideH, strideW, offsetH, offsetW}: where the kernel sits on the upstream map (see the class doc). */
    public int[] geometry() {
        return new int[] {strideH, strideW, offH, offW};
    }

    private int row(int outChannel) {
        for (int r = 0; r < rows.length; r++) {
            if (rows[r] == outChannel) {
                return r;
            }
        }
        throw new ModelException("the expanded weights " + from + " → " + to + " hold no row for channel "
                + outChannel + (rows.length < 12 ? "; they hold " + Arrays.toString(rows) : ""));
    }

    /** The kh×kw kernel from upstream channel {@code in} to downstream channel {@code out}, row-major (a copy). */
    public float[] kernel(int out, int in) {
        if (in < 0 || in >= cIn) {
            throw new ModelException("layer '" + from + "' has " + cIn + " channels; there is no channel " + in);
        }
        int base = (row(out) * cIn + in) * kh * kw;
        return Arrays.copyOfRange(w, base, base + kh * kw);
    }

    /** The kernel as a tensor kh×kw. */
    public Tensor kernelTensor(int out, int in) {
        return new Tensor(new long[] {kh, kw}, kernel(out, in));
    }

    /** Every kernel into {@code out}: cIn×kh×kw. */
    public Tensor row(int out, boolean copy) {
        int base = row(out) * cIn * kh * kw;
        return new Tensor(new long[] {cIn, kh, kw}, Arrays.copyOfRange(w, base, base + cIn * kh * kw));
    }

    /** All rows held: rows×cIn×kh×kw (a copy). */
    public Tensor tensor() {
        return new Tensor(new long[] {rows.length, cIn, kh, kw}, w.clone());
    }

    /** The largest absolute difference to {@code other} over the rows both hold (same geometry required). */
    public double maxDifference(ExpandedWeights other) {
        if (other.kh != kh || other.kw != kw || other.cIn != cIn || other.offH != offH || other.offW != offW
                || other.strideH != strideH || other.strideW != strideW) {
            return Double.POSITIVE_INFINITY;
        }
        double max = 0;
        for (int r : other.rows) {
            for (int i = 0; i < cIn; i++) {
                float[] a = kernel(r, i);
                float[] b = other.kernel(r, i);
                for (int k = 0; k < a.length; k++) {
                    max = Math.max(max, Math.abs(a[k] - b[k]));
                }
            }
        }
        return max;
    }

    @Override
    public String toString() {
        return "expanded weights " + from + " → " + to + ": " + rows.length + "×" + cIn + "×" + kh + "×" + kw
                + " (stride " + strideH + ", offset " + offH + ")";
    }

    // ---- composing kernels along the path

    /** A linear map from the upstream layer to one layer on the path (cOut×cIn×kh×kw; weights may be null). */
    private record Lin(int cOut, int cIn, int kh, int kw, int sh, int sw, int oh, int ow, float[] w) {
        float at(int o, int i, int y, int x) {
            return w[((o * cIn + i) * kh + y) * kw + x];
        }
    }

    /** The expanded weights from every channel of {@code from} to every channel of {@code to}, by composing kernels. */
    public static ExpandedWeights compose(Model model, String from, String to) {
        SubNetwork net = SubNetwork.between(model, from, to);
        Lin result = composeLin(model, net, true);
        int[] rows = new int[result.cOut];
        Arrays.setAll(rows, i -> i);
        return new ExpandedWeights(net.from().name(), net.to().name(), rows, result.cIn, result.kh, result.kw,
                result.sh, result.sw, result.oh, result.ow, result.w);
    }

    private static Lin composeLin(Model model, SubNetwork net, boolean withWeights) {
        Layer from = net.from();
        int c = (int) from.channels();
        float[] eye = null;
        if (withWeights) {
            eye = new float[c * c];
            for (int i = 0; i < c; i++) {
                eye[i * c + i] = 1;
            }
        }
        Map<String, Lin> env = new HashMap<>();
        env.put(from.name(), new Lin(c, c, 1, 1, 1, 1, 0, 0, eye));
        for (Layer l : net.layers()) {
            List<Lin> ins = new ArrayList<>();
            for (String in : l.inputs()) {
                ins.add(env.get(in));
            }
            env.put(l.name(), step(model, net, l, ins, withWeights));
        }
        return env.get(net.to().name());
    }

    /**
     * One layer of the path as a linear map, following the op vocabulary's {@link Linearity}: the same reading of
     * each op as the linearised executor that {@link #byGradient} differentiates.
     */
    private static Lin step(Model model, SubNetwork net, Layer l, List<Lin> ins, boolean withWeights) {
        Lin x = ins.get(0);
        if (!l.spatial()) {
            throw new ModelException("expanded weights need spatial layers, but '" + l.name() + "' (" + l.op()
                    + ") has shape " + Arrays.toString(l.shape()) + "; end the path before it");
        }
        Linearity linearity = OpSet.supports(l.op()) ? OpSet.definition(l.op()).linearity() : Linearity.NONE;
        Node node = model.node(l.name());
        switch (linearity) {
            case CONVOLUTION -> {
                List<Tensor> p = net.parameters(l);
                Tensor wt = p.get(0);
                Layer input = model.layers().get(l.inputs().get(0));
                Geometry g = Geometry.spec(l.attributes(), false).resolve(input.shape()[2], input.shape()[3],
                        new long[] {wt.dim(2), wt.dim(3)});
                long[] kernel = g.kernel();
                long[] strides = g.strides();
                long[] dil = g.dilations();
                long[] pads = g.pads();
                int group = (int) l.attributes().getInt("group", 1);
                int cOut = (int) wt.dim(0);
                int perGroupIn = (int) wt.dim(1);
                int cIn = perGroupIn * group;
                int ekh = (int) ((kernel[0] - 1) * dil[0] + 1);
                int ekw = (int) ((kernel[1] - 1) * dil[1] + 1);
                float[] dense = null;
                if (withWeights) {
                    dense = new float[cOut * cIn * ekh * ekw];
                    int perGroupOut = cOut / group;
                    for (int o = 0; o < cOut; o++) {
                        int gi = o / perGroupOut;
                        for (int i = 0; i < perGroupIn; i++) {
                            for (int y = 0; y < kernel[0]; y++) {
                                for (int xx = 0; xx < kernel[1]; xx++) {
                                    float v = wt.data()[(int) (((o * perGroupIn + i) * kernel[0] + y) * kernel[1] + xx)];
                                    int ci = gi * perGroupIn + i;
                                    dense[((o * cIn + ci) * ekh + (int) (y * dil[0])) * ekw + (int) (xx * dil[1])] = v;
                                }
                            }
                        }
                    }
                }
                Lin conv = new Lin(cOut, cIn, ekh, ekw, (int) strides[0], (int) strides[1], (int) -pads[0],
                        (int) -pads[1], dense);
                return then(x, conv, withWeights);
            }
            case POOLING -> {
                Layer input = model.layers().get(l.inputs().get(0));
                Geometry g = Geometry.spec(l.attributes(), true).resolve(input.shape()[2], input.shape()[3], null);
                if (g.dilations()[0] != 1 || g.dilations()[1] != 1) {
                    throw new ModelException("expanded weights do not pass through the dilated pool '" + l.name()
                            + "'");
                }
                int ch = x.cOut;
                int k0 = (int) g.kernel()[0];
                int k1 = (int) g.kernel()[1];
                float[] dense = null;
                if (withWeights) {
                    dense = new float[ch * ch * k0 * k1];
                    float v = 1f / (k0 * k1);
                    for (int o = 0; o < ch; o++) {
                        Arrays.fill(dense, ((o * ch + o) * k0) * k1, ((o * ch + o) * k0 + k0) * k1, v);
                    }
                }
                return then(x, new Lin(ch, ch, k0, k1, (int) g.strides()[0], (int) g.strides()[1],
                        (int) -g.pads()[0], (int) -g.pads()[1], dense), withWeights);
            }
            case CONCAT -> {
                if (!ConvChannel.channelAxis(l)) {
                    throw new ModelException("layer '" + l.name() + "' concatenates along an axis other than channels");
                }
                List<Lin> present = ins.stream().filter(v -> v != null).toList();
                Lin frame = frame(present, l);
                int total = (int) l.channels();
                float[] out = withWeights ? new float[total * frame.cIn * frame.kh * frame.kw] : null;
                int offset = 0;
                for (int i = 0; i < ins.size(); i++) {
                    Lin part = ins.get(i);
                    int c = (int) model.layers().get(l.inputs().get(i)).channels();
                    if (part != null && withWeights) {
                        place(part, frame, out, offset);
                    }
                    offset += c;
                }
                return new Lin(total, frame.cIn, frame.kh, frame.kw, frame.sh, frame.sw, frame.oh, frame.ow, out);
            }
            case SUM -> {
                List<Lin> present = ins.stream().filter(v -> v != null).toList();
                Lin frame = frame(present, l);
                float[] out = withWeights ? new float[present.get(0).cOut * frame.cIn * frame.kh * frame.kw] : null;
                if (withWeights) {
                    // Sub: the second term counts negatively; a constant first term (c - x) negates x
                    boolean negateAll = node.op().equals("Sub") && model.constant(node.inputs().get(0)) != null;
                    for (int i = 0; i < ins.size(); i++) {
                        Lin part = ins.get(i);
                        if (part == null) {
                            continue;
                        }
                        boolean negative = negateAll || node.op().equals("Sub")
                                && l.inputs().get(i).equals(node.inputs().get(1));
                        place(negative ? scaled(part, -1f) : part, frame, out, 0);
                    }
                }
                return new Lin(present.get(0).cOut, frame.cIn, frame.kh, frame.kw, frame.sh, frame.sw, frame.oh,
                        frame.ow, out);
            }
            case SCALE -> {
                if (l.inputs().size() != 1) {
                    throw new ModelException("layer '" + l.name() + "' (" + l.op() + ") multiplies activations by "
                            + "activations (a gate), which is not linear; expanded weights cannot pass through it");
                }
                return withWeights ? channelScaled(x, channelFactors(model, net, l, node, x.cOut)) : x;
            }
            case PAD -> {
                long[] pads = Geometry.fullPads(l.attributes(), 4);
                if (pads == null || !l.attributes().getString("mode", "constant").equals("constant")
                        || pads[0] != 0 || pads[1] != 0 || pads[4] != 0 || pads[5] != 0) {
                    throw new ModelException("expanded weights pass only through spatial zero padding, not layer '"
                            + l.name() + "' (" + l.attributes() + ")");
                }
                return new Lin(x.cOut, x.cIn, x.kh, x.kw, x.sh, x.sw, x.oh - (int) pads[2] * x.sh,
                        x.ow - (int) pads[3] * x.sw, x.w);
            }
            case IDENTITY -> {
                return x;
            }
            default -> throw new ModelException("expanded weights cannot pass through layer '" + l.name() + "' ("
                    + l.op() + "), which is not linear; end the path before it");
        }
    }

    /** The per-channel factor of a linearised scale: batch norm's gamma / sqrt(var + eps), or a constant Mul/Div. */
    private static float[] channelFactors(Model model, SubNetwork net, Layer l, Node node, int channels) {
        float[] k = new float[channels];
        if (node.op().equals("BatchNormalization")) {
            List<Tensor> p = net.parameters(l);
            float eps = node.attributes().getFloat("epsilon", 1e-5f);
            for (int c = 0; c < channels; c++) {
                k[c] = (float) (p.get(0).data()[c] / Math.sqrt(p.get(3).data()[c] + eps));
            }
            return k;
        }
        String constant = node.inputs().stream().filter(i -> model.constant(i) != null).findFirst().orElseThrow();
        Value v = model.constant(constant);
        float[] f;
        long[] shape;
        if (v instanceof Value.Ints i) {
            f = new float[i.data().length];
            for (int j = 0; j < f.length; j++) {
                f[j] = i.data()[j];
            }
            shape = i.shape();
        } else {
            Tensor t = model.parameter(constant);
            f = t.data();
            shape = t.shape();
        }
        boolean perChannel = f.length == channels && (shape.length == 1 || Arrays.stream(shape).filter(d -> d != 1)
                .count() <= 1 && shape.length >= 3 && shape[shape.length - 3] == channels);
        if (f.length != 1 && !perChannel) {
            throw new ModelException("layer '" + l.name() + "' (" + l.op() + ") scales by a constant of shape "
                    + Arrays.toString(shape) + ", not per channel; expanded weights cannot pass through it");
        }
        boolean divide = node.op().equals("Div");
        if (divide && !node.inputs().get(1).equals(constant)) {
            throw new ModelException("layer '" + l.name() + "' divides a constant by activations, which is not linear");
        }
        for (int c = 0; c < channels; c++) {
            float factor = f[f.length == 1 ? 0 : c];
            k[c] = divide ? 1f / factor : factor;
        }
        return k;
    }

    private static Lin channelScaled(Lin x, float[] k) {
        float[] out = x.w.clone();
        int per = x.cIn * x.kh * x.kw;
        for (int o = 0; o < x.cOut; o++) {
            for (int i = 0; i < per; i++) {
                out[o * per + i] *= k[o];
            }
        }
        return new Lin(x.cOut, x.cIn, x.kh, x.kw, x.sh, x.sw, x.oh, x.ow, out);
    }

    private static Lin scaled(Lin x, float f) {
        float[] k = new float[x.cOut];
        Arrays.fill(k, f);
        return channelScaled(x, k);
    }

    /** The common frame (stride, offset, extent) of parallel paths; their strides must agree. */
    private static Lin frame(List<Lin> parts, Layer l) {
        Lin a = parts.get(0);
        int oh = a.oh;
        int ow = a.ow;
        int endH = a.oh + a.kh;
        int endW = a.ow + a.kw;
        for (Lin p : parts) {
            if (p.sh != a.sh || p.sw != a.sw) {
                throw new ModelException("the paths into '" + l.name() + "' have different strides (" + a.sh
                        + " and " + p.sh + "); their weights cannot be expanded into one kernel");
            }
            oh = Math.min(oh, p.oh);
            ow = Math.min(ow, p.ow);
            endH = Math.max(endH, p.oh + p.kh);
            endW = Math.max(endW, p.ow + p.kw);
        }
        return new Lin(0, a.cIn, endH - oh, endW - ow, a.sh, a.sw, oh, ow, null);
    }

    /** Adds {@code part}'s kernels into {@code out} (laid out in {@code frame}) at rows from {@code rowOffset}. */
    private static void place(Lin part, Lin frame, float[] out, int rowOffset) {
        int dy = part.oh - frame.oh;
        int dx = part.ow - frame.ow;
        for (int o = 0; o < part.cOut; o++) {
            for (int i = 0; i < part.cIn; i++) {
                for (int y = 0; y < part.kh; y++) {
                    for (int x = 0; x < part.kw; x++) {
                        out[(((rowOffset + o) * frame.cIn + i) * frame.kh + y + dy) * frame.kw + x + dx]
                                += part.at(o, i, y, x);
                    }
                }
            }
        }
    }

    /** {@code first} (from → M) followed by {@code second} (M → N): from → N. */
    private static Lin then(Lin first, Lin second, boolean withWeights) {
        if (second.cIn != first.cOut) {
            throw new ModelException("channel mismatch while composing kernels: " + first.cOut + " vs " + second.cIn);
        }
        int sh = first.sh * second.sh;
        int sw = first.sw * second.sw;
        int oh = second.oh * first.sh + first.oh;
        int ow = second.ow * first.sw + first.ow;
        int kh = (second.kh - 1) * first.sh + first.kh;
        int kw = (second.kw - 1) * first.sw + first.kw;
        if (!withWeights) {
            return new Lin(second.cOut, first.cIn, kh, kw, sh, sw, oh, ow, null);
        }
        int cOut = second.cOut;
        int cIn = first.cIn;
        int cMid = first.cOut;
        float[] out = new float[cOut * cIn * kh * kw];
        int firstPer = cIn * first.kh * first.kw;
        for (int n = 0; n < cOut; n++) {
            for (int m = 0; m < cMid; m++) {
                for (int t2y = 0; t2y < second.kh; t2y++) {
                    for (int t2x = 0; t2x < second.kw; t2x++) {
                        float v = second.at(n, m, t2y, t2x);
                        if (v == 0) {
                            continue;
                        }
                        int baseY = t2y * first.sh;
                        int baseX = t2x * first.sw;
                        int src = m * firstPer;
                        for (int a = 0; a < cIn; a++) {
                            for (int y = 0; y < first.kh; y++) {
                                int dst = ((n * cIn + a) * kh + baseY + y) * kw + baseX;
                                int s = src + (a * first.kh + y) * first.kw;
                                for (int x = 0; x < first.kw; x++) {
                                    out[dst + x] += v * first.w[s + x];
                                }
                            }
                        }
                    }
                }
            }
        }
        return new Lin(cOut, cIn, kh, kw, sh, sw, oh, ow, out);
    }

    // ---- gradients through the linearised network

    /**
     * The expanded weights into the given channels of {@code to} (all when none are given), read as the gradient of
     * each channel at one central position with respect to the map of {@code from}, in the linearised network.
     */
    public static ExpandedWeights byGradient(Model model, String from, String to, int... channels) {
        SubNetwork net = SubNetwork.between(model, from, to);
        Lin geo = composeLin(model, net, false);
        int cOut = (int) net.to().channels();
        int[] rows = channels.length == 0 ? java.util.stream.IntStream.range(0, cOut).toArray() : channels.clone();
        for (int r : rows) {
            ConvChannel.checkChannel(net.to(), r);
        }
        int cIn = (int) net.from().channels();
        int h = geo.kh + 2 * (geo.kh + geo.sh) + 2 * Math.abs(geo.oh) + 2;
        int wd = geo.kw + 2 * (geo.kw + geo.sw) + 2 * Math.abs(geo.ow) + 2;
        int y0 = Math.max(0, (int) Math.ceil(((h - geo.kh) / 2.0 - geo.oh) / geo.sh));
        int x0 = Math.max(0, (int) Math.ceil(((wd - geo.kw) / 2.0 - geo.ow) / geo.sw));
        int startY = y0 * geo.sh + geo.oh;
        int startX = x0 * geo.sw + geo.ow;
        if (startY < 0 || startX < 0 || startY + geo.kh > h || startX + geo.kw > wd) {
            throw new ModelException("internal: the expanded kernel does not fit the probe map");
        }
        float[] out = new float[rows.length * cIn * geo.kh * geo.kw];
        int chunk = Math.max(1, (int) Math.min(64, 16_000_000L / ((long) cIn * h * wd)));
        try (NDManager m = model.newManager()) {
            for (int start = 0; start < rows.length; start += chunk) {
                int n = Math.min(chunk, rows.length - start);
                try (NDManager cm = m.newSubManager()) {
                    NDArray a = cm.zeros(new Shape(n, cIn, h, wd));
                    a.setRequiresGradient(true);
                    try (GradientCollector gc = DjlSetup.engine().newGradientCollector()) {
                        NDArray b = net.run(a, SubNetwork.Mode.LINEAR, Map.of(), cm);
                        Shape bs = b.getShape();
                        if (y0 >= bs.get(2) || x0 >= bs.get(3)) {
                            throw new ModelException("internal: probe position outside " + bs);
                        }
                        float[] mask = new float[(int) bs.size()];
                        for (int k = 0; k < n; k++) {
                            mask[(int) (((k * bs.get(1) + rows[start + k]) * bs.get(2) + y0) * bs.get(3) + x0)] = 1;
                        }
                        gc.backward(b.mul(cm.create(mask, bs)).sum());
                    }
                    float[] g = a.getGradient().toFloatArray();
                    for (int k = 0; k < n; k++) {
                        for (int i = 0; i < cIn; i++) {
                            for (int y = 0; y < geo.kh; y++) {
                                int src = ((k * cIn + i) * h + startY + y) * wd + startX;
                                int dst = (((start + k) * cIn + i) * geo.kh + y) * geo.kw;
                                System.arraycopy(g, src, out, dst, geo.kw);
                            }
                        }
                    }
                }
            }
        }
        return new ExpandedWeights(net.from().name(), net.to().name(), rows, cIn, geo.kh, geo.kw, geo.sh, geo.sw,
                geo.oh, geo.ow, out);
    }
}
