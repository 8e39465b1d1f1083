package org.circuitscope.organism;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.circuitscope.activations.Html;
import org.circuitscope.dictionary.FeatureDictionary;
import org.circuitscope.dictionary.Polysemantic;
import org.circuitscope.display.Displayable;
import org.circuitscope.display.TableHtml;
import org.circuitscope.examples.ReceptiveField;
import org.circuitscope.model.Layer;
import org.circuitscope.model.Model;
import org.circuitscope.model.ModelException;
import org.circuitscope.model.Unit;
import org.circuitscope.progress.Progress;
import org.circuitscope.tensor.Tensor;
import org.nd4j.linalg.factory.Nd4j;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * Superposition against ground truth: for every part type the {@link World} plants ({@link World#parts()}), how
 * well the best single neuron of a layer detects it, against the best feature of a dictionary learnt on that layer.
 *
 * <p>Every position of the layer in every scene is one case. It is a <em>positive</em> for a part type when the
 * centre of the position's receptive field ({@link ReceptiveField#centre}, from the layer graph's kernels, strides
 * and padding) falls in a box of one of the object's parts of that type ({@link Scene#parts()}); a position whose
 * centre falls only in a stray part of that type ({@link Scene#distractors()}: small wheels, windows, eyes) is left
 * out of that type's cases, and every other position is a negative. A unit's score at a position is its value
 * there: the channel after the layer's activation for a neuron, the feature read as a unit ({@link Unit.Feature}:
 * the encoder row, rectified for SAE and NMF) for a feature. The detection figure is the area under the ROC curve
 * of that score for those cases (ties counted half), and each part type's best neuron and best feature are the
 * units with the largest area.
 *
 * <p>Beside the table, each neuron as a mixture of the dictionary's features ({@link Polysemantic#mixture}, its
 * effective number of features over the same vectors) and the part types it detects at AUC ≥ {@link #DETECTS}:
 * a polysemantic neuron should be one that detects several.
 */
public final class PartDetection implements Displayable {
    /** The AUC at which a part type counts as recovered by a unit. */
    public static final double RECOVERED = 0.9;
    /** The AUC at which a neuron counts as detecting a part type, for the neurons' table. */
    public static final double DETECTS = 0.8;

    private final String model;
    private final String layer;
    private final FeatureDictionary dictionary;
    private final ReceptiveField field;
    private final long seed;
    private final int scenes;
    private final List<String> parts;
    private final int[] positives;
    private final int[] negatives;
    private final double[][] neuronAuc;
    private final double[][] featureAuc;
    private final List<Polysemantic.Mixture> mixtures;
    private final boolean partial;

    private PartDetection(String model, String layer, FeatureDictionary dictionary, ReceptiveField field, long seed,
                          int scenes, List<String> parts, int[] positives, int[] negatives, double[][] neuronAuc,
                          double[][] featureAuc, List<Polysemantic.Mixture> mixtures, boolean partial) {
        this.model = model;
        this.layer = layer;
        this.dictionary = dictionary;
        this.field = field;
        this.seed = seed;
        this.scenes = scenes;
        this.parts = List.copyOf(parts);
        this.positives = positives;
        this.negatives = negatives;
        this.neuronAuc = neuronAuc;
        this.featureAuc = featureAuc;
        this.mixtures = List.copyOf(mixtures);
        this.partial = partial;
    }

    /** A measurement on {@code layer} of {@code model} (set the dictionary, then {@link Builder#run}). */
    public static Builder of(Model model, String layer) {
        return new Builder(model, model.layers().get(layer));
    }

    /** What to measure on. */
    public static final class Builder {
        private final Model model;
        private final Layer layer;
        private FeatureDictionary dictionary;
        private long seed = 2026;
        private int count = 100;
        private int batch = 32;

        private Builder(Model model, Layer layer) {
            this.model = model;
            this.layer = layer;
        }

        /** The dictionary whose features are compared with the neurons (learnt on the same layer). */
        public Builder dictionary(FeatureDictionary d) {
            this.dictionary = d;
            return this;
        }

        /** Scenes {@code 0..count-1} of the world with this seed (default seed 2026, 100 scenes). */
        public Builder scenes(long worldSeed, int scenes) {
            if (scenes < 1) {
                throw new ModelException("needs at least one scene, not " + scenes);
            }
            this.seed = worldSeed;
            this.count = scenes;
            return this;
        }

        public Builder batch(int n) {
            if (n < 1) {
                throw new ModelException("batch must be at least 1, not " + n);
            }
            this.batch = n;
            return this;
        }

        public PartDetection run(Progress progress) {
            return measure(model, layer, dictionary, seed, count, batch, progress);
        }
    }

    private static PartDetection measure(Model model, Layer layer, FeatureDictionary d, long seed, int count,
                                         int batch, Progress progress) {
        if (d == null) {
            throw new ModelException("part detection compares neurons with a dictionary's features: give one with "
                    + ".dictionary(d)");
        }
        if (layer.shape().length != 4 || !layer.spatial()) {
            throw new ModelException("layer '" + layer.name() + "' has no positions (shape "
                    + Arrays.toString(layer.shape()) + "): part detection needs a layer with positions");
        }
        if (!model.layers().contains(d.layer()) || !model.layers().get(d.layer()).name().equals(layer.name())) {
            throw new ModelException("dictionary '" + d.name() + "' is on " + d.layer() + ", not on " + layer.name());
        }
        int c = (int) layer.channels();
        if (d.channels() != c) {
            throw new ModelException("dictionary '" + d.name() + "' reads " + d.channels() + " channels; layer '"
                    + layer.name() + "' has " + c);
        }
        ReceptiveField rf = ReceptiveField.of(model, layer.name());
        if (rf.whole()) {
            throw new ModelException("every position of '" + layer.name() + "' sees the whole image: no position "
                    + "can be matched to a part");
        }
        int h = (int) layer.shape()[2];
        int w = (int) layer.shape()[3];
        int hw = h * w;
        int[] cx = new int[hw];
        int[] cy = new int[hw];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double[] centre = rf.centre(y, x);
                cx[y * w + x] = (int) Math.floor(centre[0]);
                cy[y * w + x] = (int) Math.floor(centre[1]);
            }
        }
        List<String> parts = World.parts();
        int np = parts.size();
        int rows = count * hw;
        float[] acts = new float[rows * c];
        byte[][] label = new byte[np][rows]; // 1 positive, 0 negative, -1 left out
        int done = 0;
        boolean partial = false;
        try {
            for (int from = 0; from < count; from += batch) {
                if (progress.cancelled()) {
                    partial = true;
                    break;
                }
                int n = Math.min(batch, count - from);
                List<BufferedImage> images = new ArrayList<>(n);
                List<Scene> batchScenes = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    Scene s = World.scene(seed, from + i);
                    batchScenes.add(s);
                    images.add(s.render());
                }
                Tensor t = model.run(images, layer.name()).get(layer.name());
                float[] data = t.data();
                for (int i = 0; i < n; i++) {
                    int row0 = (from + i) * hw;
                    for (int ch = 0; ch < c; ch++) {
                        int base = (i * c + ch) * hw;
                        for (int p = 0; p < hw; p++) {
                            acts[(row0 + p) * c + ch] = data[base + p];
                        }
                    }
                    Scene s = batchScenes.get(i);
                    List<PartBox> object = s.parts();
                    List<PartBox> strays = s.distractors();
                    for (int k = 0; k < np; k++) {
                        String part = parts.get(k);
                        List<PartBox> in = object.stream().filter(b -> b.name().equals(part)).toList();
                        List<PartBox> stray = strays.stream().filter(b -> b.name().equals(part)).toList();
                        for (int p = 0; p < hw; p++) {
                            byte v = 0;
                            if (inAny(in, cx[p], cy[p])) {
                                v = 1;
                            } else if (inAny(stray, cx[p], cy[p])) {
                                v = -1;
                            }
                            label[k][row0 + p] = v;
                        }
                    }
                }
                done += n;
                progress.update(done, count, done + " of " + count + " scenes");
            }
        } finally {
            progress.finish(partial ? "interrupted after " + done + " scenes" : done + " scenes");
        }
        if (done == 0) {
            throw new ModelException("no scenes were measured before the interrupt");
        }
        int used = done * hw;
        int[] pos = new int[np];
        int[] neg = new int[np];
        for (int k = 0; k < np; k++) {
            for (int r = 0; r < used; r++) {
                if (label[k][r] == 1) {
                    pos[k]++;
                } else if (label[k][r] == 0) {
                    neg[k]++;
                }
            }
        }
        double[][] neuronAuc = new double[np][c];
        float[] score = new float[used];
        for (int ch = 0; ch < c; ch++) {
            for (int r = 0; r < used; r++) {
                score[r] = acts[r * c + ch];
            }
            long[] order = order(score);
            for (int k = 0; k < np; k++) {
                neuronAuc[k][ch] = auc(order, label[k], pos[k], neg[k]);
            }
        }
        int m = d.size();
        double[][] featureAuc = new double[np][m];
        for (int j = 0; j < m; j++) {
            Unit.Feature f = d.feature(j);
            float[] wt = f.weights();
            for (int r = 0; r < used; r++) {
                double s = f.bias();
                for (int ch = 0; ch < c; ch++) {
                    s += wt[ch] * acts[r * c + ch];
                }
                score[r] = (float) (f.rectified() ? Math.max(0, s) : s);
            }
            long[] order = order(score);
            for (int k = 0; k < np; k++) {
                featureAuc[k][j] = auc(order, label[k], pos[k], neg[k]);
            }
        }
        var vectors = Nd4j.create(Arrays.copyOf(acts, used * c), new long[] {used, c}, 'c');
        List<Polysemantic.Mixture> mixtures = new ArrayList<>();
        for (int ch = 0; ch < c; ch++) {
            mixtures.add(Polysemantic.mixture(d, vectors, ch));
        }
        return new PartDetection(model.name(), layer.name(), d, rf, seed, done, parts, pos, neg, neuronAuc,
                featureAuc, mixtures, partial);
    }

    private static boolean inAny(List<PartBox> boxes, int x, int y) {
        for (PartBox b : boxes) {
            if (b.contains(x, y)) {
                return true;
            }
        }
        return false;
    }

    /** The rows in increasing score, each as (sortable score bits, row) packed in a long. */
    private static long[] order(float[] score) {
        long[] keys = new long[score.length];
        for (int r = 0; r < score.length; r++) {
            int bits = Float.floatToIntBits(score[r] == 0f ? 0f : score[r]); // -0 and +0 tie
            bits ^= (bits >> 31) & 0x7fffffff; // negative floats: flip so that signed int order is float order
            keys[r] = ((long) bits << 32) | (r & 0xffffffffL);
        }
        Arrays.sort(keys);
        return keys;
    }

    /** Area under the ROC curve (Mann–Whitney, ties half) of the rows in {@code order} for these labels. */
    static double auc(long[] order, byte[] label, int positives, int negatives) {
        if (positives == 0 || negatives == 0) {
            return Double.NaN;
        }
        double sum = 0;
        long below = 0; // negatives with a lower score
        int i = 0;
        while (i < order.length) {
            int hi = (int) (order[i] >> 32);
            long groupPos = 0;
            long groupNeg = 0;
            int j = i;
            while (j < order.length && (int) (order[j] >> 32) == hi) {
                byte l = label[(int) order[j]];
                if (l == 1) {
                    groupPos++;
                } else if (l == 0) {
                    groupNeg++;
                }
                j++;
            }
            sum += groupPos * (below + groupNeg / 2.0);
            below += groupNeg;
            i = j;
        }
        return sum / ((double) positives * negatives);
    }

    // ---- results

    /** The part types, in {@link World#parts()} order. */
    public List<String> parts() {
        return parts;
    }

    /** AUC of every neuron for part type {@code part} (index into {@link #parts()}). */
    public double[] neuronAucs(int part) {
        return neuronAuc[part].clone();
    }

    /** AUC of every feature for part type {@code part}. */
    public double[] featureAucs(int part) {
        return featureAuc[part].clone();
    }

    /** The channel with the largest AUC for part type {@code part}. */
    public int bestNeuron(int part) {
        return argMax(neuronAuc[part]);
    }

    /** The feature with the largest AUC for part type {@code part}. */
    public int bestFeature(int part) {
        return argMax(featureAuc[part]);
    }

    public double neuronAuc(int part) {
        return neuronAuc[part][bestNeuron(part)];
    }

    public double featureAuc(int part) {
        return featureAuc[part][bestFeature(part)];
    }

    /** How many part types the best neuron detects at AUC ≥ {@code threshold}. */
    public int recoveredByNeurons(double threshold) {
        int n = 0;
        for (int k = 0; k < parts.size(); k++) {
            n += neuronAuc(k) >= threshold ? 1 : 0;
        }
        return n;
    }

    /** How many part types the best feature detects at AUC ≥ {@code threshold}. */
    public int recoveredByFeatures(double threshold) {
        int n = 0;
        for (int k = 0; k < parts.size(); k++) {
            n += featureAuc(k) >= threshold ? 1 : 0;
        }
        return n;
    }

    /** The part types neuron {@code channel} detects at AUC ≥ {@code threshold}, best first. */
    public List<String> detectedBy(int channel, double threshold) {
        List<Integer> ks = new ArrayList<>();
        for (int k = 0; k < parts.size(); k++) {
            if (neuronAuc[k][channel] >= threshold) {
                ks.add(k);
            }
        }
        ks.sort((a, b) -> Double.compare(neuronAuc[b][channel], neuronAuc[a][channel]));
        return ks.stream().map(parts::get).toList();
    }

    /** Each neuron as a mixture of the dictionary's features, in channel order. */
    public List<Polysemantic.Mixture> mixtures() {
        return mixtures;
    }

    /**
     * Spearman's rank correlation, over the neurons, between the effective number of features ({@link
     * Polysemantic}) and the number of part types detected at AUC ≥ {@link #DETECTS}: positive when the neurons the
     * dictionary calls polysemantic are those the ground truth shows mixing parts.
     */
    public double polysemanticityAgreement() {
        int c = mixtures.size();
        double[] a = new double[c];
        double[] b = new double[c];
        for (int ch = 0; ch < c; ch++) {
            a[ch] = mixtures.get(ch).score();
            b[ch] = detectedBy(ch, DETECTS).size();
        }
        return pearson(ranks(a), ranks(b));
    }

    private static double[] ranks(double[] v) {
        Integer[] idx = new Integer[v.length];
        for (int i = 0; i < v.length; i++) {
            idx[i] = i;
        }
        Arrays.sort(idx, (x, y) -> Double.compare(v[x], v[y]));
        double[] r = new double[v.length];
        int i = 0;
        while (i < v.length) {
            int j = i;
            while (j + 1 < v.length && v[idx[j + 1]] == v[idx[i]]) {
                j++;
            }
            double mean = (i + j) / 2.0;
            for (int q = i; q <= j; q++) {
                r[idx[q]] = mean;
            }
            i = j + 1;
        }
        return r;
    }

    private static double pearson(double[] a, double[] b) {
        int n = a.length;
        double ma = Arrays.stream(a).average().orElse(0);
        double mb = Arrays.stream(b).average().orElse(0);
        double sab = 0;
        double saa = 0;
        double sbb = 0;
        for (int i = 0; i < n; i++) {
            sab += (a[i] - ma) * (b[i] - mb);
            saa += (a[i] - ma) * (a[i] - ma);
            sbb += (b[i] - mb) * (b[i] - mb);
        }
        return saa > 0 && sbb > 0 ? sab / Math.sqrt(saa * sbb) : Double.NaN;
    }

    private static int argMax(double[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) {
            if (!(v[i] <= v[best]) && !Double.isNaN(v[i])) {
                best = i;
            }
        }
        return best;
    }

    /**
     * One row per part type: its positive positions, the best neuron and its AUC, the best feature and its AUC,
     * and the difference.
     */
    public Table table() {
        StringColumn part = StringColumn.create("part");
        IntColumn pos = IntColumn.create("positions");
        StringColumn neuron = StringColumn.create("best neuron");
        DoubleColumn nAuc = DoubleColumn.create("neuron AUC");
        StringColumn feature = StringColumn.create("best feature");
        DoubleColumn fAuc = DoubleColumn.create("feature AUC");
        DoubleColumn gain = DoubleColumn.create("feature − neuron");
        for (int k = 0; k < parts.size(); k++) {
            part.append(parts.get(k));
            pos.append(positives[k]);
            neuron.append(layer + ":" + bestNeuron(k));
            nAuc.append(neuronAuc(k));
            feature.append(layer + "/" + dictionary.name() + ":" + bestFeature(k));
            fAuc.append(featureAuc(k));
            gain.append(featureAuc(k) - neuronAuc(k));
        }
        return Table.create("part detection in " + model + " " + layer + ": best neuron against best feature of '"
                + dictionary.name() + "'", part, pos, neuron, nAuc, feature, fAuc, gain);
    }

    /**
     * One row per neuron: its effective number of features and the features that make it up ({@link
     * Polysemantic}), and the part types it detects at AUC ≥ {@link #DETECTS}.
     */
    public Table neurons() {
        StringColumn neuron = StringColumn.create("neuron");
        DoubleColumn eff = DoubleColumn.create("effective features");
        StringColumn top = StringColumn.create("features in it");
        IntColumn count = IntColumn.create("parts at AUC ≥ " + DETECTS);
        StringColumn names = StringColumn.create("parts (best first)");
        StringColumn bestFor = StringColumn.create("best neuron for");
        for (int ch = 0; ch < mixtures.size(); ch++) {
            Polysemantic.Mixture mix = mixtures.get(ch);
            neuron.append(layer + ":" + ch);
            eff.append(mix.score());
            top.append(String.join(", ", mix.loadings().stream().limit(3)
                    .map(l -> l.feature().index() + String.format(Locale.ROOT, " %.0f%%", 100 * l.share())).toList()));
            List<String> det = detectedBy(ch, DETECTS);
            count.append(det.size());
            names.append(String.join(", ", det));
            List<String> best = new ArrayList<>();
            for (int k = 0; k < parts.size(); k++) {
                if (bestNeuron(k) == ch) {
                    best.add(parts.get(k));
                }
            }
            bestFor.append(String.join(", ", best));
        }
        return Table.create("neurons of " + model + " " + layer + " as mixtures of '" + dictionary.name() + "'",
                neuron, eff, top, count, names, bestFor);
    }

    public String summary() {
        return String.format(Locale.ROOT, "%s %s (%d channels) against dictionary '%s' (%d features), %d part types "
                        + "over %d scenes of world seed %d (%s): AUC ≥ %.1f for %d part types by a single neuron, %d by "
                        + "a dictionary feature; polysemanticity (effective features) against parts detected at AUC "
                        + "≥ %.1f, Spearman %.2f%s",
                model, layer, mixtures.size(), dictionary.name(), dictionary.size(), parts.size(), scenes, seed,
                field, RECOVERED, recoveredByNeurons(RECOVERED), recoveredByFeatures(RECOVERED), DETECTS,
                polysemanticityAgreement(), partial ? " (partial: interrupted)" : "");
    }

    public boolean partial() {
        return partial;
    }

    @Override
    public Map<String, Object> representations() {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("text/plain", summary() + "\n" + TableHtml.plain(table()) + "\n" + TableHtml.plain(neurons()));
        StringBuilder sb = new StringBuilder("<div><b>").append(Html.escape(summary())).append("</b>");
        Html.table(sb, table(), parts.size());
        Html.table(sb, neurons(), mixtures.size());
        r.put("text/html", sb.append("</div>").toString());
        return r;
    }

    @Override
    public String toString() {
        return summary();
    }
}
