package org.circuitscope.activations;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.circuitscope.data.ImageSource;
import org.circuitscope.display.Displayable;
import org.circuitscope.model.Model;
import org.circuitscope.model.Unit;
import org.circuitscope.progress.Progress;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * Universality, measured: for every unit of one model's layer, the unit of another model's layer whose response
 * over the same images correlates best with it (Pearson correlation of the per-image reduced activations), and the
 * one-to-one (Hungarian) matching that maximises the total correlation. Two trainings that learned the same
 * features have units that match closely; unrelated units correlate weakly.
 *
 * <p>Models with different architectures see the image at different resolutions and strides; with
 * {@link #atMatchedPositions(int)} each image is read at a lattice of points, each model at its position whose
 * receptive field is centred nearest the point, so that both describe the same part of the same image. The
 * controls: {@link #shuffledImages(long)} (B sees the images in another order: what unrelated images give) and,
 * run by the caller, B with its weights shuffled ({@link Model#withShuffledWeights(long)}).
 *
 * <p>Either side may be a dictionary's features instead of a layer's channels: name it {@code layer/dictionary}
 * and give the dictionaries ({@link #between(Model, String, Model, String, Map)}); each feature is read from the
 * layer's channel vector at the same positions as a channel would be ({@link Unit.Feature#at}), so features match
 * features, or neurons, under the same controls.
 */
public final class UnitMatching {
    private final Model a;
    private final String layerA;
    private final Model b;
    private final String layerB;
    /** The names the sides' units are written with: the layer, or {@code layer/dictionary} for features. */
    private final String nameA;
    private final String nameB;
    /** The dictionary whose features a side reads, or null for its channels. */
    private final Unit.FeatureBasis viewA;
    private final Unit.FeatureBasis viewB;
    private Reduce reduce = Reduce.MAX;
    private int batchSize = 50;
    private int grid;
    private Long shuffleSeed;

    private UnitMatching(Model a, String sideA, Model b, String sideB, Map<String, ? extends Unit.FeatureBasis> d) {
        this.a = a;
        this.b = b;
        this.viewA = Unit.dictionaryView(sideA, d);
        this.viewB = Unit.dictionaryView(sideB, d);
        this.layerA = a.layers().get(viewA != null ? viewA.layer() : sideA).name();
        this.layerB = b.layers().get(viewB != null ? viewB.layer() : sideB).name();
        this.nameA = viewA != null ? layerA + sideA.substring(sideA.lastIndexOf('/')) : layerA;
        this.nameB = viewB != null ? layerB + sideB.substring(sideB.lastIndexOf('/')) : layerB;
        check(a, layerA, viewA, sideA);
        check(b, layerB, viewB, sideB);
    }

    private static void check(Model m, String layer, Unit.FeatureBasis view, String side) {
        if (view != null && view.size() > 0) {
            long c = m.layers().get(layer).channels();
            if (view.feature(0).channels() != c) {
                throw new IllegalArgumentException("dictionary " + side + " reads " + view.feature(0).channels()
                        + " channels, but " + m.name() + " " + layer + " has " + c);
            }
        }
    }

    public static UnitMatching between(Model a, String layerA, Model b, String layerB) {
        return new UnitMatching(a, layerA, b, layerB, Map.of());
    }

    /**
     * As {@link #between(Model, String, Model, String)}, where a side written {@code layer/name} with {@code name}
     * one of {@code dictionaries} is that dictionary's features on the layer.
     */
    public static UnitMatching between(Model a, String sideA, Model b, String sideB,
                                       Map<String, ? extends Unit.FeatureBasis> dictionaries) {
        return new UnitMatching(a, sideA, b, sideB, dictionaries);
    }

    /** How a unit's map becomes one number per image (default: its maximum). */
    public UnitMatching reduce(Reduce r) {
        this.reduce = r;
        return this;
    }

    /**
     * Reads each image at a {@code grid}×{@code grid} lattice of points (at the centres of equal cells of the
     * image), each model at the layer position whose receptive field is centred nearest; every (image, point) is
     * one sample of the correlation. 0 (the default) reduces each unit's whole map instead ({@link #reduce}).
     */
    public UnitMatching atMatchedPositions(int grid) {
        if (grid < 0 || grid > 16) {
            throw new IllegalArgumentException("the lattice of positions is 1 to 16 points a side, not " + grid);
        }
        this.grid = grid;
        return this;
    }

    /**
     * The shuffled-image control: B's samples are paired with A's from other images (a fixed permutation of the
     * images, with no image paired with itself), so the correlations that remain are the chance level.
     */
    public UnitMatching shuffledImages(long seed) {
        this.shuffleSeed = seed;
        return this;
    }

    public UnitMatching batchSize(int n) {
        this.batchSize = n;
        return this;
    }

    public Result run(ImageSource images) {
        return run(images, Progress.NONE);
    }

    public Result run(ImageSource images, Progress progress) {
        int na = viewA != null ? viewA.size() : (int) a.layers().get(layerA).channels();
        int nb = viewB != null ? viewB.size() : (int) b.layers().get(layerB).channels();
        float[][] va;
        float[][] vb;
        int count;
        String reading;
        if (grid > 0) {
            va = new float[na][];
            vb = new float[nb][];
            count = sampleAtPoints(images, progress, va, vb);
            reading = "at " + grid + "×" + grid + " matched receptive-field positions";
        } else {
            ActivationResult ra = Activations.of(a).dictionaries(views(nameA, viewA)).layers(nameA).reduce(reduce)
                    .batchSize(batchSize).run(images, progress);
            ActivationResult rb = Activations.of(b).dictionaries(views(nameB, viewB)).layers(nameB).reduce(reduce)
                    .batchSize(batchSize).run(images, progress);
            if (ra.images() != rb.images()) {
                throw new IllegalArgumentException("matching needs the same images for both models; got "
                        + ra.images() + " and " + rb.images());
            }
            va = new float[na][];
            vb = new float[nb][];
            for (int i = 0; i < na; i++) {
                va[i] = ra.column(nameA + ":" + i);
            }
            for (int j = 0; j < nb; j++) {
                vb[j] = rb.column(nameB + ":" + j);
            }
            count = ra.images();
            reading = "each map's " + reduce.name().toLowerCase(java.util.Locale.ROOT);
        }
        if (count < 3) {
            throw new IllegalArgumentException("matching needs the same three or more images for both models; got "
                    + count);
        }
        if (shuffleSeed != null) {
            int per = grid > 0 ? grid * grid : 1;
            int[] perm = derangement(count, shuffleSeed);
            for (int j = 0; j < nb; j++) {
                float[] src = vb[j];
                float[] dst = new float[src.length];
                for (int img = 0; img < count; img++) {
                    System.arraycopy(src, perm[img] * per, dst, img * per, per);
                }
                vb[j] = dst;
            }
            reading += ", B's images shuffled (control)";
        }
        double[][] za = new double[na][];
        double[][] zb = new double[nb][];
        for (int i = 0; i < na; i++) {
            za[i] = standardised(va[i]);
        }
        for (int j = 0; j < nb; j++) {
            zb[j] = standardised(vb[j]);
        }
        double[][] r = new double[na][nb];
        for (int i = 0; i < na; i++) {
            for (int j = 0; j < nb; j++) {
                double s = 0;
                for (int k = 0; k < za[i].length; k++) {
                    s += za[i][k] * zb[j][k];
                }
                r[i][j] = s / (za[i].length - 1);
            }
        }
        return new Result(a.name(), nameA, b.name(), nameB, images.name() + " (" + reading + ")", count, r);
    }

    /** The one dictionary a side reads, by the name its side is written with (none for channels). */
    private static Map<String, Unit.FeatureBasis> views(String name, Unit.FeatureBasis view) {
        return view == null ? Map.of() : Map.of(name.substring(name.lastIndexOf('/') + 1), view);
    }

    /** A permutation of 0..n-1 with no fixed point (n ≥ 2), from a seed. */
    static int[] derangement(int n, long seed) {
        java.util.Random random = new java.util.Random(seed);
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        // Sattolo's algorithm: a uniformly random single cycle, which fixes no point
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    /** Fills va/vb with each unit's values at the lattice points, image by image; returns the images read. */
    private int sampleAtPoints(ImageSource images, Progress progress, float[][] va, float[][] vb) {
        int[] pa = nearestPositions(a, layerA);
        int[] pb = nearestPositions(b, layerB);
        int per = grid * grid;
        List<float[]> rowsA = new java.util.ArrayList<>();
        List<float[]> rowsB = new java.util.ArrayList<>();
        long total = images.size().orElse(0);
        int done = 0;
        try (org.circuitscope.data.BatchReader it = org.circuitscope.data.BatchReader.ahead(images.iterator(),
                batchSize)) {
            while (!progress.cancelled()) {
                List<org.circuitscope.data.Sample> batch = it.next(batchSize);
                if (batch.isEmpty()) {
                    break;
                }
                List<java.awt.image.BufferedImage> imgs = batch.stream().map(org.circuitscope.data.Sample::image)
                        .toList();
                rowsA.addAll(pick(a.run(imgs, layerA).get(layerA), pa, viewA));
                rowsB.addAll(pick(b.run(imgs, layerB).get(layerB), pb, viewB));
                done += batch.size();
                progress.update(done, total, done + " images");
            }
        } finally {
            progress.finish(done + " images");
        }
        fill(va, rowsA, per);
        fill(vb, rowsB, per);
        return done;
    }

    /**
     * Per image: unit-major values at the positions (unit u, point p at u * points + p); the units are the
     * channels, or the features of {@code view} read from the channel vector at each position.
     */
    private static List<float[]> pick(org.circuitscope.tensor.Tensor t, int[] positions, Unit.FeatureBasis view) {
        long[] s = t.shape();
        int n = (int) s[0];
        int c = (int) s[1];
        int hw = (int) (s[2] * s[3]);
        float[] d = t.data();
        Unit.Feature[] features = null;
        if (view != null) {
            features = new Unit.Feature[view.size()];
            for (int f = 0; f < features.length; f++) {
                features[f] = view.feature(f);
            }
        }
        int units = features != null ? features.length : c;
        List<float[]> out = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            float[] row = new float[units * positions.length];
            for (int u = 0; u < units; u++) {
                for (int p = 0; p < positions.length; p++) {
                    row[u * positions.length + p] = features != null ? features[u].at(d, i * c * hw, hw, positions[p])
                            : d[(i * c + u) * hw + positions[p]];
                }
            }
            out.add(row);
        }
        return out;
    }

    private static void fill(float[][] v, List<float[]> rows, int per) {
        for (int c = 0; c < v.length; c++) {
            v[c] = new float[rows.size() * per];
            for (int i = 0; i < rows.size(); i++) {
                System.arraycopy(rows.get(i), c * per, v[c], i * per, per);
            }
        }
    }

    /** For each lattice point, the flat index (y * W + x) of the position whose field is centred nearest it. */
    private int[] nearestPositions(Model m, String layer) {
        org.circuitscope.model.Layer l = m.layers().get(layer);
        if (!l.spatial()) {
            throw new IllegalArgumentException("layer '" + layer + "' of " + m.name() + " has no positions to "
                    + "match; use a reduction instead of matched positions");
        }
        int h = (int) l.shape()[2];
        int w = (int) l.shape()[3];
        org.circuitscope.examples.ReceptiveField rf = org.circuitscope.examples.ReceptiveField.of(m, layer);
        int[] out = new int[grid * grid];
        for (int gy = 0; gy < grid; gy++) {
            for (int gx = 0; gx < grid; gx++) {
                double px = (gx + 0.5) / grid * m.input().width();
                double py = (gy + 0.5) / grid * m.input().height();
                int best = 0;
                double bestD = Double.POSITIVE_INFINITY;
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < w; x++) {
                        double[] c = rf.centre(y, x);
                        double dd = Math.hypot(c[0] - px, c[1] - py);
                        if (dd < bestD) {
                            bestD = dd;
                            best = y * w + x;
                        }
                    }
                }
                out[gy * grid + gx] = best;
            }
        }
        return out;
    }

    /** (x - mean) / sample std; all zeros for a unit that never varies (it correlates with nothing). */
    private static double[] standardised(float[] x) {
        double mean = Stats.mean(x);
        double sd = Math.sqrt(Stats.variance(x, mean));
        double[] z = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            z[i] = sd > 0 ? (x[i] - mean) / sd : 0;
        }
        return z;
    }

    /** Correlations between every unit of A's layer (rows) and of B's layer (columns). */
    public record Result(String modelA, String layerA, String modelB, String layerB, String data, int images,
                         double[][] correlation) implements Displayable {

        /** The unit of B that correlates best with unit {@code unitA} of A. */
        public int bestMatch(int unitA) {
            double[] row = correlation[unitA];
            int best = 0;
            for (int j = 1; j < row.length; j++) {
                if (row[j] > row[best]) {
                    best = j;
                }
            }
            return best;
        }

        public double bestCorrelation(int unitA) {
            return correlation[unitA][bestMatch(unitA)];
        }

        /** The best-match correlation of each unit of A, in unit order. */
        public double[] bestCorrelations() {
            double[] out = new double[correlation.length];
            for (int i = 0; i < out.length; i++) {
                out[i] = bestCorrelation(i);
            }
            return out;
        }

        /** The median over A's units of their best-match correlation. */
        public double medianBest() {
            double[] s = bestCorrelations();
            Arrays.sort(s);
            return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
        }

        /** The one-to-one matching with the largest total correlation: for each unit of A, its unit of B (or −1). */
        public int[] hungarian() {
            return Hungarian.maximise(correlation);
        }

        /** The correlation of each unit of A with its one-to-one partner (units left unmatched are left out). */
        public double[] hungarianCorrelations() {
            int[] m = hungarian();
            return java.util.stream.IntStream.range(0, m.length).filter(i -> m[i] >= 0)
                    .mapToDouble(i -> correlation[i][m[i]]).toArray();
        }

        /**
         * The distribution of the best-match and of the one-to-one correlations: quantiles (0, 10, 25, 50, 75, 90,
         * 100%), mean, and the share of units at r ≥ 0.5 and ≥ 0.8.
         */
        public Table distribution() {
            return distributionTable("similarity of " + modelA + " " + layerA + " to " + modelB + " " + layerB,
                    java.util.List.of("best match", "one-to-one"), java.util.List.of(bestCorrelations(),
                            hungarianCorrelations()));
        }

        /** One row per named sample of correlations (see {@link #distribution()}). */
        public static Table distributionTable(String name, List<String> names, List<double[]> samples) {
            StringColumn which = StringColumn.create("matching");
            DoubleColumn[] q = new DoubleColumn[7];
            String[] qn = {"min", "p10", "p25", "median", "p75", "p90", "max"};
            double[] at = {0, 0.1, 0.25, 0.5, 0.75, 0.9, 1};
            for (int k = 0; k < 7; k++) {
                q[k] = DoubleColumn.create(qn[k]);
            }
            DoubleColumn mean = DoubleColumn.create("mean");
            DoubleColumn half = DoubleColumn.create("share r ≥ 0.5");
            DoubleColumn strong = DoubleColumn.create("share r ≥ 0.8");
            for (int s = 0; s < names.size(); s++) {
                double[] v = samples.get(s).clone();
                Arrays.sort(v);
                which.append(names.get(s));
                for (int k = 0; k < 7; k++) {
                    q[k].append(v.length == 0 ? Double.NaN : quantile(v, at[k]));
                }
                mean.append(Arrays.stream(v).average().orElse(Double.NaN));
                half.append(v.length == 0 ? Double.NaN : Arrays.stream(v).filter(x -> x >= 0.5).count()
                        / (double) v.length);
                strong.append(v.length == 0 ? Double.NaN : Arrays.stream(v).filter(x -> x >= 0.8).count()
                        / (double) v.length);
            }
            Table t = Table.create(name, which);
            t.addColumns(q);
            t.addColumns(mean, half, strong);
            return t;
        }

        /** Linear interpolation between order statistics of sorted values. */
        static double quantile(double[] sorted, double p) {
            double pos = p * (sorted.length - 1);
            int lo = (int) Math.floor(pos);
            int hi = Math.min(sorted.length - 1, lo + 1);
            return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
        }

        /** One row per unit of A, best matched first. */
        public Table table() {
            List<Integer> order = Stats.descending(bestCorrelations());
            StringColumn ua = StringColumn.create(modelA + " unit");
            StringColumn ub = StringColumn.create(modelB + " best match");
            DoubleColumn r = DoubleColumn.create("correlation");
            StringColumn uh = StringColumn.create(modelB + " one-to-one");
            DoubleColumn rh = DoubleColumn.create("one-to-one correlation");
            int[] h = hungarian();
            for (int i : order) {
                ua.append(layerA + ":" + i);
                ub.append(layerB + ":" + bestMatch(i));
                r.append(bestCorrelation(i));
                uh.append(h[i] >= 0 ? layerB + ":" + h[i] : "");
                if (h[i] >= 0) {
                    rh.append(correlation[i][h[i]]);
                } else {
                    rh.appendMissing();
                }
            }
            return Table.create("best matches, " + modelA + " " + layerA + " → " + modelB + " " + layerB, ua, ub, r,
                    uh, rh);
        }

        @Override
        public Map<String, Object> representations() {
            return Html.summaryOverTable(toString(), table(), 12, false);
        }

        @Override
        public String toString() {
            double[] s = bestCorrelations();
            long strong = Arrays.stream(s).filter(v -> v >= 0.8).count();
            double[] h = hungarianCorrelations();
            Arrays.sort(h);
            double medianH = h.length == 0 ? Double.NaN : quantile(h, 0.5);
            return String.format(java.util.Locale.ROOT, "%s %s against %s %s on %d images of %s: median best-match "
                    + "correlation %.2f (one-to-one %.2f); %d of %d units have a match with r ≥ 0.8", modelA, layerA,
                    modelB, layerB, images, data, medianBest(), medianH, strong, s.length);
        }
    }
}
