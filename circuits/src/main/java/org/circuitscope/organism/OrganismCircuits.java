package org.circuitscope.organism;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.circuitscope.activations.Contrast;
import org.circuitscope.activations.Html;
import org.circuitscope.circuit.Attribution;
import org.circuitscope.circuit.AttributionResult;
import org.circuitscope.data.ImageSource;
import org.circuitscope.display.Displayable;
import org.circuitscope.model.Model;
import org.circuitscope.progress.Progress;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * The organism's circuits checked against how the world is built: which unit detects a part, which classes it
 * feeds, and whether the two facing directions of a dog get pathways of their own. Scenes come from world seeds
 * other than the training seed. Works on any model trained on {@link World} (the shipped one or a retrained one).
 */
public final class OrganismCircuits {
    /** World seed of the scenes the checks run on (not the training seed 7). */
    public static final long SEED = 20261201L;

    private final Model model;
    private int scenes = 100;

    private OrganismCircuits(Model model) {
        this.model = model;
    }

    public static OrganismCircuits of(Model model) {
        return new OrganismCircuits(model);
    }

    /** Scenes per class (or per side of a contrast). */
    public OrganismCircuits scenes(int n) {
        this.scenes = n;
        return this;
    }

    /** The ablation table: wheels and windows of cars, wheels of bicycles, windows of houses. */
    public PartAblation.Result ablation(Progress progress) {
        return PartAblation.of(model).parts("car", "wheel", "window").parts("bicycle", "wheel")
                .parts("house", "window").scenes(SEED, scenes).run(progress);
    }

    /**
     * The unit of {@code layer} that best tells a part alone (on the scene's background) from the same scenes
     * without it, and where it ranks among the inputs of each class that has the part, by attribution on that
     * class's scenes.
     */
    public PartUnit partUnit(String layer, String part, List<String> classes, Progress progress) {
        ImageSource alone = World.scenes(part + " alone", SEED, scenes / classes.size() + 1, classes,
                s -> s.only(part));
        ImageSource rest = World.scenes("the same scenes without " + part, SEED, scenes / classes.size() + 1, classes,
                s -> s.without(part).withoutDistractors());
        Contrast.Result contrast = Contrast.of(model, layer).between(alone, rest, progress);
        int unit = contrast.best();
        Map<String, AttributionResult> byClass = new LinkedHashMap<>();
        for (String cls : classes) {
            byClass.put(cls, toLogit(cls).from(layer).run(World.scenes(cls, SEED + 1, scenes, List.of(cls), s -> s),
                    progress));
        }
        return new PartUnit(part, layer, unit, contrast, byClass);
    }

    /**
     * Units of {@code layer} selective for dogs facing left against dogs facing right (|d| ≥ threshold), and the
     * attribution of each to the other direction's logit on its own direction's scenes (negative: it inhibits the
     * other class).
     */
    public DogPathways dogPathways(String layer, double threshold, Progress progress) {
        ImageSource left = World.scenes("dogs facing left", SEED, scenes, List.of("dog_left"), s -> s);
        ImageSource right = World.scenes("dogs facing right", SEED, scenes, List.of("dog_right"), s -> s);
        Contrast.Result contrast = Contrast.of(model, layer).between(left, right, progress);
        AttributionResult leftToRight = toLogit("dog_right").from(layer).run(left, progress);
        AttributionResult rightToLeft = toLogit("dog_left").from(layer).run(right, progress);
        return new DogPathways(layer, threshold, contrast, contrast.selectiveForA(threshold),
                contrast.selectiveForB(threshold), leftToRight, rightToLeft);
    }

    /** Attribution to a class's logit. */
    private Attribution toLogit(String cls) {
        return Attribution.of(model, model.classOutput() + ":" + model.labels().indexOf(cls));
    }

