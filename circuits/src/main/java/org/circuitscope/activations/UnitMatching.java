package org.circuitscope.activations;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.circuitscope.data.ImageSource;
import org.circuitscope.display.Displayable;
import org.circuitscope.model.Model;
import org.circuitscope.progress.Progress;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * Universality, measured: for every unit of one model's layer, the unit of another model's layer whose response
 * over the same images correlates best with it (Pearson correlation of the per-image reduced activations). Two
 * trainings that learned the same features have units that match closely; unrelated units correlate weakly.
 */
public final class UnitMatching {
    private final Model a;
    private final String layerA;
    private final Model b;
    private final String layerB;
    private Reduce reduce = Reduce.MAX;
    private int batchSize = 50;

    private UnitMatching(Model a, String layerA, Model b, String layerB) {
        this.a = a;
        this.layerA = a.layers().get(layerA).name();
        this.b = b;
        this.layerB = b.layers().get(layerB).name();
    }

    public static UnitMatching between(Model a, String layerA, Model b, String layerB) {
        return new UnitMatching(a, layerA, b, layerB);
    }

    /** How a unit's map becomes one number per image (default: its maximum). */
    public UnitMatching reduce(Reduce r) {
        this.reduce = r;
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
        ActivationResult ra = Activations.of(a).layers(layerA).reduce(reduce).batchSize(batchSize).run(images,
                progress);
        ActivationResult rb = Activations.of(b).layers(layerB).reduce(reduce).batchSize(batchSize).run(images,
                progress);
        if (ra.images() != rb.images() || ra.images() < 3) {
            throw new IllegalArgumentException("matching needs the same three or more images for both models; got "
                    + ra.images() + " and " + rb.images());
        }
        int na = (int) a.layers().get(layerA).channels();
        int nb = (int) b.layers().get(layerB).channels();
        double[][] za = new double[na][];
        double[][] zb = new double[nb][];
        for (int i = 0; i < na; i++) {
            za[i] = standardised(ra.column(layerA + ":" + i));
        }
        for (int j = 0; j < nb; j++) {
            zb[j] = standardised(rb.column(layerB + ":" + j));
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
        return new Result(a.name(), layerA, b.name(), layerB, images.name(), ra.images(), r);
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

        /** One row per unit of A, best matched first. */
        public Table table() {
            List<Integer> order = Stats.descending(bestCorrelations());
            StringColumn ua = StringColumn.create(modelA + " unit");
            StringColumn ub = StringColumn.create(modelB + " best match");
            DoubleColumn r = DoubleColumn.create("correlation");
            for (int i : order) {
                ua.append(layerA + ":" + i);
                ub.append(layerB + ":" + bestMatch(i));
                r.append(bestCorrelation(i));
            }
            return Table.create("best matches, " + modelA + " " + layerA + " → " + modelB + " " + layerB, ua, ub, r);
        }

        @Override
        public Map<String, Object> representations() {
            return Html.summaryOverTable(toString(), table(), 12, false);
        }

        @Override
        public String toString() {
            double[] s = bestCorrelations();
            long strong = Arrays.stream(s).filter(v -> v >= 0.8).count();
            return String.format("%s %s against %s %s on %d images of %s: median best-match correlation %.2f; "
                    + "%d of %d units have a match with r ≥ 0.8", modelA, layerA, modelB, layerB, images, data,
                    medianBest(), strong, s.length);
        }
    }
}
