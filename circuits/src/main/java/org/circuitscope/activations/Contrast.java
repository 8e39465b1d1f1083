package org.circuitscope.activations;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.circuitscope.data.ImageSource;
import org.circuitscope.display.Displayable;
import org.circuitscope.model.Model;
import org.circuitscope.progress.Progress;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * Which units of a layer tell two sets of images apart: per channel, the mean (reduced) activation on each set and
 * the standardised difference d = (mean<sub>A</sub> − mean<sub>B</sub>) / pooled standard deviation (Cohen's d).
 * For example wheels alone against the same scenes without wheels, or dogs facing left against dogs facing right.
 */
public final class Contrast {
    private final Model model;
    private final String layer;
    private Reduce reduce = Reduce.MAX;
    private int batchSize = 32;

    private Contrast(Model model, String layer) {
        this.model = model;
        this.layer = model.layers().get(layer).name();
    }

    public static Contrast of(Model model, String layer) {
        return new Contrast(model, layer);
    }

    /** How each image's map is reduced to one number per channel (default: its maximum). */
    public Contrast reduce(Reduce r) {
        this.reduce = r;
        return this;
    }

    public Contrast batchSize(int n) {
        this.batchSize = n;
        return this;
    }

    public Result between(ImageSource a, ImageSource b) {
        return between(a, b, Progress.NONE);
    }

    public Result between(ImageSource a, ImageSource b, Progress progress) {
        ActivationResult ra = Activations.of(model).layers(layer).reduce(reduce).batchSize(batchSize).run(a, progress);
        ActivationResult rb = Activations.of(model).layers(layer).reduce(reduce).batchSize(batchSize).run(b, progress);
        if (ra.images() < 2 || rb.images() < 2) {
            throw new IllegalArgumentException("a contrast needs at least two images on each side; got "
                    + ra.images() + " and " + rb.images());
        }
        int channels = (int) model.layers().get(layer).channels();
        double[] meanA = new double[channels];
        double[] meanB = new double[channels];
        double[] d = new double[channels];
        for (int c = 0; c < channels; c++) {
            float[] xa = ra.column(layer + ":" + c);
            float[] xb = rb.column(layer + ":" + c);
            meanA[c] = Stats.mean(xa);
            meanB[c] = Stats.mean(xb);
            double pooled = Math.sqrt(((xa.length - 1) * Stats.variance(xa, meanA[c]) + (xb.length - 1)
                    * Stats.variance(xb, meanB[c])) / (xa.length + xb.length - 2));
            d[c] = pooled > 0 ? (meanA[c] - meanB[c]) / pooled : 0;
        }
        return new Result(layer, a.name(), b.name(), ra.images(), rb.images(), meanA, meanB, d);
    }

    /** The contrast of every channel of {@link #layer()} between images A and images B. */
    public record Result(String layer, String nameA, String nameB, int imagesA, int imagesB, double[] meanA,
                         double[] meanB, double[] d) implements Displayable {

        /** Channels from most A-selective (largest d) to most B-selective. */
        public List<Integer> ranked() {
            return Stats.descending(d);
        }

        /** The channel with the largest d (most selective for A). */
        public int best() {
            return ranked().get(0);
        }

        /** Channels with d ≥ threshold (selective for A). */
        public List<Integer> selectiveForA(double threshold) {
            return ranked().stream().filter(c -> d[c] >= threshold).toList();
        }

        /** Channels with d ≤ −threshold (selective for B), most selective first. */
        public List<Integer> selectiveForB(double threshold) {
            List<Integer> r = new ArrayList<>(ranked().stream().filter(c -> d[c] <= -threshold).toList());
            java.util.Collections.reverse(r);
            return r;
        }

        public Table table() {
            IntColumn channel = IntColumn.create("channel");
            StringColumn unit = StringColumn.create("unit");
            DoubleColumn ma = DoubleColumn.create("mean A");
            DoubleColumn mb = DoubleColumn.create("mean B");
            DoubleColumn dc = DoubleColumn.create("d");
            for (int c : ranked()) {
                channel.append(c);
                unit.append(layer + ":" + c);
                ma.append(meanA[c]);
                mb.append(meanB[c]);
                dc.append(d[c]);
            }
            return Table.create(layer + ": A = " + nameA + ", B = " + nameB, unit, channel, ma, mb, dc);
        }

        @Override
        public Map<String, Object> representations() {
            return Html.summaryOverTable(toString(), table(), 10, false);
        }

        @Override
        public String toString() {
            int b = best();
            return String.format("%s units telling A (%s, %d images) from B (%s, %d images): most A-selective %s:%d "
                    + "(d = %.2f)", layer, nameA, imagesA, nameB, imagesB, layer, b, d[b]);
        }
    }
}
