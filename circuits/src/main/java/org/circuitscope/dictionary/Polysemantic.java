package org.circuitscope.dictionary;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.circuitscope.data.ImageSource;
import org.circuitscope.display.Displayable;
import org.circuitscope.display.Figure;
import org.circuitscope.examples.DatasetExamples;
import org.circuitscope.examples.Example;
import org.circuitscope.examples.ExamplesResult;
import org.circuitscope.featurevis.FeatureVis;
import org.circuitscope.featurevis.FeatureVisResult;
import org.circuitscope.featurevis.objectives.Objectives;
import org.circuitscope.model.Layer;
import org.circuitscope.model.Model;
import org.circuitscope.model.ModelException;
import org.circuitscope.model.Unit;
import org.circuitscope.progress.Progress;
import org.circuitscope.tensor.Tensor;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A neuron as a mixture of dictionary features, after Zoom In's polysemantic 4e:55 ("cat faces, fox faces, car
 * fronts"). On sample vectors of the neuron's layer where the neuron is positive, each feature's share of the
 * neuron's value is its mean contribution code<sub>i</sub> · d<sub>i</sub>[c] (positive parts only, normalised);
 * the polysemanticity score is the effective number of features, exp(entropy of the shares): 1 for a neuron that
 * is one feature, n for one split evenly among n. The neuron's top dataset examples are clustered by the layer's
 * activation vector at their position (k-means), each cluster labelled with the feature that contributes most
 * there; a diversity feature visualisation of the neuron can be shown beside them.
 */
public final class Polysemantic implements Displayable {
    /** A feature's part in the neuron. */
    public record Loading(Unit.Feature feature, double share, double contribution) {
    }

    /** A facet: examples of one cluster, and the feature that contributes most to the neuron in it. */
    public record Facet(List<Example> examples, Unit.Feature dominant, double dominantShare) {
    }

    private final Unit.Channel neuron;
    private final FeatureDictionary dictionary;
    private final List<Loading> loadings;
    private final double score;
    private final List<Facet> facets;
    private final List<BufferedImage> diversity;
    /** The features with the largest shares, each with its visualisation and examples, or null. */
    private final DictionarySheet features;

    private Polysemantic(Unit.Channel neuron, FeatureDictionary dictionary, List<Loading> loadings, double score,
                         List<Facet> facets, List<BufferedImage> diversity, DictionarySheet features) {
        this.neuron = neuron;
        this.dictionary = dictionary;
        this.loadings = List.copyOf(loadings);
        this.score = score;
        this.facets = List.copyOf(facets);
        this.diversity = List.copyOf(diversity);
        this.features = features;
    }

    /**
     * The same analysis with the {@code count} features of largest share shown beside it, each with a feature
     * visualisation ({@code visSteps} steps) and its top {@code examples} dataset examples from {@code source}:
     * the neuron next to the features it splits into.
     */
    public Polysemantic withFeatures(Model model, int count, ImageSource source, int examples, int visSteps,
                                     Progress progress) {
        int[] top = loadings.stream().limit(count).mapToInt(l -> l.feature().index()).toArray();
        if (top.length == 0) {
            return this;
        }
        double[] share = new double[dictionary.size()];
        loadings.forEach(l -> share[l.feature().index()] = l.share());
        DictionarySheet sheet = DictionarySheet.of(model, dictionary, top, share, source, examples, visSteps,
                progress).labelled("share of " + neuron);
        return new Polysemantic(neuron, dictionary, loadings, score, facets, diversity, sheet);
    }

    /** The sheet of the features of largest share ({@link #withFeatures}), or null. */
    public DictionarySheet features() {
        return features;
    }