    /** A part detector and the classes it feeds. */
    public record PartUnit(String part, String layer, int unit, Contrast.Result contrast,
                           Map<String, AttributionResult> attributionByClass) implements Displayable {

        public double d() {
            return contrast.d()[unit];
        }

        /** The unit's rank among the class logit's most positive inputs (1 = strongest). */
        public int rank(String cls) {
            return attributionByClass.get(cls).rank(unit);
        }

        public double attribution(String cls) {
            return attributionByClass.get(cls).of(unit);
        }

        public Table table() {
            StringColumn cls = StringColumn.create("class");
            IntColumn rank = IntColumn.create("rank of " + layer + ":" + unit + " among inputs");
            DoubleColumn attribution = DoubleColumn.create("attribution");
            StringColumn top = StringColumn.create("strongest positive inputs");
            for (Map.Entry<String, AttributionResult> e : attributionByClass.entrySet()) {
                cls.append(e.getKey());
                rank.append(e.getValue().rank(unit));
                attribution.append(e.getValue().of(unit));
                top.append(e.getValue().topPositive(5).stream().map(c -> layer + ":" + c).toList().toString());
            }
            return Table.create(part + " unit " + layer + ":" + unit, cls, rank, attribution, top);
        }

        @Override
        public Map<String, Object> representations() {
            return Html.summaryOverTable(toString(), table(), 10, true);
        }

        @Override
        public String toString() {
            List<String> ranks = new ArrayList<>();
            attributionByClass.forEach((c, a) -> ranks.add(c + " #" + a.rank(unit) + " of " + a.perChannel().length));
            return String.format("%s unit: %s:%d (d = %.2f, %s alone %.2f vs without %.2f); as an input: %s", part,
                    layer, unit, d(), part, contrast.meanA()[unit], contrast.meanB()[unit], String.join(", ", ranks));
        }
    }

    /** Left- and right-facing dog units and how they act on the other direction's logit. */
    public record DogPathways(String layer, double threshold, Contrast.Result contrast, List<Integer> leftUnits,
                              List<Integer> rightUnits, AttributionResult leftOnRightLogit,
                              AttributionResult rightOnLeftLogit) implements Displayable {

        /** Share of the left-selective units whose attribution to the dog_right logit is negative. */
        public double leftInhibitsRight() {
            return share(leftUnits, leftOnRightLogit);
        }

        /** Share of the right-selective units whose attribution to the dog_left logit is negative. */
        public double rightInhibitsLeft() {
            return share(rightUnits, rightOnLeftLogit);
        }

        private static double share(List<Integer> units, AttributionResult a) {
            return units.isEmpty() ? Double.NaN
                    : units.stream().filter(u -> a.of(u) < 0).count() / (double) units.size();
        }

        public Table table() {
            StringColumn unit = StringColumn.create("unit");
            StringColumn side = StringColumn.create("selective for");
            DoubleColumn d = DoubleColumn.create("d (left − right)");
            DoubleColumn other = DoubleColumn.create("attribution to the other direction's logit");
            for (int u : leftUnits) {
                unit.append(layer + ":" + u);
                side.append("dog_left");
                d.append(contrast.d()[u]);
                other.append(leftOnRightLogit.of(u));
            }
            for (int u : rightUnits) {
                unit.append(layer + ":" + u);
                side.append("dog_right");
                d.append(contrast.d()[u]);
                other.append(rightOnLeftLogit.of(u));
            }
            return Table.create("dog pathways in " + layer, unit, side, d, other);
        }

        @Override
        public Map<String, Object> representations() {
            return Html.summaryOverTable(toString(), table(), 40, true);
        }

        @Override
        public String toString() {
            return String.format("%s: %d units for dogs facing left and %d for dogs facing right (|d| ≥ %.1f); "
                            + "%.0f%% of the left units push the dog_right logit down on left dogs, %.0f%% of the "
                            + "right units push dog_left down on right dogs", layer, leftUnits.size(),
                    rightUnits.size(), threshold, 100 * leftInhibitsRight(), 100 * rightInhibitsLeft());
        }
    }
}
