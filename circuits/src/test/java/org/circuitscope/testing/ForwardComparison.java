package org.circuitscope.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.circuitscope.activations.ActivationResult;
import org.circuitscope.examples.Example;
import org.circuitscope.examples.ExamplesResult;
import tech.tablesaw.api.Table;

/**
 * Results of the same job on two executors (DJL and ONNX Runtime): the same rows, ids and positions, values equal
 * within 1e-5 of their magnitude (at least 1).
 */
public final class ForwardComparison {
    public static final double TOLERANCE = 1e-5;

    private ForwardComparison() {
    }

    /** The largest difference relative to max(1, |value|), after asserting every one within the tolerance. */
    public static double activations(ActivationResult want, ActivationResult got) {
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
        double worst = 0;
        for (int r = 0; r < a.rowCount(); r++) {
            double x = a.floatColumn("value").getFloat(r);
            double y = b.floatColumn("value").getFloat(r);
            double rel = Math.abs(x - y) / Math.max(1, Math.abs(x));
            if (!(rel <= TOLERANCE)) {
                throw new AssertionError("row " + r + " (" + a.row(r) + "): " + x + " against " + y);
            }
            worst = Math.max(worst, rel);
        }
        return worst;
    }

    /** The same examples (ids, ranks, positions, boxes) in the same order, values within the tolerance. */
    public static double examples(List<ExamplesResult> want, List<ExamplesResult> got) {
        assertEquals(want.size(), got.size());
        double worst = 0;
        for (int u = 0; u < want.size(); u++) {
            ExamplesResult a = want.get(u);
            ExamplesResult b = got.get(u);
            assertEquals(a.unit(), b.unit());
            assertEquals(a.unitRead(), b.unitRead());
            assertEquals(a.imagesSeen(), b.imagesSeen());
            assertEquals(a.examples().size(), b.examples().size(), a.unit().toString());
            for (int r = 0; r < a.examples().size(); r++) {
                Example x = a.examples().get(r);
                Example y = b.examples().get(r);
                String what = a.unit() + " rank " + x.rank();
                assertEquals(x.id(), y.id(), what);
                assertEquals(x.rank(), y.rank(), what);
                assertEquals(x.y(), y.y(), what);
                assertEquals(x.x(), y.x(), what);
                assertEquals(x.box(), y.box(), what);
                double rel = Math.abs(x.value() - y.value()) / Math.max(1, Math.abs(x.value()));
                assertEquals(x.value(), y.value(), TOLERANCE * Math.max(1, Math.abs(x.value())), what);
                worst = Math.max(worst, rel);
            }
        }
        return worst;
    }
}