    /**
     * Analyses {@code neuron} with {@code d} (learnt on the neuron's layer) over {@code source}: loadings from
     * {@code sampleImages} images, {@code examples} top examples in {@code clusters} facets, and a diversity
     * visualisation of {@code clusters} images when {@code visSteps} > 0.
     */
    public static Polysemantic of(Model model, Unit.Channel neuron, FeatureDictionary d, ImageSource source,
                                  int sampleImages, int examples, int clusters, int visSteps, Progress progress) {
        Layer layer = model.layers().get(neuron.layer());
        if (!layer.name().equals(model.layers().get(d.layer()).name())) {
            throw new ModelException("dictionary '" + d.name() + "' is on " + d.layer() + ", not on the neuron's "
                    + "layer " + neuron.layer());
        }
        int c = neuron.channel();
        if (c >= d.channels()) {
            throw new ModelException("layer '" + layer.name() + "' has " + d.channels() + " channels; there is no "
                    + "channel " + c);
        }
        ActivationSample sample = ActivationSample.collect(model, layer.name(), source, sampleImages, -1, d.seed(),
                16, progress);
        Mixture mix = mixture(d, sample.vectors(), c);
        List<Loading> loadings = mix.loadings();
        double score = mix.score();

        ExamplesResult ex = DatasetExamples.of(model, neuron).k(examples).run(source, progress);
        List<Example> top = ex.examples();
        List<Facet> facets = new ArrayList<>();
        if (!top.isEmpty()) {
            float[][] vectors = vectorsAt(model, layer, top);
            KMeans.Fit fit = KMeans.fit(normalisedRows(vectors), Math.min(clusters, top.size()), 50, d.seed());
            INDArray codes = d.encode(Nd4j.create(vectors));
            float[][] code = codes.castTo(DataType.FLOAT).toFloatMatrix();
            for (int g = 0; g < fit.sizes().length; g++) {
                List<Example> members = new ArrayList<>();
                double[] part = new double[d.size()];
                for (int e = 0; e < top.size(); e++) {
                    if (fit.assignment()[e] == g) {
                        members.add(top.get(e));
                        for (int i = 0; i < d.size(); i++) {
                            part[i] += code[e][i] * d.direction(i)[c];
                        }
                    }
                }
                int best = 0;
                double sum = 0;
                for (int i = 0; i < part.length; i++) {
                    sum += Math.max(0, part[i]);
                    if (part[i] > part[best]) {
                        best = i;
                    }
                }
                facets.add(new Facet(members, d.feature(best), sum > 0 ? Math.max(0, part[best]) / sum : 0));
            }
        }
        List<BufferedImage> vis = List.of();
        if (visSteps > 0 && clusters > 1) {
            FeatureVisResult r = FeatureVis.of(model).objective(Objectives.unit(neuron)
                    .minus(Objectives.diversity(layer.name()).times(1.0))).batch(clusters).steps(visSteps)
                    .seed(d.seed()).render(progress);
            vis = r.images();
        }
        return new Polysemantic(neuron, d, loadings, score, facets, vis, null);
    }

    /** Each feature's share of a neuron: its positive contribution over the sum of the positive ones (0 if none). */
    static double[] shares(double[] contribution) {
        double total = 0;
        for (double v : contribution) {
            total += Math.max(0, v);
        }
        double[] s = new double[contribution.length];
        for (int i = 0; i < s.length; i++) {
            s[i] = total > 0 ? Math.max(0, contribution[i]) / total : 0;
        }
        return s;
    }

    /** exp(entropy of the shares): the effective number of features (1 when the shares are all zero). */
    static double effectiveNumber(double[] shares) {
        double entropy = 0;
        for (double p : shares) {
            if (p > 0) {
                entropy -= p * Math.log(p);
            }
        }
        return Math.exp(entropy);
    }

    /**
     * The polysemanticity score of every channel of the dictionary's layer on sample vectors {@code x} (n×C), as
     * {@link #score()} defines it for one: the effective number of features in the channel's value over the rows
     * where it is positive. Channels positive on fewer than {@code minActive} of the rows (a share) get NaN: too
     * rarely on to be read as a mixture.
     */
    public static double[] scores(FeatureDictionary d, INDArray x, double minActive) {
        Nd4jSetup.ensure();
        INDArray xf = x.castTo(DataType.FLOAT);
        INDArray active = xf.gt(0).castTo(DataType.FLOAT); // n×C
        INDArray codeSums = active.transpose().mmul(d.encode(xf).castTo(DataType.FLOAT)); // C×M
        float[] count = active.sum(0).data().asFloat();
        float[][] sums = codeSums.toFloatMatrix();
        float[][] dir = d.decoderMatrix().toFloatMatrix(); // M×C
        int c = d.channels();
        int m = d.size();
        long n = x.rows();
        double[] out = new double[c];
        for (int ch = 0; ch < c; ch++) {
            if (count[ch] == 0 || count[ch] < minActive * n) {
                out[ch] = Double.NaN;
                continue;
            }
            double[] contribution = new double[m];
            for (int i = 0; i < m; i++) {
                contribution[i] = sums[ch][i] * dir[i][ch] / count[ch];
            }
            out[ch] = effectiveNumber(shares(contribution));
        }
        return out;
    }

    /**
     * The most polysemantic channel of {@code d}'s layer on {@code images} images of {@code source} (64 positions
     * each, seeded by the dictionary): the highest {@link #scores} among channels positive on at least 1% of them.
     */
    public static Unit.Channel mostPolysemantic(Model model, FeatureDictionary d, ImageSource source, int images,
                                                Progress progress) {
        String layer = model.layers().get(d.layer()).name();
        ActivationSample sample = ActivationSample.collect(model, layer, source, images, 64, d.seed(), 16, progress);
        int best = mostPolysemantic(d, sample.vectors());
        if (best < 0) {
            throw new ModelException("no channel of " + layer + " is positive on 1% of the sampled positions of "
                    + source.name());
        }
        return Unit.channel(layer, best);
    }

