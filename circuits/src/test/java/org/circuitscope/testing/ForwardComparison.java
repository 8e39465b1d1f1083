package org.circuitscope.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.circuitscope.activations.ActivationResult;
import org.circuitscope.examples.Example;
import org.circuitscope.examples.ExamplesResult;
import tech.tablesaw.api.Table;

/**
 * Results of the same job on two executors (DJL and ONNX Runtime): the same rows, ids and positions, and values equal
 * within 1e-5 of the layer's scale, max(1, the largest magnitude the layer has in the results): relative where values
 * are big, as {@code TestGraphs.relativeError} measures tensors. Each comparison also records the largest difference
 * relative to each value itself, max(1, |value|), for the reports.
 */
public final class ForwardComparison {
    public static final double TOLERANCE = 1e-5;

    /** The largest differences found: relative to the layer's scale, and relative to each value. */
    public record Difference(double ofScale, double ofValue) {
        Difference max(Difference o) {
            return new Difference(Math.max(ofScale, o.ofScale), Math.max(ofValue, o.ofValue));
        }

        @Override
        public String toString() {
            return String.format(java.util.Locale.ROOT, "%.2g of the layer's scale (%.2g of the value itself)",
                    ofScale, ofValue);
        }
    }

    private ForwardComparison() {
    }

    /** Asserts the two tables equal as above and returns the largest differences. */
    public static Difference activations(ActivationResult want, ActivationResult got) {
        assertEquals(want.ids(), got.ids());
        assertEquals(want.labels(), got.labels());
        assertEquals(want.partial(), got.partial());
        Table a = want.table();
        Table b = got.table();
        assertEquals(a.columnNames(), b.columnNames());
        assertEquals(a.rowCount(), b.rowCount());
        for (String c : a.columnNames()) {
            if (!c.equals("value")) {
                assertEquals(a.column(c).asList(), b.column(c).asList(), "column " + c);
            }
        }
        Map<String, Double> scale = new HashMap<>();
        for (int r = 0; r < a.rowCount(); r++) {
            scale.merge(a.stringColumn("layer").get(r), Math.max(1, Math.abs((double) a.floatColumn("value")
                    .getFloat(r))), Math::max);
        }
        double worstScale = 0;
        double worstValue = 0;
        for (int r = 0; r < a.rowCount(); r++) {
            double x = a.floatColumn("value").getFloat(r);
            double y = b.floatColumn("value").getFloat(r);
            double s = scale.get(a.stringColumn("layer").get(r));
            double rel = Math.abs(x - y) / s;
            if (!(rel <= TOLERANCE)) {
                throw new AssertionError("row " + r + " (" + a.row(r) + "): " + x + " against " + y + ", layer scale "
                        + s);
            }
            worstScale = Math.max(worstScale, rel);
            worstValue = Math.max(worstValue, Math.abs(x - y) / Math.max(1, Math.abs(x)));
        }
        return new Difference(worstScale, worstValue);
    }

    /**
     * The same examples (ids, ranks, positions, boxes) in the same order, values within the tolerance of the unit's
     * scale (its largest example magnitude, at least 1).
     */
    public static Difference examples(List<ExamplesResult> want, List<ExamplesResult> got) {
        assertEquals(want.size(), got.size());
        Difference worst = new Difference(0, 0);
        for (int u = 0; u < want.size(); u++) {
            ExamplesResult a = want.get(u);
            ExamplesResult b = got.get(u);
            assertEquals(a.unit(), b.unit());
            assertEquals(a.unitRead(), b.unitRead());
            assertEquals(a.imagesSeen(), b.imagesSeen());
            assertEquals(a.examples().size(), b.examples().size(), a.unit().toString());
            double scale = 1;
            for (Example x : a.examples()) {
                scale = Math.max(scale, Math.abs(x.value()));
            }
            for (int r = 0; r < a.examples().size(); r++) {
                Example x = a.examples().get(r);
                Example y = b.examples().get(r);
                String what = a.unit() + " rank " + x.rank();
                assertEquals(x.id(), y.id(), what);
                assertEquals(x.rank(), y.rank(), what);
                assertEquals(x.y(), y.y(), what);
                assertEquals(x.x(), y.x(), what);
                assertEquals(x.box(), y.box(), what);
                assertEquals(x.value(), y.value(), TOLERANCE * scale, what);
                double d = Math.abs(x.value() - y.value());
                worst = worst.max(new Difference(d / scale, d / Math.max(1, Math.abs(x.value()))));
            }
        }
        return worst;
    }
}
