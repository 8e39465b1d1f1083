package org.circuitscope.census;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.circuitscope.activations.Html;
import org.circuitscope.activations.UnitMatching;
import org.circuitscope.data.ImageSource;
import org.circuitscope.display.Displayable;
import org.circuitscope.model.Model;
import org.circuitscope.model.Unit;
import org.circuitscope.progress.Progress;
import tech.tablesaw.api.Table;

/**
 * Unit-to-unit similarity between two models' layers on the same images at matched receptive-field positions
 * ({@link UnitMatching#atMatchedPositions}), best-match and one-to-one, beside its two controls: B with its weights
 * shuffled (the same architecture, nothing learned) and B on shuffled images (chance pairing). Universality shows as
 * real correlations well above both controls' distributions, not as a median alone. A side written
 * {@code layer/dictionary} with the dictionaries given is that dictionary's features
 * ({@link UnitMatching#between(Model, String, Model, String, Map)}); under the shuffled-weights control B's
 * dictionary reads the shuffled network's layer (the same dictionary, nothing learnt beneath it).
 */
public final class Similarity implements Displayable {
    /** The default lattice: 3×3 points per image. */
    public static final int GRID = 3;

    private final UnitMatching.Result real;
    private final UnitMatching.Result randomWeights;
    private final UnitMatching.Result shuffledImages;

    private Similarity(UnitMatching.Result real, UnitMatching.Result randomWeights,
                       UnitMatching.Result shuffledImages) {
        this.real = real;
        this.randomWeights = randomWeights;
        this.shuffledImages = shuffledImages;
    }

    public static Similarity of(Model a, String layerA, Model b, String layerB, ImageSource data) {
        return of(a, layerA, b, layerB, data, GRID, 1, Progress.NONE);
    }

    public static Similarity of(Model a, String layerA, Model b, String layerB, ImageSource data, int grid,
                                long seed, Progress progress) {
        return of(a, layerA, b, layerB, Map.of(), data, grid, seed, progress);
    }

    /** As {@link #of(Model, String, Model, String, ImageSource)}, a side {@code layer/name} naming a dictionary. */
    public static Similarity of(Model a, String sideA, Model b, String sideB,
                                Map<String, ? extends Unit.FeatureBasis> dictionaries, ImageSource data) {
        return of(a, sideA, b, sideB, dictionaries, data, GRID, 1, Progress.NONE);
    }

    public static Similarity of(Model a, String sideA, Model b, String sideB,
                                Map<String, ? extends Unit.FeatureBasis> dictionaries, ImageSource data, int grid,
                                long seed, Progress progress) {
        UnitMatching.Result real = UnitMatching.between(a, sideA, b, sideB, dictionaries).atMatchedPositions(grid)
                .run(data, progress);
        UnitMatching.Result shuffled = UnitMatching.between(a, sideA, b, sideB, dictionaries)
                .atMatchedPositions(grid).shuffledImages(seed).run(data, progress);
        UnitMatching.Result random;
        try (Model r = b.withShuffledWeights(seed)) {
            random = UnitMatching.between(a, sideA, r, sideB, dictionaries).atMatchedPositions(grid).run(data,
                    progress);
        }
        return new Similarity(real, random, shuffled);
    }

    public UnitMatching.Result real() {
        return real;
    }

    /** A against B with its weights shuffled. */
    public UnitMatching.Result randomWeights() {
        return randomWeights;
    }

    /** A against B on shuffled images. */
    public UnitMatching.Result shuffledImages() {
        return shuffledImages;
    }

    /** The distributions of best-match and one-to-one correlations, real and under each control. */
    public Table distributions() {
        List<String> names = new ArrayList<>();
        List<double[]> samples = new ArrayList<>();
        Map<String, UnitMatching.Result> all = new LinkedHashMap<>();
        all.put(real.modelB(), real);
        all.put("control: shuffled weights", randomWeights);
        all.put("control: shuffled images", shuffledImages);
        all.forEach((k, r) -> {
            names.add(k + ", best match");
            samples.add(r.bestCorrelations());
            names.add(k + ", one-to-one");
            samples.add(r.hungarianCorrelations());
        });
        return UnitMatching.Result.distributionTable("similarity of " + real.modelA() + " " + real.layerA() + " to "
                + real.modelB() + " " + real.layerB() + " and controls", names, samples);
    }

    @Override
    public Map<String, Object> representations() {
        return Html.summaryOverTable(toString(), distributions(), 12, true);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s %s vs %s %s (%d images): median best match %.2f (shuffled weights "
                + "%.2f, shuffled images %.2f); median one-to-one %.2f (%.2f, %.2f)", real.modelA(), real.layerA(),
                real.modelB(), real.layerB(), real.images(), real.medianBest(), randomWeights.medianBest(),
                shuffledImages.medianBest(), median(real.hungarianCorrelations()),
                median(randomWeights.hungarianCorrelations()), median(shuffledImages.hungarianCorrelations()));
    }

    static double median(double[] v) {
        double[] s = v.clone();
        java.util.Arrays.sort(s);
        return s.length == 0 ? Double.NaN : s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1]
                + s[s.length / 2]) / 2;
    }
}