    /** The channel with the highest {@link #scores} (at least 1% active), or -1 when none qualifies. */
    public static int mostPolysemantic(FeatureDictionary d, INDArray x) {
        double[] s = scores(d, x, 0.01);
        int best = -1;
        for (int ch = 0; ch < s.length; ch++) {
            if (!Double.isNaN(s[ch]) && (best < 0 || s[ch] > s[best])) {
                best = ch;
            }
        }
        return best;
    }

    /**
     * A neuron as a mixture of features: the loadings with a positive share, largest first, and the effective
     * number of features (exp of the shares' entropy).
     */
    public record Mixture(List<Loading> loadings, double score) {
        public Mixture {
            loadings = List.copyOf(loadings);
        }
    }

    /**
     * Channel {@code c} as a mixture of {@code d}'s features over the vectors {@code x} (n×C, rows of the
     * dictionary's layer): what {@link #of} reports as the loadings and the score, without the examples.
     */
    public static Mixture mixture(FeatureDictionary d, INDArray x, int c) {
        if (c < 0 || c >= d.channels()) {
            throw new ModelException("dictionary '" + d.name() + "' reads " + d.channels() + " channels; there is "
                    + "no channel " + c);
        }
        double[] contribution = contributions(d, x, c);
        double[] shares = shares(contribution);
        List<Loading> loadings = new ArrayList<>();
        for (int i = 0; i < contribution.length; i++) {
            if (shares[i] > 0) {
                loadings.add(new Loading(d.feature(i), shares[i], contribution[i]));
            }
        }
        loadings.sort((a, b) -> Double.compare(b.share(), a.share()));
        return new Mixture(loadings, effectiveNumber(shares));
    }

    /**
     * {@link #contributions(FeatureDictionary, INDArray, int)} for every channel at once ({@code [c][feature]}):
     * the rows are encoded once, then each channel's mean of code·decoder weight is taken over the rows where that
     * channel is positive (the codes of a row do not depend on which other rows are encoded).
     */
    public static double[][] contributions(FeatureDictionary d, INDArray x) {
        float[][] rows = x.castTo(DataType.FLOAT).toFloatMatrix();
        int channels = d.channels();
        double[][] out = new double[channels][d.size()];
        if (rows.length == 0) {
            return out;
        }
        float[][] codes;
        try (INDArray z = d.encode(x)) {
            codes = z.castTo(DataType.FLOAT).toFloatMatrix();
        }
        float[][] dir = new float[d.size()][];
        for (int i = 0; i < d.size(); i++) {
            dir[i] = d.direction(i);
        }
        for (int c = 0; c < channels; c++) {
            int active = 0;
            double[] s = out[c];
            for (int r = 0; r < rows.length; r++) {
                if (rows[r][c] > 0) {
                    active++;
                    float[] code = codes[r];
                    for (int i = 0; i < s.length; i++) {
                        if (code[i] != 0) {
                            s[i] += code[i] * dir[i][c];
                        }
                    }
                }
            }
            for (int i = 0; i < s.length && active > 0; i++) {
                s[i] /= active;
            }
        }
        return out;
    }

    /** Each feature's mean contribution to channel {@code c} over the rows where the channel is positive. */
    static double[] contributions(FeatureDictionary d, INDArray x, int c) {
        float[][] rows = x.castTo(DataType.FLOAT).toFloatMatrix();
        List<float[]> active = new ArrayList<>();
        for (float[] r : rows) {
            if (r[c] > 0) {
                active.add(r);
            }
        }
        double[] out = new double[d.size()];
        if (active.isEmpty()) {
            return out;
        }
        float[][] codes = d.encode(Nd4j.create(active.toArray(new float[0][]))).castTo(DataType.FLOAT)
                .toFloatMatrix();
        for (int i = 0; i < d.size(); i++) {
            double w = d.direction(i)[c];
            double s = 0;
            for (float[] code : codes) {
                s += code[i] * w;
            }
            out[i] = s / codes.length;
        }
        return out;
    }

