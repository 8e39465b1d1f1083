package org.circuitscope.weights;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.circuitscope.display.Displayable;
import org.circuitscope.display.Figure;
import org.circuitscope.model.Unit;
import org.circuitscope.progress.Progress;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * A unit's strongest inputs (by L2 norm of the kernel) as small multiples of weight heatmaps on one symmetric range,
 * excitatory inputs (positive summed weight) first, then inhibitory ones, then balanced ones (weights that cancel),
 * each labelled with its input unit and, when asked, a thumbnail of it.
 */
public final class UnitWeights implements Displayable {
    private final UnitInputs inputs;
    private final List<UnitInputs.InputWeight> excitatory = new ArrayList<>();
    private final List<UnitInputs.InputWeight> inhibitory = new ArrayList<>();
    private final List<UnitInputs.InputWeight> balanced = new ArrayList<>();
    private final Map<Unit, BufferedImage> thumbs;
    private final String thumbsDescription;

    UnitWeights(UnitInputs inputs, List<UnitInputs.InputWeight> top, Thumbnails thumbnails, Progress progress) {
        this.inputs = inputs;
        for (UnitInputs.InputWeight w : top) {
            switch (w.sign()) {
                case EXCITATORY -> excitatory.add(w);
                case INHIBITORY -> inhibitory.add(w);
                case BALANCED -> balanced.add(w);
            }
        }
        List<Unit> units = new ArrayList<>();
        shown().forEach(w -> units.add(w.input()));
        this.thumbs = thumbnails.all(units, progress);
        this.thumbsDescription = thumbnails.description();
    }

    public UnitInputs inputs() {
        return inputs;
    }

    /**
     * The shown inputs: excitatory (strongest first), then inhibitory, then balanced ones (weights that cancel:
     * neither excites nor inhibits on average).
     */
    public List<UnitInputs.InputWeight> shown() {
        List<UnitInputs.InputWeight> all = new ArrayList<>(excitatory);
        all.addAll(inhibitory);
        all.addAll(balanced);
        return all;
    }

    public List<UnitInputs.InputWeight> excitatory() {
        return List.copyOf(excitatory);
    }

    public List<UnitInputs.InputWeight> inhibitory() {
        return List.copyOf(inhibitory);
    }

    public List<UnitInputs.InputWeight> balanced() {
        return List.copyOf(balanced);
    }

    public BufferedImage thumbnail(Unit u) {
        return thumbs.get(u);
    }

    /** The symmetric colour range of the figure: the largest absolute weight among the shown kernels. */
    public double range() {
        return Heatmaps.range(shown().stream().map(UnitInputs.InputWeight::kernel).toArray(float[][]::new));
    }

    /** One row per shown input: rank, input unit, sign, L2 norm, summed weight. */
    public Table table() {
        IntColumn rank = IntColumn.create("rank");
        StringColumn input = StringColumn.create("input");
        StringColumn sign = StringColumn.create("sign");
        DoubleColumn norm = DoubleColumn.create("weight_norm");
        DoubleColumn sum = DoubleColumn.create("weight_sum");
        int r = 1;
        for (UnitInputs.InputWeight w : shown()) {
            rank.append(r++);
            input.append(w.input().toString());
            sign.append(w.sign().word());
            norm.append(w.norm());
            sum.append(w.sum());
        }
        return Table.create(title(), rank, input, sign, norm, sum);
    }

    /** Every weight of the shown kernels, one row each: input, y, x, weight. */
    public Table values() {
        StringColumn input = StringColumn.create("input");
        IntColumn ys = IntColumn.create("y");
        IntColumn xs = IntColumn.create("x");
        DoubleColumn weight = DoubleColumn.create("weight");
        for (UnitInputs.InputWeight w : shown()) {
            for (int y = 0; y < w.kh(); y++) {
                for (int x = 0; x < w.kw(); x++) {
                    input.append(w.input().toString());
                    ys.append(y);
                    xs.append(x);
                    weight.append(w.kernel()[y * w.kw() + x]);
                }
            }
        }
        return Table.create(title() + " (values)", input, ys, xs, weight);
    }

    String title() {
        return "Strongest inputs of " + inputs.unit() + " from " + inputs.from() + " (" + inputs.source() + "; "
                + excitatory.size() + " excitatory, " + inhibitory.size() + " inhibitory"
                + (balanced.isEmpty() ? "" : ", " + balanced.size() + " balanced") + ")";
    }

    private List<Heatmaps.Panel> panels() {
        List<Heatmaps.Panel> p = new ArrayList<>();
        for (UnitInputs.InputWeight w : shown()) {
            p.add(new Heatmaps.Panel(w.sign().symbol() + " " + w.input(), String.format(Locale.ROOT,
                    "‖w‖=%s Σ=%s", Heatmaps.format(w.norm()), Heatmaps.format(w.sum())), w.kernel(), w.kh(), w.kw(),
                    thumbs.get(w.input()), w.sign().color()));
        }
        return p;
    }

    /** The small multiples, drawn once for PNG and SVG. */
    public Figure figure() {
        return Heatmaps.smallMultiples(toString(), title(), panels(), range(), 6, 0);
    }

    public BufferedImage image() {
        return figure().image();
    }

    public String svg() {
        return figure().svg();
    }

    @Override
    public Map<String, Object> representations() {
        return figure().representations();
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder(title()).append(", range ±").append(Heatmaps.format(range()))
                .append(", thumbnails: ").append(thumbsDescription);
        for (UnitInputs.InputWeight w : shown()) {
            s.append("\n  ").append(w.sign().symbol()).append(" ").append(w.input()).append("  norm ")
                    .append(Heatmaps.format(w.norm())).append("  sum ").append(Heatmaps.format(w.sum()));
        }
        return s.toString();
    }
}
