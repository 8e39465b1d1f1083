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
import org.circuitscope.featurevis.objectives.VisObjective;
import org.circuitscope.model.Model;
import org.circuitscope.model.Unit;
import org.circuitscope.progress.Progress;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A dictionary at a glance: its quality figures, then for some of its features a feature visualisation and the
 * top dataset examples (receptive-field crops), one row per feature. The features shown are those most often
 * active on the sample, or the ones asked for. Visualisations come from one batched optimisation (image i
 * maximises feature i), examples from one pass over the source.
 */
public final class DictionarySheet implements Displayable {
    /** One feature's row. */
    public record Row(Unit.Feature feature, double frequency, BufferedImage visualisation, List<Example> examples) {
    }

    private final FeatureDictionary dictionary;
    private final List<Row> rows;
    private final boolean partial;
    /** What each row's number is ("active on" the sample, or a share of a neuron). */
    private final String label;

    private DictionarySheet(FeatureDictionary dictionary, List<Row> rows, boolean partial, String label) {
        this.dictionary = dictionary;
        this.rows = List.copyOf(rows);
        this.partial = partial;
        this.label = label;
    }

    /** The same rows, their numbers labelled {@code what} (e.g. "share of conv3:5") instead of "active on". */
    public DictionarySheet labelled(String what) {
        return new DictionarySheet(dictionary, rows, partial, what);
    }

    /**
     * The sheet of {@code count} features of {@code d} most often active on a fresh sample of {@code source}
     * ({@code sampleImages} images, {@code positions} positions each, seeded {@code seed}), each with a
     * visualisation ({@code visSteps} steps) and its top {@code examples} dataset examples from {@code source}:
     * what {@code %dictionary} shows.
     */
    public static DictionarySheet mostActive(Model model, FeatureDictionary d, ImageSource source, int sampleImages,
                                             int positions, long seed, int count, int examples, int visSteps,
                                             Progress progress) {
        ActivationSample sample = ActivationSample.collect(model, d.layer(), source, sampleImages, positions, seed,
                16, Progress.NONE);
        double[] freq = frequencies(d, sample.vectors());
        int[] shown = mostActive(d, sample.vectors(), Math.min(count, d.size()));
        return of(model, d, shown, freq, source, examples, visSteps, progress);
    }

    /** The features most often active on {@code sample}, most active first (at most {@code count}). */
    public static int[] mostActive(FeatureDictionary d, INDArray sample, int count) {
        double[] freq = frequencies(d, sample);
        return java.util.stream.IntStream.range(0, freq.length).boxed()
                .sorted((a, b) -> Double.compare(freq[b], freq[a])).limit(count).mapToInt(Integer::intValue)
                .toArray();
    }

    /** For each feature, the share of sample vectors on which its code is non-zero. */
    public static double[] frequencies(FeatureDictionary d, INDArray sample) {
        float[] fired = org.nd4j.linalg.ops.transforms.Transforms.abs(d.encode(sample), true).gt(1e-6)
                .castTo(DataType.FLOAT).sum(0).data().asFloat();
        double[] f = new double[fired.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = fired[i] / (double) sample.rows();
        }
        return f;
    }

