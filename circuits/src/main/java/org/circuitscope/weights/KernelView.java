package org.circuitscope.weights;

import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Map;
import org.circuitscope.display.Displayable;
import org.circuitscope.display.Figure;
import org.circuitscope.model.Unit;
import org.circuitscope.tensor.Tensor;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.Table;

/**
 * One kernel from an input unit to a unit, drawn as a heatmap on a diverging scale symmetric about zero (red
 * excites, blue inhibits; the range is printed on the figure) and given as a table (one row per kernel row).
 */
public final class KernelView implements Displayable {
    private final UnitInputs.InputWeight weight;
    private final Unit.Channel to;
    private final String source;

    KernelView(UnitInputs.InputWeight weight, Unit.Channel to, String source) {
        this.weight = weight;
        this.to = to;
        this.source = source;
    }

    public Unit.Channel from() {
        return weight.input();
    }

    public Unit.Channel to() {
        return to;
    }

    /** The kernel as kh×kw. */
    public Tensor kernel() {
        return new Tensor(new long[] {weight.kh(), weight.kw()}, weight.kernel().clone());
    }

    public double norm() {
        return weight.norm();
    }

    public double sum() {
        return weight.sum();
    }

    /** The symmetric colour range: the kernel's largest absolute weight. */
    public double range() {
        return Heatmaps.range(weight.kernel());
    }

    /** Rows y = 0..kh-1, one column per x. */
    public Table table() {
        IntColumn y = IntColumn.create("y");
        DoubleColumn[] xs = new DoubleColumn[weight.kw()];
        for (int x = 0; x < xs.length; x++) {
            xs[x] = DoubleColumn.create("x=" + x);
        }
        for (int r = 0; r < weight.kh(); r++) {
            y.append(r);
            for (int x = 0; x < xs.length; x++) {
                xs[x].append(weight.kernel()[r * weight.kw() + x]);
            }
        }
        Table t = Table.create(title(), y);
        t.addColumns(xs);
        return t;
    }

    String title() {
        return "Weights " + weight.input() + " → " + to + " (" + source + ")";
    }

    private List<Heatmaps.Panel> panels() {
        return List.of(new Heatmaps.Panel(weight.input() + " → " + to, String.format(java.util.Locale.ROOT,
                "‖w‖=%s  Σw=%s", Heatmaps.format(norm()), Heatmaps.format(sum())), weight.kernel(), weight.kh(),
                weight.kw(), null, weight.sign().color()));
    }

    private int cell() {
        return Math.max(8, Math.min(48, 360 / Math.max(weight.kh(), weight.kw())));
    }

    /** The heatmap, drawn once for PNG and SVG. */
    public Figure figure() {
        return Heatmaps.smallMultiples(toString(), title(), panels(), range(), 1, cell());
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
        return title() + ": " + weight.kh() + "×" + weight.kw() + ", L2 norm " + Heatmaps.format(norm())
                + ", sum " + Heatmaps.format(sum()) + " (" + weight.sign().word() + "), range ±"
                + Heatmaps.format(range());
    }
}