    private static float[][] vectorsAt(Model model, Layer layer, List<Example> top) {
        List<BufferedImage> images = new ArrayList<>();
        top.forEach(e -> images.add(e.image()));
        Tensor t = model.run(images, layer.name()).get(layer.name());
        int ch = (int) layer.channels();
        int h = layer.spatial() ? (int) layer.shape()[2] : 1;
        int w = layer.spatial() ? (int) layer.shape()[3] : 1;
        float[] d = t.data();
        float[][] out = new float[top.size()][ch];
        for (int e = 0; e < top.size(); e++) {
            int p = top.get(e).y() * w + top.get(e).x();
            for (int q = 0; q < ch; q++) {
                out[e][q] = d[(e * ch + q) * h * w + p];
            }
        }
        return out;
    }

    private static INDArray normalisedRows(float[][] v) {
        float[][] n = new float[v.length][];
        for (int i = 0; i < v.length; i++) {
            double len = 0;
            for (float f : v[i]) {
                len += f * f;
            }
            float inv = (float) (1 / Math.max(1e-12, Math.sqrt(len)));
            n[i] = new float[v[i].length];
            for (int q = 0; q < v[i].length; q++) {
                n[i][q] = v[i][q] * inv;
            }
        }
        return Nd4j.create(n);
    }

    public Unit.Channel neuron() {
        return neuron;
    }

    public FeatureDictionary dictionary() {
        return dictionary;
    }

    /** The features with a positive share, largest first. */
    public List<Loading> loadings() {
        return loadings;
    }

    /** The effective number of features in the neuron: exp(entropy of the shares). */
    public double score() {
        return score;
    }

    public List<Facet> facets() {
        return facets;
    }

    public List<BufferedImage> diversity() {
        return diversity;
    }

    private static final int CELL = 64;
    private static final int GAP = 6;

    public Figure figure() {
        int most = facets.stream().mapToInt(f -> f.examples().size()).max().orElse(0);
        int width = Math.max(420, 170 + Math.max(most, diversity.size()) * (CELL + GAP));
        int height = 70 + (facets.size() + (diversity.isEmpty() ? 0 : 1)) * (CELL + GAP + 8);
        if (features == null) {
            return Figure.of(toString(), width, height, this::paint);
        }
        Figure sheet = features.figure();
        int own = height;
        return Figure.of(toString(), Math.max(width, sheet.width()), own + 24 + sheet.height(), g -> {
            paint(g);
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
            g.drawString("the features it splits into, largest share first", GAP, own + 16);
            g.translate(0, own + 24);
            features.paintRows(g);
            g.translate(0, -(own + 24));
        });
    }

    private void paint(Graphics2D g) {
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
        g.drawString(neuron + String.format(": %.2f effective features of %s", score, dictionary.name()), GAP, 18);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < Math.min(5, loadings.size()); i++) {
            Loading l = loadings.get(i);
            sb.append(i == 0 ? "" : ", ").append(l.feature()).append(String.format(" %.0f%%", 100 * l.share()));
        }
        g.drawString("features in it: " + sb, GAP, 36);
        int y = 50;
        if (!diversity.isEmpty()) {
            g.drawString("diversity", GAP, y + CELL / 2);
            int x = 170;
            for (BufferedImage im : diversity) {
                g.drawImage(im, x, y, CELL, CELL, null);
                x += CELL + GAP;
            }
            y += CELL + GAP + 8;
        }
        for (int f = 0; f < facets.size(); f++) {
            Facet facet = facets.get(f);
            g.setColor(Color.BLACK);
            g.drawString("cluster " + (f + 1) + " (" + facet.examples().size() + ")", GAP, y + CELL / 2 - 6);
            g.setColor(Color.GRAY);
            g.drawString(facet.dominant() + String.format(" %.0f%%", 100 * facet.dominantShare()), GAP,
                    y + CELL / 2 + 8);
            int x = 170;
            for (Example e : facet.examples()) {
                g.drawImage(e.crop(), x, y, CELL, CELL, null);
                x += CELL + GAP;
            }
            y += CELL + GAP + 8;
        }
    }

    @Override
    public Map<String, Object> representations() {
        Map<String, Object> r = new LinkedHashMap<>(figure().representations());
        r.put("text/plain", toString() + "\n" + describe() + (features == null ? "" : features.rowsText()));
        return r;
    }

    private String describe() {
        StringBuilder sb = new StringBuilder();
        for (int f = 0; f < facets.size(); f++) {
            Facet facet = facets.get(f);
            sb.append("  cluster ").append(f + 1).append(": ").append(facet.examples().size())
                    .append(" examples, mostly ").append(facet.dominant())
                    .append(String.format(" (%.0f%%)%n", 100 * facet.dominantShare()));
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return String.format("%s is %.2f effective features of dictionary '%s'; top: %s", neuron, score,
                dictionary.name(), loadings.stream().limit(3).map(l -> l.feature() + String.format("=%.0f%%",
                        100 * l.share())).toList());
    }
}