    /**
     * Visualises and finds examples of {@code features} of {@code d} on {@code model} over {@code source};
     * {@code frequencies} (may be null) label each row.
     */
    public static DictionarySheet of(Model model, FeatureDictionary d, int[] features, double[] frequencies,
                                     ImageSource source, int examples, int visSteps, Progress progress) {
        List<Unit> units = new ArrayList<>();
        VisObjective objective = null;
        for (int i = 0; i < features.length; i++) {
            Unit.Feature f = d.feature(features[i]);
            units.add(f);
            VisObjective one = Objectives.feature(f).onImage(i);
            objective = objective == null ? one : objective.plus(one);
        }
        List<BufferedImage> vis = List.of();
        boolean partial = false;
        if (visSteps > 0 && objective != null) {
            FeatureVisResult r = FeatureVis.of(model).objective(objective).batch(features.length).steps(visSteps)
                    .seed(d.seed()).render(progress);
            vis = r.images();
            partial = r.interrupted();
        }
        List<ExamplesResult> ex = partial || examples <= 0 ? List.of()
                : DatasetExamples.of(model, units).k(examples).runAll(source, progress);
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < features.length; i++) {
            rows.add(new Row((Unit.Feature) units.get(i), frequencies == null ? Double.NaN
                    : frequencies[features[i]], i < vis.size() ? vis.get(i) : null,
                    i < ex.size() ? ex.get(i).examples() : List.of()));
            partial |= i < ex.size() && ex.get(i).partial();
        }
        return new DictionarySheet(d, rows, partial, "active on");
    }

    public FeatureDictionary dictionary() {
        return dictionary;
    }

    public List<Row> rows() {
        return rows;
    }

    public boolean partial() {
        return partial;
    }

    private static final int CELL = 72;
    private static final int LABEL = 150;
    private static final int GAP = 6;

    /** The rows as one figure: label, visualisation, examples. */
    public Figure figure() {
        int most = rows.stream().mapToInt(r -> r.examples().size()).max().orElse(0);
        int width = LABEL + (1 + most) * (CELL + GAP) + GAP;
        int height = rows.size() * (CELL + GAP + 14) + 24;
        return Figure.of("features of " + dictionary.name(), width, height, g -> paint(g, most));
    }

    /** Draws the rows at the origin, as {@link #figure} does (for figures that show a sheet inside them). */
    void paintRows(Graphics2D g) {
        paint(g, rows.stream().mapToInt(r -> r.examples().size()).max().orElse(0));
    }

    private void paint(Graphics2D g, int most) {
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.DARK_GRAY);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 12));
        g.drawString("feature", GAP, 16);
        g.drawString("feature vis", LABEL, 16);
        if (most > 0) {
            g.drawString("top dataset examples", LABEL + CELL + 2 * GAP, 16);
        }
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        int y = 24;
        for (Row r : rows) {
            g.setColor(Color.BLACK);
            g.drawString(r.feature().toString(), GAP, y + CELL / 2);
            if (!Double.isNaN(r.frequency())) {
                g.setColor(Color.GRAY);
                g.drawString(String.format("%s %.1f%%", label, 100 * r.frequency()), GAP, y + CELL / 2 + 14);
            }
            int x = LABEL;
            if (r.visualisation() != null) {
                g.drawImage(r.visualisation(), x, y, CELL, CELL, null);
            }
            x += CELL + 2 * GAP;
            for (Example e : r.examples()) {
                g.drawImage(e.crop(), x, y, CELL, CELL, null);
                g.setColor(Color.GRAY);
                g.drawString(String.format("%.2f", e.value()), x, y + CELL + 11);
                x += CELL + GAP;
            }
            y += CELL + GAP + 14;
        }
    }

    @Override
    public Map<String, Object> representations() {
        // the figure as the project shows figures (PNG), with the quality and rows as text
        Map<String, Object> r = new LinkedHashMap<>(figure().representations());
        r.put("text/plain", toString());
        return r;
    }

    @Override
    public String toString() {
        return dictionary.toString() + rowsText();
    }

    /** One line per row: the feature, its number, its top examples. */
    String rowsText() {
        StringBuilder sb = new StringBuilder();
        for (Row r : rows) {
            sb.append("\n  ").append(r.feature());
            if (!Double.isNaN(r.frequency())) {
                sb.append(String.format(" (%s %.1f%%)", label, 100 * r.frequency()));
            }
            if (!r.examples().isEmpty()) {
                sb.append(": top examples ").append(r.examples().stream().map(e -> e.id() + String.format("=%.2f",
                        e.value())).toList());
            }
        }
        return sb.toString();
    }
}
